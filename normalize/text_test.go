package normalize

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	for _, tc := range []struct {
		what, in, want string
	}{
		{"tag", "long_hair", ""},
		{"tag", "", ""}, // emptiness is the caller's rule (after normalisation)
		{"tag", "魔女", ""},
		{"tag", "a\x00b", "NUL byte"},
		{"tag", "\x00", "NUL byte"},
		{"translation", "\xff\xfe", "invalid UTF-8"},
		{"tag", "abc\xc3", "invalid UTF-8"},      // truncated sequence
		{"tag", "\xed\xa0\x80", "invalid UTF-8"}, // a UTF-16 surrogate encoded as UTF-8
		{"tag", "\x00\xff", "NUL byte"},          // NUL is checked first
		{"tag", strings.Repeat("a", MaxTextBytes), ""},
		{"tag", strings.Repeat("a", MaxTextBytes+1), "tag longer than 1024 bytes"},
		{"translation", strings.Repeat("魔", 400), "translation longer than 1024 bytes"},
	} {
		if got := Text(tc.what, tc.in); got != tc.want {
			t.Errorf("Text(%q, %.20q) = %q, want %q", tc.what, tc.in, got, tc.want)
		}
	}
}
