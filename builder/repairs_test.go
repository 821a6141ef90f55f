package builder

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

// TestPrefixRepairs: a winning row whose tag or preferred tag carries a
// category prefix is re-pointed to the unprefixed tag in every format but
// e621, and the report lists it (docs/merge-rules.md, "Prefix repair"); a
// prefix without its base tag is only reported. Run with the state on the
// heap and spilled: the repairs read the names ahead, in index order.
func TestPrefixRepairs(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"sources.yml": `sources:
  - id: dan
    kind: tagcomplete_csv
    path: dan.csv
    format: danbooru
    license: MIT
  - id: e6
    kind: tagcomplete_csv
    path: e6.csv
    format: e621
    license: MIT
profiles:
  mit: [MIT]
`,
		// copyright:vtuber and meta:tagme are canonical with a prefix; tagmeold
		// is an alias of the prefixed meta:tagme; artist:nobody has no base
		// tag; re:zero's colon is no category prefix; character:bar is an
		// alias whose target is already the base.
		"dan.csv": "vtuber,3,100,\ncopyright:vtuber,3,5,\nartist:nobody,1,5,\ntagme,5,1,\nmeta:tagme,5,2,tagmeold\nre:zero,3,7,\nbar,4,10,character:bar\n",
		"e6.csv":  "vtuber,3,100,\ncopyright:vtuber,3,5,\n",
	})
	type status struct {
		tag       string
		format    int
		alias     int64
		preferred string
	}
	want := []status{
		{"copyright:vtuber", 1, 1, "vtuber"},
		{"meta:tagme", 1, 1, "tagme"},
		{"tagmeold", 1, 1, "tagme"},
		{"artist:nobody", 1, 0, "artist:nobody"},
		{"re:zero", 1, 0, "re:zero"},
		{"character:bar", 1, 1, "bar"},
		{"copyright:vtuber", 2, 0, "copyright:vtuber"},
	}
	wantReport := []string{
		"artist:nobody\tbase_tag_not_found",
		"copyright:vtuber\tprefix_to_base",
		"meta:tagme\tprefix_to_base",
		"tagmeold\tprefix_to_base",
	}
	for _, tc := range []struct {
		name  string
		spill int64
	}{{"in memory", 0}, {"spilled", 1}} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "mit.sqlite")
			rep := filepath.Join(filepath.Dir(out), "report")
			build(t, dir, "mit", out, func(o *Options) { o.ReportDir, o.spillAfter = rep, tc.spill })
			db := sqlitetest.OpenRO(t, out)
			for _, w := range want {
				q := `SELECT s.alias, p.tag FROM TAG_STATUS s JOIN TAGS t USING (tag_id) JOIN TAGS p ON p.tag_id = s.preferred_tag_id
					WHERE t.tag = ? AND s.format_id = ?`
				var got status
				if err := db.QueryRow(q, w.tag, w.format).Scan(&got.alias, &got.preferred); err != nil {
					t.Fatalf("%s in format %d: %v", w.tag, w.format, err)
				}
				got.tag, got.format = w.tag, w.format
				if got != w {
					t.Errorf("TAG_STATUS of %s in format %d: alias %d, preferred %q; want alias %d, preferred %q",
						w.tag, w.format, got.alias, got.preferred, w.alias, w.preferred)
				}
			}
			b, err := os.ReadFile(filepath.Join(rep, "prefix_repairs.tsv"))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
			head := strings.Split(lines[0], "\t")
			tagCol, reasonCol := slices.Index(head, "tag"), slices.Index(head, "reason")
			if tagCol < 0 || reasonCol < 0 {
				t.Fatalf("prefix_repairs.tsv header %q lacks tag or reason", lines[0])
			}
			var got []string
			for _, l := range lines[1:] {
				f := strings.Split(l, "\t")
				if f[0] != "1" {
					t.Errorf("repair outside danbooru: %q", l)
				}
				got = append(got, f[tagCol]+"\t"+f[reasonCol])
			}
			slices.Sort(got)
			if !slices.Equal(got, wantReport) {
				t.Errorf("prefix_repairs.tsv tags and reasons:\n got %q\nwant %q", got, wantReport)
			}
		})
	}
}
