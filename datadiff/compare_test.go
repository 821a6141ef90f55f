package datadiff

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/builder"
	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// The old build's sources: one danbooru tag list with aliases, one Japanese
// translation list.
var oldTree = map[string]string{
	"sources.yml": `sources:
  - id: dan
    kind: tagcomplete_csv
    path: dan.csv
    format: danbooru
    license: CC0-1.0
    url: https://example.org/dan
  - id: ja
    kind: translation_csv
    path: ja.csv
    language: ja
    license: CC0-1.0
`,
	"dan.csv": "1girl,0,600,\"1girls\"\nlong_hair,0,400,longhair\ncat_ears,0,50,nekomimi\ngone_tag,0,5,\nartist_x,0,30,\n",
	"ja.csv":  "1girl,一人の女の子\n",
}

// knownEdits turn a copy of the old build into the new one: a tag added,
// one removed, an alias retargeted, a type changed, a count raised, a
// translation added, the version bumped and the provenance of a source
// updated and another added.
const knownEdits = `
INSERT INTO TAGS (tag_id, source_tag, tag) VALUES ((SELECT max(tag_id) + 1 FROM TAGS), 'new_tag', 'new tag');
INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id)
	SELECT tag_id, 1, 0, 0, tag_id FROM TAGS WHERE tag = 'new tag';
INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) SELECT tag_id, 1, 77 FROM TAGS WHERE tag = 'new tag';
DELETE FROM TAG_STATUS WHERE tag_id = (SELECT tag_id FROM TAGS WHERE tag = 'gone tag');
DELETE FROM TAG_USAGE_COUNTS WHERE tag_id = (SELECT tag_id FROM TAGS WHERE tag = 'gone tag');
DELETE FROM TAGS WHERE tag = 'gone tag';
UPDATE TAG_STATUS SET preferred_tag_id = (SELECT tag_id FROM TAGS WHERE tag = 'cat ears')
	WHERE tag_id = (SELECT tag_id FROM TAGS WHERE tag = 'longhair') AND format_id = 1;
UPDATE TAG_STATUS SET type_id = 1 WHERE tag_id = (SELECT tag_id FROM TAGS WHERE tag = 'artist x') AND format_id = 1;
UPDATE TAG_USAGE_COUNTS SET count = 900 WHERE tag_id = (SELECT tag_id FROM TAGS WHERE tag = '1girl') AND format_id = 1;
INSERT INTO TAG_TRANSLATIONS (tag_id, language, translation) SELECT tag_id, 'ja', '猫耳' FROM TAGS WHERE tag = 'cat ears';
UPDATE DATABASE_METADATA SET value = 'v2' WHERE key = 'version';
UPDATE DATABASE_METADATA SET value = replace(value, 'https://example.org/dan', 'https://example.org/dan/v2') WHERE key = 'build.provenance';
UPDATE DATABASE_METADATA SET value = replace(value, ']', ',{"id":"zz","kind":"csv","license":"CC0-1.0","sha256":"ab12"}]') WHERE key = 'build.provenance';
`

// buildPair builds the old database from oldTree and the new one as an
// edited copy of it, so that tag ids agree and only the known edits differ.
func buildPair(tb testing.TB, oldPath, newPath string) {
	tb.Helper()
	dir := tb.TempDir()
	for name, content := range oldTree {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	m, err := builder.LoadManifest(filepath.Join(dir, "sources.yml"))
	if err != nil {
		tb.Fatal(err)
	}
	_, err = builder.Build(context.Background(), builder.Options{Manifest: m, Profile: "cc0", Out: oldPath, Version: "v1",
		BuildTime: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC), MaxBadRows: -1, ProgramVersion: "test"})
	if err != nil {
		tb.Fatal(err)
	}
	copyFile(tb, oldPath, newPath)
	execSQL(tb, newPath, knownEdits)
}

func copyFile(tb testing.TB, from, to string) {
	tb.Helper()
	src, err := os.Open(from)
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		tb.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		tb.Fatal(err)
	}
}

func execSQL(tb testing.TB, path, script string) {
	tb.Helper()
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadWrite)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(script); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}

// pair builds the old and new databases in a temporary folder.
func pair(t *testing.T) (dir, oldPath, newPath string) {
	t.Helper()
	dir = t.TempDir()
	oldPath, newPath = filepath.Join(dir, "old.sqlite"), filepath.Join(dir, "new.sqlite")
	buildPair(t, oldPath, newPath)
	return dir, oldPath, newPath
}

func TestCompareKnownEdits(t *testing.T) {
	_, oldPath, newPath := pair(t)
	rep, err := Compare(context.Background(), oldPath, newPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tags := rep.Tags
	if tags.Added != 1 || tags.Removed != 1 || tags.Renamed != 0 {
		t.Errorf("tags +%d -%d ~%d, want +1 -1 ~0", tags.Added, tags.Removed, tags.Renamed)
	}
	if len(tags.TopAdded) != 1 || tags.TopAdded[0].Tag != "new tag" || tags.TopAdded[0].Count != 77 {
		t.Errorf("top added = %+v", tags.TopAdded)
	}
	if len(tags.TopRemoved) != 1 || tags.TopRemoved[0].Tag != "gone tag" || tags.TopRemoved[0].Count != 5 {
		t.Errorf("top removed = %+v", tags.TopRemoved)
	}
	if len(rep.Formats) != 1 || rep.Formats[0].Name != "danbooru" {
		t.Fatalf("formats = %+v, want only danbooru", rep.Formats)
	}
	f := rep.Formats[0]
	for _, c := range []struct {
		name      string
		got, want int64
	}{
		{"status added", f.StatusAdded, 1}, {"status removed", f.StatusRemoved, 1},
		{"type changed", f.TypeChanged, 1}, {"alias changed", f.AliasChanged, 1}, {"deprecated changed", f.DeprecatedChanged, 0},
		{"counts added", f.CountsAdded, 1}, {"counts removed", f.CountsRemoved, 1}, {"counts changed", f.CountsChanged, 1},
		{"usage delta", f.NewUsage - f.OldUsage, 77 - 5 + 300}, {"tags delta", f.NewTags - f.OldTags, 0},
	} {
		if c.got != c.want {
			t.Errorf("danbooru %s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if len(f.TopTypes) != 1 || f.TopTypes[0] != (TypeChange{ID: f.TopTypes[0].ID, Tag: "artist x", Old: "general", New: "artist", Count: 30}) {
		t.Errorf("type changes = %+v", f.TopTypes)
	}
	if len(f.TopAliases) != 1 || f.TopAliases[0].Tag != "longhair" || f.TopAliases[0].OldTarget != "long hair" || f.TopAliases[0].NewTarget != "cat ears" {
		t.Errorf("alias changes = %+v", f.TopAliases)
	}
	if len(f.TopMovers) != 1 || f.TopMovers[0].Tag != "1girl" || f.TopMovers[0].Old != 600 || f.TopMovers[0].New != 900 {
		t.Errorf("movers = %+v", f.TopMovers)
	}
	if len(f.Provenance) != 0 {
		t.Errorf("format provenance changes = %+v, want none", f.Provenance)
	}
	if len(rep.Translations) != 1 || rep.Translations[0].Language != "ja" || rep.Translations[0].Added != 1 || rep.Translations[0].Removed != 0 ||
		rep.Translations[0].ExamplesAdded[0] != (Translation{ID: rep.Translations[0].ExamplesAdded[0].ID, Tag: "cat ears", Translation: "猫耳"}) {
		t.Errorf("translations = %+v", rep.Translations)
	}
	src := rep.Sources
	if len(src.Added) != 1 || src.Added[0].ID != "zz" || len(src.Removed) != 0 || len(src.Updated) != 1 ||
		src.Updated[0].ID != "dan" || src.Updated[0].Changes[0] != (FieldChange{Name: "url", Old: "https://example.org/dan", New: "https://example.org/dan/v2"}) {
		t.Errorf("sources = %+v", src)
	}
	if len(rep.Metadata) != 1 || rep.Metadata[0] != (FieldChange{Name: "version", Old: "v1", New: "v2"}) {
		t.Errorf("metadata = %+v", rep.Metadata)
	}
	if rep.Empty() {
		t.Error("Empty() on differing files")
	}

	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, js.Bytes(), filepath.Join("testdata", "known_edits.golden.json"))
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md, MarkdownOptions{JSONName: "tagdb-cc0.diff.json"}); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, md.Bytes(), filepath.Join("testdata", "known_edits.golden.md"))
	var txt bytes.Buffer
	if err := rep.WriteText(&txt); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, txt.Bytes(), filepath.Join("testdata", "known_edits.golden.txt"))
}

func TestCompareSameFile(t *testing.T) {
	_, oldPath, _ := pair(t)
	rep, err := Compare(context.Background(), oldPath, oldPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Empty() || len(rep.Metadata) != 0 || rep.Old.Tags == 0 || rep.Old.Tags != rep.New.Tags {
		t.Errorf("a file against itself: %+v", rep)
	}
	var md bytes.Buffer
	rep.WriteMarkdown(&md, MarkdownOptions{})
	if !strings.Contains(md.String(), "No data differences.") {
		t.Errorf("markdown of no differences:\n%s", md.String())
	}
}

func TestCompareErrors(t *testing.T) {
	dir, oldPath, newPath := pair(t)
	broken := filepath.Join(dir, "broken.sqlite")
	copyFile(t, newPath, broken)
	execSQL(t, broken, `UPDATE DATABASE_METADATA SET value = 'not json' WHERE key = 'build.provenance'`)
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"missing old", filepath.Join(dir, "nope.sqlite"), newPath, "nope.sqlite"},
		{"missing new", oldPath, filepath.Join(dir, "nope2.sqlite"), "nope2.sqlite"},
		{"bad provenance", oldPath, broken, "new build.provenance"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compare(context.Background(), tc.old, tc.new, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %q", err, tc.want)
			}
		})
	}
}

func TestMarkdownCap(t *testing.T) {
	rep := &Report{Top: 3, Formats: []FormatDiff{}, Translations: []LanguageDiff{}}
	for i := range 200 {
		rep.Tags.TopAdded = append(rep.Tags.TopAdded, TagRef{ID: int64(i), Tag: strings.Repeat("x", 50), Count: 1})
		rep.Formats = append(rep.Formats, FormatDiff{ID: i, Name: "f", CountsChanged: 1})
	}
	var b bytes.Buffer
	rep.WriteMarkdown(&b, MarkdownOptions{MaxBytes: 2000, JSONName: "d.json"})
	if b.Len() > 2000 || !strings.HasSuffix(b.String(), "the rest is in `d.json`.\n") {
		t.Errorf("capped markdown is %d bytes, ends %q", b.Len(), b.String()[max(0, b.Len()-80):])
	}
}

func TestTopKeepsBest(t *testing.T) {
	tp := newTop[int64](3)
	for i, s := range []int64{5, 1, 9, 5, 7, 2} {
		tp.add(s, int64(i), s*10+int64(i))
	}
	got := tp.list()
	want := []int64{92, 74, 50} // scores 9, 7, 5; the tie at 5 goes to the lower id
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("top = %v, want %v", got, want)
	}
}
