package sitetags

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

// FuzzSiteSQLite feeds the site_tags reader mutations of tags.sqlite files:
// the danbooru layout with aliases, the anime-pictures alias-id layout, and
// files whose tables are views (an endless recursive one among them). Any
// file gives rows or an error naming it, within the context's time, and
// leaves the site folder as it was (no -shm, -wal or -journal).
func FuzzSiteSQLite(f *testing.F) {
	for _, script := range []string{
		danbooruTable + `INSERT INTO tags VALUES (0, 1, 'witch', 10, 0, '2013-02-27T20:57:15.000-05:00', NULL, 0, '');
INSERT INTO tags VALUES (1, 2, 'hat', 3, 0, NULL, NULL, 1, NULL);
INSERT INTO tag_aliases VALUES (0, 'majo', 'witch');`,
		`CREATE TABLE tags (id INTEGER, name TEXT, num INTEGER, type INTEGER, alias INTEGER);
INSERT INTO tags VALUES (1, 'witch', 5, 1, NULL), (2, 'majo', 0, 1, 1);`,
		`CREATE TABLE t (id INTEGER, name TEXT, post_count INTEGER, category INTEGER, is_deprecated INTEGER);
CREATE VIEW tags AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT t.* FROM c, t;`,
	} {
		path := filepath.Join(f.TempDir(), "seed.sqlite")
		if err := buildSQLite(context.Background(), path, script); err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) { readFuzzed(t, sqliteFile, data) })
}

// FuzzSiteParquet is FuzzSiteSQLite for a site folder's tags.parquet:
// mutations of a valid file with several row groups, and footers that claim
// more than the file holds.
func FuzzSiteParquet(f *testing.F) {
	dir := f.TempDir()
	name := "Witch"
	writeParquet(f, dir, parquetFile, []danbooruRow{
		{Index: 0, ID: 1, Name: &name, PostCount: 10, CreatedAt: time.Date(2013, 2, 27, 20, 57, 15, 0, time.UTC), Words: "majo"},
		{Index: 1, ID: 2, Name: strp("hat"), PostCount: 3, IsDeprecated: true},
		{Index: 2, ID: 3, Name: nil, PostCount: 1},
	})
	b, err := os.ReadFile(filepath.Join(dir, parquetFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("PAR1\x29\xfc\xff\xff\xff\xff\x07\x00\x08\x00\x00\x00PAR1"))
	f.Add([]byte("PAR1\x00\xff\xff\xff\xffPAR1"))
	f.Fuzz(func(t *testing.T, data []byte) { readFuzzed(t, parquetFile, data) })
}

// readFuzzed writes data as the site folder's file and reads it: rows or an
// error naming the file, within the context's time, the folder unchanged.
func readFuzzed(t *testing.T, file string, data []byte) {
	dir := t.TempDir()
	site := filepath.Join(dir, conformanceDomain)
	path := filepath.Join(site, file)
	if err := os.MkdirAll(site, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	format, _ := DomainFormat(conformanceDomain)
	src, err := Open(ctx, Site{Domain: conformanceDomain, Format: format, Path: path}, Options{BatchSize: 64})
	if err == nil {
		_, err = recordtest.ReadAll(src)
		src.Close()
	}
	if err != nil && !strings.Contains(err.Error(), path) && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error does not name the file: %v", err)
	}
	entries, err := os.ReadDir(site)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("reading left %d files in the site folder", len(entries))
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != string(data) {
		t.Fatalf("reading changed the input (%v)", err)
	}
}
