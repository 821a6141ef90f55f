package tabular

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
		err  string
	}{
		{`a,b,c`, []string{"a", "b", "c"}, ""},
		{``, []string{""}, ""},
		{`,`, []string{"", ""}, ""},
		{`a,"b,c",d`, []string{"a", "b,c", "d"}, ""},
		{`"a ""q"" b"`, []string{`a "q" b`}, ""},
		{`""`, []string{""}, ""},
		{`"",""`, []string{"", ""}, ""},
		{`""""`, []string{`"`}, ""},
		{`a,""`, []string{"a", ""}, ""},
		{`5"_tall,0`, []string{`5"_tall`, "0"}, ""}, // a quote inside an unquoted field is literal
		{`"open,0,1`, nil, reasonUnbalanced},
		{`a,"open`, nil, reasonUnbalanced},
		{`"a""`, nil, reasonUnbalanced},
		{`"a"b,c`, nil, reasonAfterQuote},
		{`"a" ,c`, nil, reasonAfterQuote},
		{` "a",b`, []string{` "a"`, "b"}, ""}, // not at field start: literal
	} {
		got, err := splitLine(tc.line, nil)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("splitLine(%q) err = %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("splitLine(%q): %v", tc.line, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitLine(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

// quoteFields is the inverse of splitLine for fields without line breaks.
func quoteFields(fields []string) string {
	out := make([]string, len(fields))
	for i, f := range fields {
		if strings.ContainsAny(f, `,"`) {
			f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		out[i] = f
	}
	return strings.Join(out, ",")
}

// FuzzCSVLine checks the splitter on arbitrary lines: it never panics, a line
// without quotes splits exactly on commas, and a successful split re-quotes to
// a line that splits back to the same fields.
func FuzzCSVLine(f *testing.F) {
	for _, s := range []string{`a,b,c`, `"a,b",c`, `"x""y"`, `"open`, `"a"b`, `,,`, `a"b,c`, `""""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "\r\n") {
			return // the line reader never passes line breaks
		}
		fields, err := splitLine(line, nil)
		if !strings.Contains(line, `"`) {
			if err != nil {
				t.Fatalf("splitLine(%q): %v", line, err)
			}
			if want := strings.Split(line, ","); !reflect.DeepEqual(fields, want) {
				t.Fatalf("splitLine(%q) = %q, want %q", line, fields, want)
			}
		}
		if err != nil {
			if err.Error() != reasonUnbalanced && err.Error() != reasonAfterQuote {
				t.Fatalf("splitLine(%q): unexpected error %v", line, err)
			}
			return
		}
		again, err := splitLine(quoteFields(fields), nil)
		if err != nil || !reflect.DeepEqual(again, fields) {
			t.Fatalf("round trip of %q: %q (err %v), want %q", line, again, err, fields)
		}
	})
}
