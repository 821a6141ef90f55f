package search

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
)

// createDB makes a new database at path with the current schema (all
// migrations, including the reader indexes) and returns it open for writing.
func createDB(ctx context.Context, path string, mode sqlitedb.Mode) (*sql.DB, error) {
	db, err := sqlitedb.Open(ctx, path, mode)
	if err != nil {
		return nil, err
	}
	if _, err := migrations.Apply(ctx, db, migrations.Options{}); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// fixtureDB writes testdata/fixture.sql into a fresh database in t's temp
// dir, optionally with the trigram index, and returns its path.
func fixtureDB(t testing.TB, fts bool) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fixture.sqlite")
	db, err := createDB(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b, err := os.ReadFile(filepath.Join("testdata", "fixture.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, string(b)); err != nil {
		t.Fatalf("testdata/fixture.sql: %v", err)
	}
	if fts {
		if err := CreateSubstringIndex(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	return path
}

// openFixture opens fixtureDB read-only through Open.
func openFixture(t testing.TB, fts bool) *DB {
	t.Helper()
	d, err := Open(context.Background(), fixtureDB(t, fts))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// secondaryIndexes returns the CREATE INDEX statements of db's own indexes
// (not the automatic ones), so a bulk load can drop and recreate them.
func secondaryIndexes(ctx context.Context, db *sql.DB) (names, creates []string, err error) {
	err = queryEach(ctx, db, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`, nil,
		func(r *sql.Rows) error {
			var n, s string
			err := r.Scan(&n, &s)
			names, creates = append(names, n), append(creates, s)
			return err
		})
	return names, creates, err
}
