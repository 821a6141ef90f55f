package check

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

// TestReopen checks what the check reads after migrating: the file on a
// fresh connection, not the migrating connection's cached schema. The edits
// here are made outside the sandbox (which refuses writable_schema) to stand
// for any way a file could be changed behind SQLite's back.
func TestReopen(t *testing.T) {
	tests := []struct {
		name string
		edit string // run with writable_schema on, after the want schema is read
		err  string // "" = reopens cleanly
	}{
		{"untouched", "", ""},
		{"schema edited behind the cache", `UPDATE sqlite_schema SET sql = 'CREATE TABLE t (a, b)' WHERE name = 't'`, "a fresh connection reads another schema"},
		{"schema no longer parses", `UPDATE sqlite_schema SET sql = 'CREATE TABLE t (a,' WHERE name = 't'`, "malformed database schema"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "migrated.sqlite")
			db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, `CREATE TABLE t (a)`); err != nil {
				t.Fatal(err)
			}
			want, err := schema.Inspect(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if tc.edit != "" {
				if _, err := db.ExecContext(ctx, `PRAGMA writable_schema = ON; `+tc.edit+`; PRAGMA writable_schema = OFF`); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			c := &checker{ctx: ctx}
			got, snap, err := c.reopen(path, want)
			if tc.err == "" {
				if err != nil {
					t.Fatalf("reopen: %v", err)
				}
				got.Close()
				if len(schema.Diff(want, snap)) != 0 {
					t.Errorf("the fresh schema differs: %v", schema.Diff(want, snap))
				}
				return
			}
			if err == nil {
				got.Close()
				t.Fatalf("reopen succeeded, want %q", tc.err)
			}
			if !strings.Contains(err.Error(), tc.err) {
				t.Errorf("reopen: %v, want %q", err, tc.err)
			}
		})
	}
}
