package tabular

import (
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

// TestBundledSamples reads every file sample the `go run . build` default
// manifest uses, so a broken edit to one fails here first.
func TestBundledSamples(t *testing.T) {
	for _, tc := range []struct {
		file      string
		kind      Kind
		opts      Options
		rows      int
		first     string
		wantSkips []string
	}{
		{"tagcomplete/danbooru.csv", Tagcomplete, Options{Format: 1}, 37,
			`line 1 "1girl" f1 t0 c4100000 aliases=["1girls" "sole_female"]`, nil},
		{"tagcomplete/e621.csv", Tagcomplete, Options{Format: 2}, 24,
			`line 1 "mammal" f2 t5 c2300000 aliases=["mammals" "mammalian"]`, nil},
		{"translations/ja.csv", Translation, Options{Format: record.NoFormat, Language: "ja"}, 22,
			`line 1 "1girl" nofmt ja="一人の女の子"`, nil},
		{"tabular/derpibooru.csv", CSV, Options{Format: 3}, 13,
			`line 2 "safe" f3 t5 c2900000 created="2012-01-02 03:04:05+00:00"`, nil},
		{"tabular/extra.json", JSON, Options{Format: record.NoFormat}, 7,
			`row 1 "1girl" f1 t0 ja="女の子一人" zh="单人女性"`, []string{"row 8: empty tag"}},
		{"tabular/p1atdev.parquet", Parquet, Options{Format: record.NoFormat}, 13,
			`row 1 "1girl" nofmt ja="女の子一人" ja="1人の女の子"`, []string{"row 13: deleted"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			rows, ev, err := readAll(t, tc.kind, filepath.Join(repoRoot(t), "testdata", "sample", tc.file), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.rows || rows[0] != tc.first {
				t.Errorf("%d rows, first %q; want %d, %q", len(rows), rows[0], tc.rows, tc.first)
			}
			recordtest.DiffLines(t, "skips", ev.SkipLines(), tc.wantSkips)
		})
	}
}
