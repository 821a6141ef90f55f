package tabular

import (
	"fmt"
	"strings"
	"time"
)

// Layouts a source timestamp may come in: ISO-8601/RFC 3339 with 'T' or a
// space, with or without seconds, a numeric zone (or Z), and bare dates. Go
// accepts fractional seconds after the seconds field even when a layout does
// not spell them out.
func layouts() (zoned, local [8]string) {
	zoned = [8]string{
		"2006-01-02T15:04:05Z07:00",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02T15:04:05Z0700",
		"2006-01-02 15:04:05Z0700",
		"2006-01-02 15:04:05 Z07:00",
		"2006-01-02 15:04:05 Z0700",
		"2006-01-02T15:04Z07:00",
		"2006-01-02 15:04Z07:00",
	}
	local = [8]string{
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05",
		"2006-01-02T15:04",
		"2006-01-02 15:04",
		"2006-01-02",
	}
	return zoned, local
}

// Timestamp converts a timestamp as sources write it to the text the output
// DB stores: `YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]`, which Python's
// datetime.fromisoformat reads (so do SQLite's date functions). A zone is kept
// when the input has one ("Z" becomes "+00:00"): the builder converts it to
// the stored UTC form in one place for every source (builder/utctime.go).
// A time without a zone stays without one. Anything else, including
// years Python cannot represent, gives "".
func Timestamp(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < len("2006-01-02") || len(s) > 64 {
		return ""
	}
	zoned, local := layouts()
	// After the date, only a zone can hold 'Z', '+' or '-': try the one set of
	// layouts that can match.
	if strings.ContainsAny(s[len("2006-01-02"):], "Z+-") {
		for _, l := range zoned {
			if l == "" {
				break
			}
			if t, err := time.Parse(l, s); err == nil {
				return formatTime(t, true)
			}
		}
		return ""
	}
	for _, l := range local {
		if l == "" {
			break
		}
		if t, err := time.Parse(l, s); err == nil {
			return formatTime(t, false)
		}
	}
	return ""
}

// formatTime renders t in the stored form; zoned adds t's UTC offset.
func formatTime(t time.Time, zoned bool) string {
	if t.Year() < 1 || t.Year() > 9999 {
		return ""
	}
	var b strings.Builder
	b.Grow(32)
	b.WriteString(t.Format("2006-01-02 15:04:05"))
	if us := t.Nanosecond() / 1000; us != 0 {
		fmt.Fprintf(&b, ".%06d", us)
	}
	if zoned {
		_, off := t.Zone()
		sign := byte('+')
		if off < 0 {
			sign, off = '-', -off
		}
		if off >= 24*3600 {
			return ""
		}
		fmt.Fprintf(&b, "%c%02d:%02d", sign, off/3600, off/60%60)
		if off%60 != 0 {
			fmt.Fprintf(&b, ":%02d", off%60)
		}
	}
	return b.String()
}
