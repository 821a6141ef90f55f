package validate_test

import (
	"context"
	"database/sql"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations/validate"
)

// manyTags adds n tags (ids from 1000), so TAGS spans many pages.
func manyTags(n int) string {
	return `WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < 1000 + ` + strconv.Itoa(n-1) + `)
		INSERT INTO TAGS (tag_id, source_tag, tag, created_at, updated_at)
		SELECT i, 'source tag number ' || i, 'tag number ' || i, '2024-01-01 00:00:00', '2024-01-01 00:00:00' FROM n`
}

// leafPage returns a leaf page of table's own b-tree (not an index), from the
// middle of the tree, and the page size.
func leafPage(t *testing.T, path, table string) (pgno, pageSize int64) {
	t.Helper()
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(`SELECT count(*) FROM dbstat WHERE name = ? AND pagetype = 'leaf'`, table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < 3 {
		t.Fatalf("%s has %d leaf pages; the test needs a bigger table", table, n)
	}
	if err := db.QueryRow(`SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET ?`, table, n/2).Scan(&pgno); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	return pgno, pageSize
}

// damagePage points the first cell pointers of a page past its end: the
// page no longer parses, the kind of damage a torn write leaves.
func damagePage(t *testing.T, path string, pgno, pageSize int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A b-tree leaf page starts with an 8-byte header, then the cell
	// pointer array.
	if _, err := f.WriteAt([]byte{0xff, 0xf0, 0xff, 0xf0, 0xff, 0xf0}, (pgno-1)*pageSize+8); err != nil {
		t.Fatal(err)
	}
}

// A damaged page in one table is found by that table's structure check,
// which runs in parallel with the others; the checks of other tables still
// report what they find, and validation reports instead of failing.
func TestDamagedPageFound(t *testing.T) {
	for _, mode := range []struct {
		name  string
		quick bool
	}{{"quick_check", true}, {"integrity_check", false}} {
		name, quick := mode.name, mode.quick
		t.Run(name, func(t *testing.T) {
			path := fixture(t, manyTags(3000),
				`INSERT INTO TAG_TRANSLATIONS (translation_id, tag_id, language, translation) VALUES (3, 1, NULL, 'x')`)
			pgno, size := leafPage(t, path, "TAGS")
			damagePage(t, path, pgno, size)
			rep := run(t, path, validate.Options{Quick: quick, Workers: 2})
			all := strings.Join(rep.Problems, "\n")
			t.Logf("problems:\n%s", all)
			if !strings.Contains(all, name+"(TAGS): Tree ") || !strings.Contains(all, " (TAGS) page ") {
				t.Errorf("no %s(TAGS) problem:\n%s", name, all)
			}
			if !strings.Contains(all, "TAG_TRANSLATIONS.language: NULL in 1 row") {
				t.Errorf("the other tables' checks did not report:\n%s", all)
			}
			for _, p := range rep.Problems {
				if strings.Contains(p, "_check(") && !strings.Contains(p, "(TAGS)") {
					t.Errorf("damage in TAGS reported for another table: %s", p)
				}
			}
		})
	}
}

// Pages no b-tree refers to (here: an index removed from the schema without
// freeing its pages) are found by the full mode's page accounting; the
// per-table checks cannot see them, so the default mode does not report
// them, as documented.
func TestPageAccounting(t *testing.T) {
	path := fixture(t, manyTags(2000))
	rewriteSchema(t, path, `DELETE FROM sqlite_schema WHERE name = 'ix_tags_lower_tag'`)

	rep := run(t, path, validate.Options{})
	want := "page accounting: the file has "
	found := ""
	for _, p := range rep.Problems {
		if strings.HasPrefix(p, want) {
			found = p
		}
	}
	if !strings.Contains(found, "some pages belong to no b-tree") {
		t.Errorf("full mode: no orphaned pages reported: %v", rep.Problems)
	}
	rep = run(t, path, validate.Options{Quick: true})
	if !rep.OK() {
		t.Errorf("default mode reports what only the full mode checks: %v", rep.Problems)
	}

	// An intact file balances.
	rep = run(t, fixture(t, manyTags(2000)), validate.Options{})
	if !rep.OK() {
		t.Errorf("intact file: %v", rep.Problems)
	}
}

// Foreign keys are checked for every table of the file, composite ones
// included; a key with a NULL in it is exempt, and every other row violates a
// key to a missing table, as in SQLite's foreign_key_check.
func TestForeignKeysOfAnyTable(t *testing.T) {
	path := fixture(t,
		`CREATE TABLE extra (x INTEGER REFERENCES TAGS (tag_id), f INTEGER, ty INTEGER, g INTEGER REFERENCES nowhere (id),
			FOREIGN KEY (f, ty) REFERENCES TAG_TYPE_FORMAT_MAPPING (format_id, type_id))`,
		`INSERT INTO extra VALUES (NULL, NULL, NULL, NULL), (1, 1, 0, NULL), (NULL, 1, NULL, NULL), (99, 1, 99, NULL), (98, 1, 98, 5)`)
	rep := run(t, path, validate.Options{Quick: true})
	want := []string{
		"extra: FOREIGN KEY (f, ty) REFERENCES TAG_TYPE_FORMAT_MAPPING (format_id, type_id) violated in 2 rows: (rowid=4); (rowid=5)",
		"extra: FOREIGN KEY (g) REFERENCES nowhere (id) violated in 1 row (the parent table is missing): (rowid=5)",
		"extra: FOREIGN KEY (x) REFERENCES TAGS (tag_id) violated in 2 rows: (rowid=4); (rowid=5)",
	}
	if !reflect.DeepEqual(rep.Problems, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(rep.Problems, "\n"), strings.Join(want, "\n"))
	}
}

// The report does not depend on how many connections ran the checks.
func TestReportIndependentOfWorkers(t *testing.T) {
	path := fixture(t, manyTags(500),
		`PRAGMA ignore_check_constraints = ON`,
		`UPDATE TAG_STATUS SET alias = 2 WHERE tag_id = 2`,
		`INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) VALUES (99, 1, 1)`,
		`INSERT INTO TAG_TRANSLATIONS (translation_id, tag_id, language, translation) VALUES (3, 98, NULL, 'x')`,
		`UPDATE TAGS SET created_at = 'yesterday' WHERE tag_id > 1200`,
		`INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id) VALUES (3, 15, -1, 0, 3)`)
	one := run(t, path, validate.Options{Workers: 1})
	if len(one.Problems) < 5 {
		t.Fatalf("the file should have at least 5 problems: %v", one.Problems)
	}
	for _, w := range []int{2, 4} {
		got := run(t, path, validate.Options{Workers: w})
		if !reflect.DeepEqual(got, one) {
			t.Errorf("Workers %d:\n%s\nWorkers 1:\n%s", w, strings.Join(got.Problems, "\n"), strings.Join(one.Problems, "\n"))
		}
	}
}

// A pool of one connection (what a writer passes) runs the checks in turn.
func TestOneConnectionPool(t *testing.T) {
	path := fixture(t, `INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) VALUES (99, 1, 1)`)
	db, err := sql.Open("sqlite", sqlitedb.DSN(path, sqlitedb.ReadOnly))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rep, err := validate.Run(context.Background(), db, validate.Options{Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "violated in 1 row") {
		t.Errorf("problems: %v", rep.Problems)
	}
}

// A cancelled context is an error, never an empty report.
func TestCancelled(t *testing.T) {
	path := fixture(t)
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if rep, err := validate.Run(ctx, db, validate.Options{}); err == nil {
		t.Errorf("no error; report %+v", rep)
	}
}
