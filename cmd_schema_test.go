package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// migratedDB creates a database with `tagdb migrate` and runs SQL on it.
func migratedDB(t *testing.T, sql ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	if code, out, errOut := runTagdb(t, nil, "migrate", "--db", path); code != 0 {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errOut)
	}
	if len(sql) == 0 {
		return path
	}
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range sql {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return path
}

const goldenSchema = "migrations/testdata/schema.golden.json"

func TestCmdSchemaDumpMatchesGolden(t *testing.T) {
	code, out, errOut := runTagdb(t, nil, "schema", "dump", "--db", migratedDB(t))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want, err := os.ReadFile(goldenSchema)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("schema dump of a migrated file differs from %s", goldenSchema)
	}
}

func TestCmdSchemaDiff(t *testing.T) {
	dropped := migratedDB(t, `ALTER TABLE TAG_FORMATS DROP COLUMN license`)
	added := migratedDB(t, `ALTER TABLE TAGS ADD COLUMN note TEXT`)

	code, out, errOut := runTagdb(t, nil, "schema", "diff", goldenSchema, dropped)
	if code != 1 || !strings.Contains(out, "destructive removed column TAG_FORMATS.license") {
		t.Errorf("dropped column: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "1 destructive") {
		t.Errorf("stderr: %q", errOut)
	}

	code, out, _ = runTagdb(t, nil, "schema", "diff", goldenSchema, added, "--format", "markdown")
	if code != 0 || !strings.Contains(out, "| added column | `TAGS.note` | additive |") {
		t.Errorf("added column: exit %d\n%s", code, out)
	}

	code, out, _ = runTagdb(t, nil, "schema", "diff", "--format", "json", goldenSchema, goldenSchema)
	var rep struct {
		OnlyAdditive bool              `json:"only_additive"`
		Changes      []json.RawMessage `json:"changes"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || !rep.OnlyAdditive || len(rep.Changes) != 0 {
		t.Errorf("identical: exit %d\n%s", code, out)
	}
}

func TestCmdSchemaUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"schema"}, 2, "missing subcommand"},
		{[]string{"schema", "undo"}, 2, `unknown subcommand "undo"`},
		{[]string{"schema", "--help"}, 0, "tagdb schema diff OLD NEW"},
		{[]string{"schema", "diff", "one.sqlite"}, 2, "want two schemas"},
		{[]string{"schema", "diff", "a", "b", "--format", "html"}, 2, "--format must be"},
		{[]string{"schema", "diff", "--help"}, 0, "additive (safe for readers)"},
		{[]string{"schema", "dump"}, 2, "--db PATH is required"},
		{[]string{"schema", "dump", "--help"}, 0, "Usage: tagdb schema dump --db PATH"},
		{[]string{"schema", "diff", "/nonexistent/a.json", goldenSchema}, 1, "no such file"},
	} {
		code, out, errOut := runTagdb(t, nil, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("%v: exit %d, want %d with %q\n%s%s", tt.args, code, tt.code, tt.want, out, errOut)
		}
	}
}
