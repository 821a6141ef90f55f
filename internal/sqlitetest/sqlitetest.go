package sqlitetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// OpenRO opens the database at path read-only and closes it when the test
// ends.
func OpenRO(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Exec runs statements on the database at path (created if absent, with its
// folder), failing the test on the first that fails: how tests write an
// SQLite input or damage a copy of one.
func Exec(t testing.TB, path string, stmts ...string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
}

// QueryInt returns the first column of the first row of q. A query that
// finds no row, or a NULL, reads as 0: tests ask "how many" or "which
// count", and for those absent means zero.
func QueryInt(t testing.TB, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	return queryOne[int64](t, db, q, args)
}

// QueryString is QueryInt for text; no row or a NULL reads as "".
func QueryString(t testing.TB, db *sql.DB, q string, args ...any) string {
	t.Helper()
	return queryOne[string](t, db, q, args)
}

// queryOne scans the first column of the first row of q, or T's zero value.
func queryOne[T any](t testing.TB, db *sql.DB, q string, args []any) T {
	t.Helper()
	var v sql.Null[T]
	if err := db.QueryRow(q, args...).Scan(&v); err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("%s: %v", q, err)
	}
	return v.V
}

// Rows runs q and renders each row on one line, values separated by " | "
// (NULL for a NULL), in the order q returns them.
func Rows(t testing.TB, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	return scan(t, db, q, args, func(vals []any) string {
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = Value(v)
		}
		return strings.Join(parts, " | ")
	})
}

// Value renders one scanned value as SQLite stores it: NULL, text for text
// and blobs, and a time the driver parsed from a TIMESTAMP column as text
// again.
func Value(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(v)
	case time.Time:
		return v.Format("2006-01-02 15:04:05.999999-07:00")
	default:
		return fmt.Sprint(v)
	}
}

// Dump renders a whole database: one line per schema object ("type name:
// sql", by type and name), then every row of every table in rowid order as
// "table | type value | ...". Two files with the same schema and data give
// the same dump even where their bytes differ (another SQLite version writes
// another header), and a value stored as text never equals the same digits
// stored as an integer.
func Dump(t testing.TB, path string) []string {
	t.Helper()
	db := OpenRO(t, path)
	var tables []string
	out := scan(t, db, `SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name`, nil,
		func(vals []any) string {
			typ, name, ddl := Value(vals[0]), Value(vals[1]), Value(vals[2])
			if typ == "table" {
				tables = append(tables, name)
			}
			return typ + " " + name + ": " + ddl
		})
	for _, tbl := range tables {
		out = append(out, scan(t, db, "SELECT * FROM "+sqlitedb.QuoteIdent(tbl)+" ORDER BY rowid", nil,
			func(vals []any) string {
				var b strings.Builder
				b.WriteString(tbl)
				for _, v := range vals {
					fmt.Fprintf(&b, " | %T %v", v, v)
				}
				return b.String()
			})...)
	}
	return out
}

// scan runs q and renders every row with line.
func scan(t testing.TB, db *sql.DB, q string, args []any, line func([]any) string) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, line(vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}
