package sqlitetest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// fixture writes a small database with a NULL, a blob, and a text and an
// integer column that hold the same digits.
func fixture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.sqlite")
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE t (n INTEGER, s TEXT, b BLOB)`,
		`CREATE INDEX t_s ON t (s)`,
		`INSERT INTO t VALUES (1, '1', x'6869'), (NULL, 'two', NULL)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestQueries(t *testing.T) {
	db := OpenRO(t, fixture(t))
	for _, tc := range []struct {
		q    string
		args []any
		n    int64
		s    string
	}{
		{`SELECT count(*) FROM t`, nil, 2, "2"},
		{`SELECT n FROM t WHERE s = ?`, []any{"1"}, 1, "1"},
		{`SELECT n FROM t WHERE s = 'two'`, nil, 0, ""},  // NULL
		{`SELECT n FROM t WHERE s = 'none'`, nil, 0, ""}, // no row
	} {
		if got := QueryInt(t, db, tc.q, tc.args...); got != tc.n {
			t.Errorf("QueryInt(%s) = %d, want %d", tc.q, got, tc.n)
		}
		if got := QueryString(t, db, tc.q, tc.args...); got != tc.s {
			t.Errorf("QueryString(%s) = %q, want %q", tc.q, got, tc.s)
		}
	}
	if got := QueryString(t, db, `SELECT s FROM t ORDER BY rowid DESC`); got != "two" {
		t.Errorf("QueryString of a text column = %q, want \"two\"", got)
	}
}

func TestRowsAndDump(t *testing.T) {
	path := fixture(t)
	db := OpenRO(t, path)
	if got, want := strings.Join(Rows(t, db, `SELECT * FROM t ORDER BY rowid`), "\n"), "1 | 1 | hi\nNULL | two | NULL"; got != want {
		t.Errorf("Rows:\n%s\nwant:\n%s", got, want)
	}
	want := []string{
		"index t_s: CREATE INDEX t_s ON t (s)",
		"table t: CREATE TABLE t (n INTEGER, s TEXT, b BLOB)",
		"t | int64 1 | string 1 | []uint8 [104 105]",
		"t | <nil> <nil> | string two | <nil> <nil>",
	}
	if got := Dump(t, path); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Dump:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
