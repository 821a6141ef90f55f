package sandbox

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/tagdb/tagdb-action/internal/golden"
)

// TestRefusals runs each escape on a sandboxed scratch database and checks
// that SQLite refuses it, that Explain names the rule, and that no file
// appears outside the scratch database.
func TestRefusals(t *testing.T) {
	tests := []struct {
		name    string
		sql     string // %s is a path in the test's temp dir that must not be created
		explain string // substring of Explain
	}{
		{"attach creates no file", `ATTACH DATABASE '%s' AS x`, "ATTACH is refused"},
		{"attach in a CTE-free expression", `ATTACH '%s' || '' AS x`, "ATTACH is refused"},
		{"vacuum into writes no copy", `VACUUM INTO '%s'`, "ATTACH is refused"},
		{"writable_schema", `PRAGMA writable_schema = ON`, "PRAGMA writable_schema = ON is refused"},
		{"schema_version", `PRAGMA schema_version = 1`, "PRAGMA schema_version = 1 is refused"},
		{"max_page_count cannot be lifted", `PRAGMA max_page_count = 2147483647`, "PRAGMA max_page_count = 2147483647 is refused"},
		{"temp_store_directory", `PRAGMA temp_store_directory = '%s'`, "PRAGMA temp_store_directory = "},
		{"load_extension", `SELECT load_extension('%s')`, "load_extension() is refused"},
		{"endless insert", `CREATE TABLE big (b BLOB); WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) INSERT INTO big SELECT zeroblob(4096) FROM r`, "grew the database by more than 1 MiB"},
		{"endless insert into temp", `CREATE TEMP TABLE big (b BLOB); WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) INSERT INTO big SELECT zeroblob(4096) FROM r`, "grew the database by more than 1 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			outside := filepath.Join(t.TempDir(), "outside.sqlite")
			conn := scratch(t, dir)
			sb := New(Limits{MaxGrowth: 1 << 20})
			if err := sb.Setup(ctx, conn); err != nil {
				t.Fatal(err)
			}
			q := tc.sql
			if strings.Contains(q, "%s") {
				q = strings.ReplaceAll(q, "%s", outside)
			}
			_, err := conn.ExecContext(ctx, q)
			if err == nil {
				t.Fatalf("%s: no error", q)
			}
			if got := sb.Explain(err); !strings.Contains(got, tc.explain) {
				t.Errorf("Explain(%v) = %q, want %q", err, got, tc.explain)
			}
			if _, err := os.Stat(outside); !os.IsNotExist(err) {
				t.Errorf("%s created %s (stat: %v)", q, outside, err)
			}
			// Setup again (the provider takes the connection once per run):
			// the bounds still hold and ordinary statements still work.
			if err := sb.Setup(ctx, conn); err != nil {
				t.Fatal(err)
			}
			if _, err := conn.ExecContext(ctx, `CREATE TABLE ok (x); INSERT INTO ok VALUES (1); PRAGMA user_version = 7`); err != nil {
				t.Errorf("an ordinary statement after the refusal: %v", err)
			}
			var n int
			if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_xinfo('ok')`).Scan(&n); err != nil || n != 1 {
				t.Errorf("table_xinfo after the refusal: %d, %v", n, err)
			}
		})
	}
}

// TestDefenceInDepth lifts the authorizer and checks that the layers under
// it still hold: defensive mode keeps writable_schema from editing the
// schema, and the attach limit keeps ATTACH from creating a file.
func TestDefenceInDepth(t *testing.T) {
	ctx := context.Background()
	conn := scratch(t, t.TempDir())
	if err := New(Limits{}).Setup(ctx, conn); err != nil {
		t.Fatal(err)
	}
	if err := register(conn, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE t (a)`); err != nil {
		t.Fatal(err)
	}
	_, err := conn.ExecContext(ctx, `PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE TABLE t (a, b)' WHERE name = 't'`)
	if err == nil {
		t.Error("defensive mode let writable_schema edit sqlite_schema")
	}
	var ddl string
	if err := conn.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE name = 't'`).Scan(&ddl); err != nil || ddl != "CREATE TABLE t (a)" {
		t.Errorf("schema now %q (%v)", ddl, err)
	}
	out := filepath.Join(t.TempDir(), "outside.sqlite")
	if _, err := conn.ExecContext(ctx, `ATTACH '`+out+`' AS x`); err == nil || !strings.Contains(err.Error(), "too many attached databases") {
		t.Errorf("ATTACH without the authorizer: %v, want too many attached databases", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s was created", out)
	}
}

// scratch opens a scratch database in dir and takes its one connection.
func scratch(t *testing.T, dir string) *sql.Conn {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(dir, "scratch.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
