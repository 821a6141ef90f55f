package checktest

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
)

// The fixtures: one migration each (add_note, broken, drop_source_tag,
// new_format, note_required) and base_rows.sql, the rows of BaseDB.
//
//go:embed testdata/*.sql
var fixtures embed.FS

// FixtureName is the file name the i-th fixture (from 0) gets in a folder:
// numbered after the embedded migrations, so the fixtures keep working as
// real migrations are added.
func FixtureName(i int, fixture string) string {
	return fmt.Sprintf("%04d_%s.sql", migrations.LatestVersion()+1+i, fixture)
}

// Folder writes the embedded migrations and then the named fixtures into a
// new folder.
func Folder(t testing.TB, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	migs, err := migrations.List(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migs {
		if err := os.WriteFile(filepath.Join(dir, m.File), []byte(m.SQL), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range names {
		if err := os.WriteFile(filepath.Join(dir, FixtureName(i, f)), fixture(t, f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := fixtures.ReadFile("testdata/" + name + ".sql")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Append adds SQL to the end of one of the folder's files.
func Append(t testing.TB, dir, file, sql string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, file), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(sql); err != nil {
		t.Fatal(err)
	}
}

// FirstFile is the name of the first embedded migration.
func FirstFile(t testing.TB) string {
	t.Helper()
	migs, err := migrations.List(nil)
	if err != nil {
		t.Fatal(err)
	}
	return migs[0].File
}

// BaseDB makes a stand-in for the latest release's database: the embedded
// migrations applied by the runner, with valid rows in it.
func BaseDB(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "base.sqlite")
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := migrations.Apply(ctx, db, migrations.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, string(fixture(t, "base_rows"))); err != nil {
		t.Fatalf("base_rows.sql: %v", err)
	}
	return path
}

// BaseSchema writes the embedded migrations' schema as a dump: what the
// workflow takes from the base branch's golden file.
func BaseSchema(t testing.TB) string {
	t.Helper()
	snap, err := migrations.Expected(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := snap.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "base-schema.json")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
