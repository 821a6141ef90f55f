package tagsdb

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record/recordtest"
	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

func readAll(t *testing.T, path string, batch int) ([]string, []string, error) {
	t.Helper()
	ev := &recordtest.Events{}
	src, err := Open(context.Background(), path, Options{Events: ev, BatchSize: batch})
	if err != nil {
		return nil, ev.SkipLines(), err
	}
	defer src.Close()
	rows, err := recordtest.ReadAll(src)
	return rows, ev.SkipLines(), err
}

func repoRoot(t testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// makeDB runs sql into a new database file and returns its path.
func makeDB(t testing.TB, dir, name, sql string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(sql); err != nil {
		db.Close()
		t.Fatalf("%s: %v", name, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSampleTagsV4 generates the bundled tags_v4 sample from its .sql (with
// -update it rewrites the committed file), checks the generation is
// byte-for-byte deterministic and that the committed file holds the same
// data, and reads it: duplicate tag texts, an old TAG_STATUS without the
// deprecated columns, placeholders and orphans.
func TestSampleTagsV4(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "testdata", "sample", "tagsdb")
	sqlText, err := os.ReadFile(filepath.Join(dir, "tags_v4_sample.sql"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	a := makeDB(t, tmp, "a.sqlite", string(sqlText))
	b := makeDB(t, tmp, "b.sqlite", string(sqlText))
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Fatal("generating the sample twice gave different bytes")
	}
	committed := filepath.Join(dir, "tags_v4_sample.sqlite")
	if golden.Update() {
		if err := os.WriteFile(committed, ab, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before, err := os.ReadFile(committed)
	if err != nil {
		t.Fatalf("%v (run go test ./builder/tagsdb -run TestSampleTagsV4 -update)", err)
	}
	if got, want := strings.Join(sqlitetest.Dump(t, committed), "\n"), strings.Join(sqlitetest.Dump(t, a), "\n"); got != want {
		t.Fatalf("committed sample differs from tags_v4_sample.sql: run go test ./builder/tagsdb -run TestSampleTagsV4 -update")
	}

	rows, skips, err := readAll(t, committed, 4)
	if err != nil {
		t.Fatal(err)
	}
	recordtest.DiffLines(t, "rows", rows, []string{
		`TAG_STATUS rowid 1 "witch" norm src="witch" f1 t0 c7000 updated="2024-10-17 12:00:00"`,
		`TAG_STATUS rowid 2 "witch hat" norm src="witch_hat" f1 t0`,
		`TAG_STATUS rowid 3 "sorceress" norm src="sorceress" f1 t0 of="witch"`,
		`TAG_STATUS rowid 4 "long hair" norm src="long_hair" f1 t0 c3000 updated="2024-10-16 12:00:00"`,
		`TAG_STATUS rowid 5 "longhair" norm src="longhair" f1 t0 of="long hair"`,
		`TAG_STATUS rowid 6 "cat ears" norm src="cat_ears" f1 t0`,
		`TAG_STATUS rowid 7 "nekomimi" norm src="nekomimi" f1 t0 of="cat ears"`,
		// tag_id 8 is a second "witch": its text, with the source_tag of id 1.
		`TAG_STATUS rowid 8 "witch" norm src="witch" f2 t0`,
		`TAG_STATUS rowid 10 "hatsune miku" norm src="hatsune_miku" f1 t4 c120000 updated="2024-10-16 12:00:00"`,
		`TAG_STATUS rowid 11 "vocaloid" norm src="vocaloid" f1 t3`,
		`TAG_STATUS rowid 12 "1girl" norm src="1girl" f1 t0 c600000 updated="2024-10-16 12:00:00"`,
		`TAG_STATUS rowid 13 "solo" norm src="solo" f1 t0 c500000 updated="2024-10-16 12:00:00"`,
		`TAG_STATUS rowid 14 "smile" norm src="smile" f1 t0`,
		`TAG_STATUS rowid 15 "original" norm src="original" f1 t3`,
		`TAG_STATUS rowid 17 "1girl" norm src="1girl" f2 t0 c90000 updated="2024-10-16 12:00:00"`,
		`TAG_TRANSLATIONS rowid 1 "witch" norm src="witch" nofmt ja="魔女"`,
		`TAG_TRANSLATIONS rowid 2 "cat ears" norm src="cat_ears" nofmt ja="猫耳, ねこみみ"`,
		`TAG_TRANSLATIONS rowid 3 "hatsune miku" norm src="hatsune_miku" nofmt ja="初音ミク"`,
		`TAG_TRANSLATIONS rowid 6 "smile" norm src="smile" nofmt zh-cn="微笑"`,
		`TAG_TRANSLATIONS rowid 9 "witch" norm src="witch" nofmt ja="ウィッチ"`,
	})
	recordtest.DiffLines(t, "skips", skips, []string{
		"TAG_STATUS rowid 9: placeholder tag __missing_tag_id_42__",
		"TAG_STATUS rowid 16: preferred tag is a placeholder: __missing_tag_id_42__",
		"TAG_USAGE_COUNTS rowid 7: usage count of tag_id 16 has no TAG_STATUS row in format 1",
		"TAG_TRANSLATIONS rowid 4: placeholder tag __missing_tag_id_42__",
		"TAG_TRANSLATIONS rowid 5: tag_id 99 is not in TAGS",
		`TAG_TRANSLATIONS rowid 7: unknown language "translation"`,
		"TAG_TRANSLATIONS rowid 8: empty translation",
	})
	after, _ := os.ReadFile(committed)
	if !bytes.Equal(before, after) {
		t.Error("reading changed the input file")
	}
	for _, suffix := range []string{"-journal", "-wal", "-shm"} {
		if _, err := os.Stat(committed + suffix); err == nil {
			t.Errorf("reading left %s behind", committed+suffix)
		}
	}
}

// currentSchema is an output of ours: the migrations' TAG_STATUS with the
// deprecation columns, UNIQUE(tag).
func currentSchema(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "migrations", "0001_tags_v4_schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCurrentSchema(t *testing.T) {
	path := makeDB(t, t.TempDir(), "out.sqlite", currentSchema(t)+`
INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (1, 'absurd_res', 'absurd res'), (2, 'absurdres', 'absurdres'),
    (3, 'old_tag', 'old tag');
INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id, deprecated, source_created_at) VALUES
    (1, 2, 7, 0, 1, 0, '2013-02-28T10:40:17.000-05:00'),
    (2, 2, 7, 1, 1, 1, NULL),
    (3, 2, 0, 0, 3, 1, 'not a time'),
    (2, 1, 5, 0, 2, 0, NULL);
INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count, updated_at) VALUES (1, 2, 42, '2024-01-02T03:04:05Z'),
    (3, 2, -5, '2024-01-02');
`)
	rows, skips, err := readAll(t, path, 0)
	if err != nil {
		t.Fatal(err)
	}
	recordtest.DiffLines(t, "rows", rows, []string{
		`TAG_STATUS rowid 1 "absurd res" norm src="absurd_res" f2 t7 c42 created="2013-02-28 10:40:17-05:00" updated="2024-01-02 03:04:05+00:00"`,
		`TAG_STATUS rowid 2 "absurdres" norm src="absurdres" f2 t7 dep of="absurd res"`,
		`TAG_STATUS rowid 3 "old tag" norm src="old_tag" f2 t0 dep`,
		`TAG_STATUS rowid 4 "absurdres" norm src="absurdres" f1 t5`,
	})
	recordtest.DiffLines(t, "skips", skips, []string{
		`TAG_STATUS rowid 3: count is negative: "-5"`,
	})
}

// TestInconsistentStatus covers rows the CHECK constraint of our schema
// forbids but tags_v4 files (no CHECK, no UNIQUE(tag)) may hold.
func TestInconsistentStatus(t *testing.T) {
	path := makeDB(t, t.TempDir(), "v4.sqlite", `
CREATE TABLE TAGS (tag_id INTEGER NOT NULL PRIMARY KEY, source_tag TEXT, tag TEXT NOT NULL);
CREATE TABLE TAG_STATUS (tag_id INTEGER NOT NULL, format_id INTEGER NOT NULL, type_id INTEGER,
    alias BOOLEAN NOT NULL, preferred_tag_id INTEGER NOT NULL, PRIMARY KEY (tag_id, format_id));
CREATE TABLE TAG_TRANSLATIONS (translation_id INTEGER PRIMARY KEY, tag_id INTEGER, language TEXT, translation TEXT);
CREATE TABLE TAG_USAGE_COUNTS (tag_id INTEGER NOT NULL, format_id INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (tag_id, format_id));
INSERT INTO TAGS VALUES (1, 'Old_Tag', 'old tag'), (2, 'old_tag', 'old tag'), (3, 'other', 'other'), (4, '', '  ');
INSERT INTO TAG_STATUS VALUES
    (2, 1, 0, 1, 1),      -- an alias of its own duplicate
    (3, 1, NULL, 0, 1),   -- alias=0 pointing elsewhere; no type
    (5, 1, 0, 0, 5),      -- tag id not in TAGS
    (3, 2, 0, 'true', 7), -- alias target not in TAGS
    (4, 1, 0, 0, 4);      -- blank tag text
INSERT INTO TAG_USAGE_COUNTS VALUES (2, 1, 'many'), (3, 1, 12.0);
INSERT INTO TAG_TRANSLATIONS VALUES (1, 2, NULL, 'x');
`)
	rows, skips, err := readAll(t, path, 1)
	if err != nil {
		t.Fatal(err)
	}
	recordtest.DiffLines(t, "rows", rows, []string{
		`TAG_STATUS rowid 1 "old tag" norm src="Old_Tag" f1 t0`,
		`TAG_STATUS rowid 2 "other" norm src="other" f1 c12`,
	})
	recordtest.DiffLines(t, "skips", skips, []string{
		`TAG_STATUS rowid 1: alias of "old tag", a duplicate of itself: kept as canonical`,
		`TAG_STATUS rowid 1: count is not a number: "many"`,
		"TAG_STATUS rowid 2: alias=0 but preferred_tag_id is 1: kept as canonical",
		"TAG_STATUS rowid 3: tag_id 5 is not in TAGS",
		"TAG_STATUS rowid 4: preferred_tag_id 7 is not in TAGS",
		"TAG_STATUS rowid 5: empty tag",
		"TAG_TRANSLATIONS rowid 1: language is NULL",
	})
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	sample := filepath.Join(repoRoot(t), "testdata", "sample", "tagsdb", "tags_v4_sample.sqlite")
	good, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	// Overwrite the b-tree page of TAGS (page 2) with garbage: the header and
	// schema stay readable, so it is quick_check that notices.
	corrupt := bytes.Clone(good)
	for i := 4096 + 8; i < 8192; i++ {
		corrupt[i] = byte(i * 7)
	}
	corruptPath := filepath.Join(dir, "corrupt.sqlite")
	os.WriteFile(corruptPath, corrupt, 0o644)
	junkPath := filepath.Join(dir, "junk.sqlite")
	os.WriteFile(junkPath, bytes.Repeat([]byte("not sqlite "), 500), 0o644)

	for _, tc := range []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(dir, "none.sqlite"), "none.sqlite"},
		{"not a database", junkPath, "junk.sqlite: file is not a database"},
		{"corrupt", corruptPath, "corrupt.sqlite: corrupt database (PRAGMA quick_check)"},
		{"missing tables", makeDB(t, dir, "tags_only.sqlite", `CREATE TABLE TAGS (tag_id INTEGER PRIMARY KEY, source_tag TEXT, tag TEXT);
			CREATE TABLE tag_status (x);`),
			"tags_only.sqlite: not a tag database: missing table(s) TAG_TRANSLATIONS, TAG_USAGE_COUNTS"},
		{"missing column", makeDB(t, dir, "no_source_tag.sqlite", strings.Replace(currentSchema(t), "source_tag TEXT NOT NULL,", "", 1)),
			"no_source_tag.sqlite: table TAGS lacks column(s) source_tag"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readAll(t, tc.path, 0)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestIsPlaceholder(t *testing.T) {
	for s, want := range map[string]bool{
		"__missing_tag_id_42__": true,
		"__missing_tag_id_1__":  true,
		"__missing_tag_id___":   false,
		"__missing_tag_id_4x__": false,
		"xxmissing_tag_id_42xx": false, // LIKE '__missing_tag_id_%__' would match this (docs/python-differences.md, W13)
		"__missing_tag_id_42":   false,
		"missing tag":           false,
	} {
		if got := isPlaceholder(s); got != want {
			t.Errorf("isPlaceholder(%q) = %v, want %v", s, got, want)
		}
	}
}
