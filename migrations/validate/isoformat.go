package validate

import (
	"errors"
	"time"
	"unicode/utf8"
)

// errISO is all a caller needs: the reader would raise on this value.
var errISO = errors.New("not accepted by Python's datetime.fromisoformat")

// fromISOFormat accepts exactly the strings CPython 3.11's C implementation of
// datetime.fromisoformat accepts (Modules/_datetimemodule.c, which works on the
// UTF-8 bytes). That is the parser SQLAlchemy 2.0 runs on every DATETIME value
// the consumer loads, so a value it rejects kills the reader's searches
// (docs/reader-contract.md, "Datetimes"). The common shapes are accepted in SQL already;
// this handles the rest. The tests compare it with a real Python when present.
func fromISOFormat(s string) error {
	if len([]rune(s)) < 7 {
		return errISO
	}
	sep := isoSeparator(s)
	if sep < 0 {
		return errISO
	}
	if err := isoDate(s, sep); err != nil {
		return err
	}
	if len(s) > sep {
		// The separator is any one character, however many bytes it takes.
		_, size := utf8.DecodeRuneInString(s[sep:])
		return isoTime(s[sep+size:])
	}
	return nil
}

// at reads s like a NUL-terminated C string: 0 past the end.
func at(s string, p int) byte {
	if p >= 0 && p < len(s) {
		return s[p]
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isoSeparator is _find_isoformat_datetime_separator: where the date ends;
// -1 for a malformed week date.
func isoSeparator(s string) int {
	n := len(s)
	if n == 7 {
		return 7
	}
	if s[4] == '-' {
		if s[5] == 'W' {
			if n < 8 {
				return -1
			}
			if n > 8 && s[8] == '-' {
				if n == 9 {
					return -1
				}
				if n > 10 && isDigit(s[10]) {
					return 8
				}
				return 10
			}
			return 8
		}
		return 10
	}
	if s[4] == 'W' {
		idx := 7
		for idx < n && isDigit(s[idx]) {
			idx++
		}
		if idx < 9 {
			return idx
		}
		if idx%2 == 0 {
			return 7
		}
		return 8
	}
	return 8
}

// digits is parse_digits: exactly n ASCII digits at s[p:], reading past any
// logical end as C does (the bytes there are never digits that matter).
func digits(s string, p, n int) (int, int, bool) {
	v := 0
	for i := 0; i < n; i++ {
		c := at(s, p+i)
		if !isDigit(c) {
			return 0, p, false
		}
		v = v*10 + int(c-'0')
	}
	return v, p + n, true
}

// isoDate is parse_isoformat_date on s[:end] plus the range checks of
// new_date. Like C it does not insist that the date fills s[:end].
func isoDate(s string, end int) error {
	year, p, ok := digits(s, 0, 4)
	if !ok {
		return errISO
	}
	dash := at(s, p) == '-'
	if dash {
		p++
	}
	if at(s, p) == 'W' {
		p++
		week, q, ok := digits(s, p, 2)
		if !ok {
			return errISO
		}
		p = q
		day := 1
		if p < end {
			if dash {
				if at(s, p) != '-' {
					return errISO
				}
				p++
			}
			if day, _, ok = digits(s, p, 1); !ok {
				return errISO
			}
		}
		if year < 1 || week < 1 || week > 53 || day < 1 || day > 7 {
			return errISO
		}
		if week == 53 {
			if _, w := time.Date(year, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek(); w != 53 {
				return errISO
			}
		}
		return nil
	}
	month, p, ok := digits(s, p, 2)
	if !ok {
		return errISO
	}
	if dash {
		if at(s, p) != '-' {
			return errISO
		}
		p++
	}
	day, _, ok := digits(s, p, 2)
	if !ok || year < 1 || month < 1 || month > 12 || day < 1 {
		return errISO
	}
	if time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() != day {
		return errISO // past the end of the month
	}
	return nil
}

// hms is parse_hh_mm_ss_ff(s+start, s+end): HH[:MM[:SS]] or HH[MM[SS]], then
// an optional fraction of any length (six digits kept). rv is -1 on error, 1
// when something other than the end of s follows, else 0.
func hms(s string, start, end int) (h, m, sec, rv int) {
	vals := [3]*int{&h, &m, &sec}
	p := start
	hasSep := true
	for i := 0; i < 3; i++ {
		v, q, ok := digits(s, p, 2)
		if !ok {
			return 0, 0, 0, -1
		}
		*vals[i] = v
		p = q
		c := at(s, p)
		p++
		if i == 0 {
			hasSep = c == ':'
		}
		if p >= end {
			if c != 0 {
				return h, m, sec, 1
			}
			return h, m, sec, 0
		}
		if hasSep && c == ':' {
			continue
		}
		if c == '.' || c == ',' {
			break
		}
		if !hasSep {
			p--
			continue
		}
		return 0, 0, 0, -1
	}
	toParse := min(end-p, 6)
	if _, _, ok := digits(s, p, toParse); !ok {
		return 0, 0, 0, -1
	}
	p += toParse
	for isDigit(at(s, p)) {
		p++
	}
	if at(s, p) != 0 {
		return h, m, sec, 1
	}
	return h, m, sec, 0
}

// isoTime is parse_isoformat_time plus the range checks of new_datetime and
// of timezone(): hours 0-23, minutes and seconds 0-59, |offset| < 24h.
func isoTime(s string) error {
	tz := 0
	for {
		if c := at(s, tz); c == 'Z' || c == '+' || c == '-' {
			break
		}
		tz++
		if tz >= len(s) {
			break
		}
	}
	h, m, sec, rv := hms(s, 0, tz)
	if rv < 0 || (tz >= len(s) && rv == 1) {
		return errISO
	}
	if h > 23 || m > 59 || sec > 59 {
		return errISO
	}
	if tz >= len(s) {
		return nil
	}
	if s[tz] == 'Z' {
		if at(s, tz+1) != 0 {
			return errISO
		}
		return nil
	}
	th, tm, ts, rv := hms(s, tz+1, len(s))
	if rv != 0 || th*3600+tm*60+ts >= 24*3600 {
		return errISO
	}
	return nil
}
