package mdtext

import "testing"

func TestFormatting(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Int(0), "0"}, {Int(999), "999"}, {Int(1000), "1,000"}, {Int(-1234567), "-1,234,567"}, {Int(100000), "100,000"},
		{Code("a"), "`a`"}, {Code(""), `""`}, {Code("a`b"), "``a`b``"}, {Code("`x"), "`` `x ``"}, {Code("a|b"), "`a|b`"},
		{Cell("a|b*c_d<e\nf"), `a\|b\*c\_d&lt;e f`},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
