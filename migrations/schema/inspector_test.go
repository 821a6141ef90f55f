package schema_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

// TestInspectorIncremental applies statements one by one and checks that the
// Inspector, which re-reads only changed tables, returns exactly what a
// full inspection does, and names the tables that changed.
func TestInspectorIncremental(t *testing.T) {
	steps := []struct {
		sql     string
		changed []string
	}{
		{`CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT)`, []string{"p"}},
		{`CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p)`, []string{"c"}},
		{`INSERT INTO p (name) VALUES ('x')`, nil},
		{`CREATE INDEX ix_p_name ON p (name)`, []string{"p"}},
		{`ALTER TABLE c ADD COLUMN note TEXT`, []string{"c"}},
		{`ALTER TABLE p RENAME TO q`, []string{"c", "p", "q"}},
		{`DROP TABLE c`, []string{"c"}},
		{`CREATE TABLE w (k TEXT PRIMARY KEY, v) WITHOUT ROWID`, []string{"w"}},
	}
	ctx := context.Background()
	db, err := sqlitedb.Open(ctx, filepath.Join(t.TempDir(), "s.sqlite"), sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var in schema.Inspector
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, _, err := in.Inspect(ctx, conn); err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		if _, err := conn.ExecContext(ctx, st.sql); err != nil {
			t.Fatalf("%s: %v", st.sql, err)
		}
		before := in.Tables
		got, changed, err := in.Inspect(ctx, conn)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(changed, st.changed) {
			t.Errorf("%s: changed %q, want %q", st.sql, changed, st.changed)
		}
		if n := in.Tables - before; n > len(st.changed) {
			t.Errorf("%s: %d tables inspected, want at most %d", st.sql, n, len(st.changed))
		}
		full, _, err := new(schema.Inspector).Inspect(ctx, conn)
		if err != nil {
			t.Fatal(err)
		}
		var a, b bytes.Buffer
		if err := got.WriteJSON(&a); err != nil {
			t.Fatal(err)
		}
		if err := full.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%s: incremental snapshot differs from a full inspection:\n%s\nwant\n%s", st.sql, a.String(), b.String())
		}
	}
}
