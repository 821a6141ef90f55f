package builder

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

// sharedData is ../shared/data beside the repository; tests skip without it.
func sharedData(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "data"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tagcomplete", "danbooru.csv")); err != nil {
		t.Skip("../shared/data is not present")
	}
	return dir
}

func copyInto(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	os.MkdirAll(filepath.Dir(dst), 0o755)
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
}

// TestRealData builds the real tagcomplete and booru-japanese-tag lists (MIT)
// with a small CC0 source of our own, as the mit and cc0 editions.
func TestRealData(t *testing.T) {
	if testing.Short() {
		t.Skip("real-data build in -short mode")
	}
	data := sharedData(t)
	dir := writeTree(t, map[string]string{
		"sources.yml": `sources:
  - id: danbooru-tagcomplete
    kind: tagcomplete_csv
    path: tagcomplete/danbooru.csv
    format: danbooru
    license: MIT
    url: https://github.com/DominikDoom/a1111-sd-webui-tagcomplete
  - id: e621-tagcomplete
    kind: tagcomplete_csv
    path: tagcomplete/e621.csv
    format: e621
    license: MIT
  - id: booru-japanese-tag
    kind: translation_csv
    path: booru-japanese-tag/danbooru-machine-jp.csv
    language: ja
    license: MIT
    url: https://github.com/boorutan/booru-japanese-tag
  - id: own-cc0
    kind: tagcomplete_csv
    path: own/cc0.csv
    format: danbooru
    license: CC0-1.0
`,
		"own/cc0.csv": "1girl,0,1,\noriginal_cc0_tag,0,7,\n",
	})
	for _, f := range []string{"tagcomplete/danbooru.csv", "tagcomplete/e621.csv", "booru-japanese-tag/danbooru-machine-jp.csv"} {
		copyInto(t, filepath.Join(data, f), filepath.Join(dir, f))
	}
	mitOut := filepath.Join(t.TempDir(), "mit.sqlite")
	res := build(t, dir, "mit", mitOut, nil)
	mit := sqlitetest.OpenRO(t, mitOut)
	if c := sqlitetest.QueryInt(t, mit, `SELECT u.count FROM TAG_USAGE_COUNTS u JOIN TAGS t USING (tag_id) JOIN TAG_STATUS s ON s.tag_id=t.tag_id AND s.format_id=1
		WHERE t.tag='1girl' AND u.format_id=1 AND s.alias=0`); c != 6008644 {
		t.Errorf("1girl danbooru count = %d, want 6008644", c)
	}
	if p := sqlitetest.QueryString(t, mit, `SELECT p.tag FROM TAG_STATUS s JOIN TAGS t USING (tag_id) JOIN TAGS p ON p.tag_id=s.preferred_tag_id
		WHERE t.tag='1girls' AND s.format_id=1 AND s.alias=1`); p != "1girl" {
		t.Errorf("1girls preferred = %q, want 1girl", p)
	}
	if n := sqlitetest.QueryInt(t, mit, `SELECT count(*) FROM TAG_TRANSLATIONS tr JOIN TAGS t USING (tag_id) WHERE t.tag='1girl' AND language='ja' AND translation='一人の女の子'`); n != 1 {
		t.Errorf("1girl ja 一人の女の子 missing")
	}
	if n := sqlitetest.QueryInt(t, mit, `SELECT count(*) FROM TAGS WHERE source_tag='long_hair' AND tag='long hair'`); n != 1 {
		t.Errorf("long_hair → long hair missing")
	}
	// Autocomplete's stored answers: the build's validation recomputes them
	// on a file this size, so here only that they exist.
	if n := sqlitetest.QueryInt(t, mit, `SELECT count(*) FROM TAG_PREFIX_TOP WHERE prefix = 'l'`); n != 20 {
		t.Errorf("TAG_PREFIX_TOP holds %d rows for 'l', want 20", n)
	}
	if !res.Validation.OK() {
		t.Errorf("mit validation: %v", res.Validation.Problems)
	}
	// The translations the script check removes are counted, not lost
	// silently (issue #14: 26,631 of danbooru-machine-jp).
	for _, e := range res.Manifest.Effects {
		if e.Source == "booru-japanese-tag" {
			if n := e.Dropped[dropNoScript]; n != 26631 {
				t.Errorf("booru-japanese-tag: %d translations dropped for their script, want 26631 (all: %v)", n, e.Dropped)
			}
		}
	}

	cc0Out := filepath.Join(t.TempDir(), "cc0.sqlite")
	build(t, dir, "cc0", cc0Out, nil)
	cc0 := sqlitetest.OpenRO(t, cc0Out)
	if n := sqlitetest.QueryInt(t, cc0, `SELECT count(*) FROM TAGS`); n != 2 {
		t.Errorf("cc0 has %d tags, want only the 2 of the CC0 source", n)
	}
	if n := sqlitetest.QueryInt(t, cc0, `SELECT count(*) FROM TAG_TRANSLATIONS`) + sqlitetest.QueryInt(t, cc0, `SELECT count(*) FROM TAG_STATUS WHERE format_id != 1`); n != 0 {
		t.Errorf("cc0 has %d rows from MIT sources", n)
	}
	if c := sqlitetest.QueryInt(t, cc0, `SELECT u.count FROM TAG_USAGE_COUNTS u JOIN TAGS t USING (tag_id) WHERE t.tag='1girl'`); c != 1 {
		t.Errorf("cc0 1girl count = %d, want the CC0 source's 1", c)
	}
	mitIDs, cc0IDs := tagIDs(t, mit), tagIDs(t, cc0)
	for tag, id := range cc0IDs {
		if mitIDs[tag] != id {
			t.Errorf("tag %q: id %d in cc0, %d in mit", tag, id, mitIDs[tag])
		}
	}
}
