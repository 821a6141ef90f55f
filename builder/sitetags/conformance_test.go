package sitetags

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

// conformanceDomain is the site folder every conformance case writes.
const conformanceDomain = "danbooru.donmai.us"

// conformanceAdapter opens dir/danbooru.donmai.us/file.
func conformanceAdapter(file string, cases ...recordtest.Case) recordtest.Adapter {
	return recordtest.Adapter{
		Open: func(ctx context.Context, dir string, batch int, ev record.Events) (record.Source, error) {
			format, _ := DomainFormat(conformanceDomain)
			site := Site{Domain: conformanceDomain, Format: format, Path: filepath.Join(dir, conformanceDomain, file)}
			return Open(ctx, site, Options{Events: ev, BatchSize: batch})
		},
		// The tags rows come in file order; the rows made for canonicals
		// that only the alias table names follow, sorted by name.
		Ordered:      []string{"tags rowid "},
		Cases:        cases,
		Input:        filepath.Join(conformanceDomain, file),
		SQLiteTables: sqliteTables(file),
		Parquet:      file == parquetFile,
	}
}

// sqliteTables are the tables the reader reads from file, if it is SQLite.
func sqliteTables(file string) []string {
	if file == sqliteFile {
		return []string{"tags", "tag_aliases"}
	}
	return nil
}

// danbooruTable is the danbooru layout, as pandas writes it.
const danbooruTable = `CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "post_count" INTEGER, "category" INTEGER,
  "created_at" TIMESTAMP, "updated_at" TIMESTAMP, "is_deprecated" INTEGER, "words" TEXT);
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
`

// sqliteSite is a case Setup that runs script into the site's tags.sqlite.
func sqliteSite(script string) func(t testing.TB, dir string) {
	return func(t testing.TB, dir string) {
		if err := os.MkdirAll(filepath.Join(dir, conformanceDomain), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := buildSQLite(context.Background(), filepath.Join(dir, conformanceDomain, sqliteFile), script); err != nil {
			t.Fatal(err)
		}
	}
}

func TestConformanceSQLite(t *testing.T) {
	site := func(name string) string { return filepath.Join(conformanceDomain, name) }
	recordtest.Run(t, conformanceAdapter(sqliteFile,
		recordtest.Case{Name: "missing file", OpenErr: "no such file"},
		recordtest.Case{Name: "not a database", Files: map[string]string{site(sqliteFile): "name,count\n"},
			OpenErr: "not an SQLite database"},
		recordtest.Case{Name: "no tags table", Setup: sqliteSite(`CREATE TABLE other (x)`),
			OpenErr: "no table named tags"},
		recordtest.Case{Name: "empty tables", Setup: sqliteSite(danbooruTable)},
		recordtest.Case{Name: "only skipped rows", Setup: sqliteSite(danbooruTable + `
INSERT INTO "tags" VALUES (0, 1, '  ', 5, 0, NULL, NULL, 0, '[]');`),
			Skips: []string{"tags rowid 1: empty tag"}},
		recordtest.Case{Name: "rows", Setup: sqliteSite(danbooruTable + `
INSERT INTO "tags" VALUES (0, 1, '1girl', 10, 0, NULL, NULL, 0, '[]'), (1, 2, 'long_hair', 5, 0, NULL, NULL, 0, '[]'),
  (2, 3, 'tagme', 1, 5, NULL, NULL, 1, '[]');
INSERT INTO "tag_aliases" VALUES (0, 'longhair', 'long_hair'), (1, 'kemonomimi', 'animal_ears');`),
			Rows: []string{
				`tags rowid 1 "1girl" f1 t0 c10`,
				`tags rowid 2 "long_hair" f1 t0 c5 aliases=["longhair"]`,
				`tags rowid 3 "tagme" f1 t5 c1 dep`,
				`tag_aliases rowid 2 "animal_ears" f1 aliases=["kemonomimi"]`,
			}},
	))
}

func TestConformanceParquet(t *testing.T) {
	created := time.Date(2013, 2, 27, 20, 57, 15, 0, time.UTC)
	write := func(rows []danbooruRow) func(t testing.TB, dir string) {
		return func(t testing.TB, dir string) {
			writeParquet(t, filepath.Join(dir, conformanceDomain), parquetFile, rows)
		}
	}
	recordtest.Run(t, conformanceAdapter(parquetFile,
		recordtest.Case{Name: "missing file", OpenErr: "no such file"},
		recordtest.Case{Name: "not parquet", Files: map[string]string{filepath.Join(conformanceDomain, parquetFile): "name,count\n"},
			OpenErr: parquetFile},
		recordtest.Case{Name: "no rows", Setup: write([]danbooruRow{})},
		recordtest.Case{Name: "rows", Setup: write([]danbooruRow{
			{0, 1, strp("1girl"), 10, 0, created, nil, false, "[]"},
			{1, 2, nil, 3, 0, created, nil, false, "[]"},
			{2, 3, strp("tagme"), 1, 5, created, nil, true, "[]"},
			{3, 4, strp("solo"), 7, 0, created, nil, false, "[]"},
		}),
			Rows: []string{
				`tags.parquet row 1 "1girl" f1 t0 c10 created="2013-02-27 20:57:15+00:00"`,
				`tags.parquet row 3 "tagme" f1 t5 c1 dep created="2013-02-27 20:57:15+00:00"`,
				`tags.parquet row 4 "solo" f1 t0 c7 created="2013-02-27 20:57:15+00:00"`,
			},
			Skips: []string{"tags.parquet row 2: empty tag"}},
	))
}
