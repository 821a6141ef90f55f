package builder

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAppendTSVRow(t *testing.T) {
	for _, c := range []struct {
		fields []string
		want   string
	}{
		{[]string{"a", "b"}, "a\tb\n"},
		{[]string{"", ""}, "\t\n"},
		{[]string{"tab\there", "new\nline", "cr\rx", `back\slash`}, `tab\there` + "\t" + `new\nline` + "\t" + `cr\rx` + "\t" + `back\\slash` + "\n"},
		{[]string{`\t already escaped`, `"quotes" stay`}, `\\t already escaped` + "\t" + `"quotes" stay` + "\n"},
		{[]string{"forged\nsrc\tline 1\treason"}, `forged\nsrc\tline 1\treason` + "\n"},
	} {
		if got := string(appendTSVRow(nil, c.fields)); got != c.want {
			t.Errorf("appendTSVRow(%q) = %q, want %q", c.fields, got, c.want)
		}
	}
}

// TestReportsEscapeFileNames: a source file whose name holds a tab, a
// newline and a backslash (issue #14, class 8) gets one line per row in
// every report, with the name escaped, never a forged row or column.
func TestReportsEscapeFileNames(t *testing.T) {
	evil := "evil\tname\nforged\\x.csv"
	dir := writeTree(t, map[string]string{
		"sources.yml": "sources:\n  - id: src\n    kind: tagcomplete_csv\n    path: in/*.csv\n    format: danbooru\n    license: MIT\n",
		"in/a.csv":    "1girl,0,5,\n",
		"in/" + evil:  "solo,0,5,\nbroken line\n",
	})
	out := filepath.Join(t.TempDir(), "out.sqlite")
	rep := filepath.Join(t.TempDir(), "report")
	build(t, dir, "mit", out, func(o *Options) { o.ReportDir = rep })
	escaped := `src/evil\tname\nforged\\x.csv`
	for _, c := range []struct {
		file    string
		columns int
		want    string
	}{
		{"skipped_rows.tsv", 3, escaped + "\tline 2\t"},
		{"source_effects.tsv", 0, escaped + "\t"},
	} {
		b, err := os.ReadFile(filepath.Join(rep, c.file))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		cols := strings.Count(lines[0], "\t") + 1
		if c.columns != 0 && cols != c.columns {
			t.Errorf("%s header has %d columns, want %d", c.file, cols, c.columns)
		}
		found := false
		for i, l := range lines {
			if n := strings.Count(l, "\t") + 1; n != cols {
				t.Errorf("%s line %d has %d columns, the header %d: %q", c.file, i+1, n, cols, l)
			}
			found = found || strings.HasPrefix(l, c.want)
		}
		if !found {
			t.Errorf("%s has no line starting %q:\n%s", c.file, c.want, b)
		}
	}
}
