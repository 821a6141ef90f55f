package sitetags

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// The helpers below turn one cell, as database/sql or the Parquet reader hands
// it over (nil, int64, float64, string, []byte, bool), into a Row field.

// text returns a cell as text; ok is false for NULL. Non-text cells are
// formatted the way Python's str() would for the same number.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case []byte:
		return string(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), true
	case bool:
		if x {
			return "True", true
		}
		return "False", true
	}
	return "", false
}

// countResult classifies a count cell.
type countResult int

const (
	countOK       countResult = iota
	countMissing              // NULL or blank: no count, nothing to report
	countNegative             // normal site data (sankaku, konachan, lolibooru): no count, only a counter
	countBad                  // not a usable number: no count, reported as a skip of the count
)

// count parses a usage count. For countBad, reason is the skip reason.
func count(v any) (n int64, res countResult, reason string) {
	switch x := v.(type) {
	case nil:
		return 0, countMissing, ""
	case int64:
		if x < 0 {
			return 0, countNegative, ""
		}
		return x, countOK, ""
	case float64:
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			return 0, countBad, "count is not a number: " + strconv.Quote(strconv.FormatFloat(x, 'g', -1, 64))
		case x < 0:
			return 0, countNegative, ""
		case x != math.Trunc(x):
			return 0, countBad, "count is not a whole number: " + strconv.Quote(strconv.FormatFloat(x, 'g', -1, 64))
		case x >= math.MaxInt64: // 2^63 is the first float64 above MaxInt64
			return 0, countBad, "count is out of range: " + strconv.Quote(strconv.FormatFloat(x, 'g', -1, 64))
		}
		return int64(x), countOK, ""
	case string, []byte:
		s, _ := text(x)
		t := strings.TrimSpace(s)
		if t == "" {
			return 0, countMissing, ""
		}
		n, err := strconv.ParseInt(t, 10, 64)
		switch {
		case err == nil && n < 0:
			return 0, countNegative, ""
		case err == nil:
			return n, countOK, ""
		case strings.HasPrefix(t, "-") && isDigits(t[1:]):
			return 0, countNegative, "" // below MinInt64, still just negative
		case isDigits(strings.TrimPrefix(t, "+")):
			return 0, countBad, "count is out of range: " + strconv.Quote(s)
		}
		return 0, countBad, "count is not a number: " + strconv.Quote(s)
	}
	s, _ := text(v)
	return 0, countBad, "count is not a number: " + strconv.Quote(s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// typeNumber reads a numeric type/category cell; anything that is not a whole
// number is UnknownType (-1), as Python's int() failing is.
func typeNumber(v any) int {
	switch x := v.(type) {
	case int64:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return int(x)
		}
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt32 && x <= math.MaxInt32 {
			return int(x)
		}
	case string, []byte:
		s, _ := text(x)
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32); err == nil {
			return int(n)
		}
	}
	return -1
}

// gelbooruType maps gelbooru's type names (docs/site-tags.md, "Values") to the
// numbers TAG_TYPE_FORMAT_MAPPING uses for format 7. "deprecated" also sets
// the row's deprecation flag.
func gelbooruType(v any) (typ int, deprecated bool) {
	s, ok := text(v)
	if !ok {
		return -1, false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "general":
		return 0, false
	case "artist":
		return 1, false
	case "copyright":
		return 3, false
	case "character":
		return 4, false
	case "metadata":
		return 5, false
	case "deprecated":
		return 6, true
	}
	return -1, false
}

// truthy reads a boolean flag. pandas stores booleans as 0/1 integers; text
// is accepted as "1"/"true"/"t"/"yes"/"y" (any case). Unlike Python, the text
// "False" or "0" is false: a flag that says false must not deprecate a tag.
func truthy(v any) bool {
	switch x := v.(type) {
	case int64:
		return x != 0
	case float64:
		return x != 0 && !math.IsNaN(x)
	case bool:
		return x
	case string, []byte:
		s, _ := text(x)
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "1", "true", "t", "yes", "y":
			return true
		}
	}
	return false
}

// timestamp converts a time cell to text that Python's
// datetime.fromisoformat accepts: "YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]".
// Integers are Unix seconds (SQLite's own convention). Anything it cannot
// read gives "": a bad timestamp never costs the row. The zone is kept here;
// the builder stores every timestamp in UTC (builder/utctime.go).
func timestamp(v any) string {
	switch x := v.(type) {
	case string:
		return isoText(x)
	case []byte:
		return isoText(string(x))
	case int64:
		return formatTime(time.Unix(x, 0).UTC(), true)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e13 {
			return ""
		}
		sec, frac := math.Modf(x)
		return formatTime(time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC(), true)
	}
	return ""
}

// formatTime writes t in the output form; withZone adds the UTC offset.
func formatTime(t time.Time, withZone bool) string {
	if t.Year() < 1 || t.Year() > 9999 {
		return ""
	}
	layout := "2006-01-02 15:04:05"
	if t.Nanosecond()/1000 != 0 {
		layout += ".000000"
	}
	if withZone {
		layout += "-07:00"
	}
	return t.Format(layout)
}

// isoText re-writes an ISO-8601 date-time in the output form. It accepts a
// 'T', 't' or space separator, optional seconds, a fraction of 1-9 digits
// (kept to microseconds, dropped when zero), and Z, ±HH, ±HHMM or ±HH:MM.
// A date alone gets 00:00:00. It is hand-written because it runs twice per
// danbooru row and time.Parse with a list of layouts costs several times more.
func isoText(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return ""
	}
	y, ok1 := num(s[0:4])
	mo, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
		return ""
	}
	// The output is assembled from validated pieces of the input, so no
	// number is formatted back.
	hhmm, sec, frac := "00:00", "00", ""
	zoneSign, zh, zm := byte(0), "", "00"
	rest := s[10:]
	if rest != "" {
		if rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ' {
			return ""
		}
		rest = rest[1:]
		if len(rest) < 5 || rest[2] != ':' {
			return ""
		}
		hh, ok4 := num(rest[0:2])
		mm, ok5 := num(rest[3:5])
		if !ok4 || !ok5 || hh > 23 || mm > 59 {
			return ""
		}
		hhmm, rest = rest[0:5], rest[5:]
		if len(rest) >= 3 && rest[0] == ':' {
			if ss, ok := num(rest[1:3]); !ok || ss > 59 {
				return ""
			}
			sec, rest = rest[1:3], rest[3:]
		}
		if rest != "" && (rest[0] == '.' || rest[0] == ',') {
			n := 1
			for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
				n++
			}
			if n == 1 || n > 10 {
				return "" // no digits, or more than nanoseconds
			}
			frac, rest = rest[1:min(n, 7)], rest[n:]
			if strings.Trim(frac, "0") == "" {
				frac = "" // a zero fraction is dropped
			}
		}
		switch {
		case rest == "":
		case rest == "Z" || rest == "z":
			zoneSign, zh = '+', "00"
		case rest[0] == '+' || rest[0] == '-':
			z := rest[1:]
			switch {
			case len(z) == 2:
				zh = z
			case len(z) == 4:
				zh, zm = z[0:2], z[2:4]
			case len(z) == 5 && z[2] == ':':
				zh, zm = z[0:2], z[3:5]
			default:
				return ""
			}
			h, ok6 := num(zh)
			m, ok7 := num(zm)
			if !ok6 || !ok7 || h > 23 || m > 59 {
				return ""
			}
			zoneSign = rest[0]
		default:
			return ""
		}
	}
	// Build on the stack; when the input already is in the output form (the
	// common case for a given file), return it and allocate nothing.
	var buf [40]byte
	b := append(buf[:0], s[0:10]...)
	b = append(b, ' ')
	b = append(b, hhmm...)
	b = append(b, ':')
	b = append(b, sec...)
	if frac != "" {
		b = append(b, '.')
		b = append(b, frac...)
		b = append(b, "000000"[len(frac):]...)
	}
	if zoneSign != 0 {
		b = append(b, zoneSign)
		b = append(b, zh...)
		b = append(b, ':')
		b = append(b, zm...)
	}
	if string(b) == s {
		return s
	}
	return string(b)
}

// num parses a run of ASCII digits.
func num(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
