package mdtext

import (
	"strconv"
	"strings"
)

// Code puts s in a code span that survives backticks; an empty s shows as
// "". Inside a table cell, pass the result through Cell's pipe escaping too
// (GitHub reads \| in a code span in a table as a pipe).
func Code(s string) string {
	if s == "" {
		return `""`
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

var cellEscaper = strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "<", "&lt;", "\r", "", "\n", " ")

// Cell escapes the characters that would end a table cell or start markup.
func Cell(s string) string { return cellEscaper.Replace(s) }

// Int formats n with thousands separators: 1234567 → "1,234,567".
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
