package normalize

import (
	"strings"
	"unicode/utf8"
)

// IsSpace reports whether Python's str.isspace() is true for r, which is also
// what Python's re `\s` and str.strip() use. It differs from unicode.IsSpace:
// the ASCII separators U+001C..U+001F count as whitespace in Python.
func IsSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ',
		0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return 0x2000 <= r && r <= 0x200a
}

// isASCIISpace is IsSpace for a single byte below utf8.RuneSelf.
func isASCIISpace(c byte) bool {
	return c == ' ' || ('\t' <= c && c <= '\r') || (0x1c <= c && c <= 0x1f)
}

// TrimSpace is Python's str.strip() with no argument: it removes IsSpace runes
// from both ends. It never allocates.
func TrimSpace(s string) string {
	// Most inputs are already trimmed and ASCII at both ends, so check the
	// end bytes before decoding anything.
	if s == "" {
		return s
	}
	if c0, cn := s[0], s[len(s)-1]; c0 < utf8.RuneSelf && cn < utf8.RuneSelf && !isASCIISpace(c0) && !isASCIISpace(cn) {
		return s
	}
	return strings.TrimFunc(s, IsSpace)
}
