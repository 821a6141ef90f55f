package schema_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

// newDB creates a database file from DDL and returns its path and an open handle.
func newDB(t *testing.T, ddl string) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(ddl); err != nil {
		t.Fatalf("DDL: %v\n%s", err, ddl)
	}
	return path, db
}

func inspect(t *testing.T, ddl string) *schema.Snapshot {
	t.Helper()
	_, db := newDB(t, ddl)
	s, err := schema.Inspect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func jsonOf(t *testing.T, s *schema.Snapshot) string {
	t.Helper()
	var b bytes.Buffer
	if err := s.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The same schema written as a fresh CREATE and as the Python builder's
// ALTER-appended file must give identical snapshots: everything goes by name.
func TestInspectIgnoresOrderAndSpelling(t *testing.T) {
	fresh := inspect(t, `
CREATE TABLE P (id INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, UNIQUE (name));
CREATE TABLE S (
    tag_id INTEGER NOT NULL, alias BOOLEAN NOT NULL, preferred_tag_id INTEGER NOT NULL,
    deprecated BOOLEAN NOT NULL DEFAULT 0, created_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    PRIMARY KEY (tag_id),
    FOREIGN KEY (preferred_tag_id) REFERENCES P (id),
    CONSTRAINT ck CHECK ((alias = false AND preferred_tag_id = tag_id) OR (alias = true AND preferred_tag_id != tag_id)));
CREATE INDEX ix ON S (preferred_tag_id);`)
	appended := inspect(t, `
CREATE TABLE p (name TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE S (
    tag_id INTEGER NOT NULL PRIMARY KEY, alias BOOLEAN NOT NULL,
    preferred_tag_id INTEGER NOT NULL REFERENCES p,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    constraint "ck" check(
        (ALIAS=FALSE and PREFERRED_TAG_ID=TAG_ID) or (alias=TRUE AND preferred_tag_id<>tag_id)));
ALTER TABLE S ADD COLUMN deprecated BOOLEAN NOT NULL DEFAULT 0;
CREATE INDEX ix ON S (preferred_tag_id);`)
	// Table names differ in case only (P vs p): SQLite treats them as one.
	for i := range appended.Tables {
		if appended.Tables[i].Name == "p" {
			appended.Tables[i].Name = "P"
		}
	}
	for i := range appended.Tables {
		for j := range appended.Tables[i].ForeignKeys {
			appended.Tables[i].ForeignKeys[j].RefTable = strings.ToUpper(appended.Tables[i].ForeignKeys[j].RefTable)
		}
	}
	if a, b := jsonOf(t, fresh), jsonOf(t, appended); a != b {
		t.Errorf("snapshots differ:\n--- fresh\n%s\n--- appended\n%s", a, b)
	}
	if d := schema.Diff(fresh, appended); len(d) != 0 {
		t.Errorf("Diff of equivalent schemas = %v", d)
	}
}

func TestInspectDetails(t *testing.T) {
	path, db := newDB(t, `
CREATE TABLE parent (a INTEGER NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE child (
    id INTEGER PRIMARY KEY,
    a INTEGER, b TEXT COLLATE NOCASE,
    n NUMERIC DEFAULT '0',
    g INTEGER GENERATED ALWAYS AS (a * 2) STORED,
    FOREIGN KEY (a, b) REFERENCES parent (a, b) ON DELETE CASCADE,
    CHECK (a > 0));
CREATE UNIQUE INDEX ux ON child (b COLLATE NOCASE, a DESC) WHERE a IS NOT NULL;
CREATE INDEX ix_expr ON child (lower(b));
CREATE VIRTUAL TABLE fts USING fts5(body);
ANALYZE;`)
	s, err := schema.Inspect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range s.Tables {
		names = append(names, tb.Name)
	}
	// sqlite_stat1 (from ANALYZE) and the fts5 shadow tables are not schema.
	if got := strings.Join(names, ","); got != "child,fts,parent" {
		t.Fatalf("tables = %s, want child,fts,parent", got)
	}
	if p := s.Table("PARENT"); !p.WithoutRowid || strings.Join(p.PrimaryKey, ",") != "a,b" {
		t.Errorf("parent = %+v", p)
	}
	if f := s.Table("fts"); !f.Virtual || f.Column("body") == nil {
		t.Errorf("fts = %+v", f)
	}
	c := s.Table("child")
	if g := c.Column("g"); g == nil || g.Hidden != "stored" {
		t.Errorf("generated column g = %+v", g)
	}
	if n := c.Column("n"); n.Affinity != "NUMERIC" || schema.NormalizeDefault(n.Affinity, n.Default) != "0" {
		t.Errorf("column n = %+v", n)
	}
	if len(c.ForeignKeys) != 1 || c.ForeignKeys[0].String() != "FOREIGN KEY (a, b) REFERENCES parent (a, b)" || c.ForeignKeys[0].OnDelete != "CASCADE" {
		t.Errorf("foreign keys = %+v", c.ForeignKeys)
	}
	if len(c.Checks) != 1 || c.Checks[0].Expr != "a > 0" {
		t.Errorf("checks = %+v", c.Checks)
	}
	wantIdx := map[string]string{"ux": "b COLLATE NOCASE,a DESC|true|true", "ix_expr": "<expression>|false|false"}
	if len(c.Indexes) != len(wantIdx) {
		t.Errorf("indexes = %+v", c.Indexes)
	}
	for _, x := range c.Indexes {
		got := strings.Join(x.Columns, ",") + "|" + map[bool]string{true: "true", false: "false"}[x.Unique] + "|" + map[bool]string{true: "true", false: "false"}[x.Partial]
		if wantIdx[x.Name] != got {
			t.Errorf("index %s = %s, want %s", x.Name, got, wantIdx[x.Name])
		}
	}

	// Load: the database, and its dump, give the same snapshot.
	db.Close()
	fromDB, err := schema.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	dump := filepath.Join(t.TempDir(), "dump.json")
	if err := os.WriteFile(dump, []byte(jsonOf(t, fromDB)), 0o644); err != nil {
		t.Fatal(err)
	}
	fromJSON, err := schema.Load(dump)
	if err != nil {
		t.Fatal(err)
	}
	if jsonOf(t, fromDB) != jsonOf(t, fromJSON) {
		t.Error("a dump does not load back to the same snapshot")
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tt := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.json"), "no such file"},
		{write("garbage.json", "not json"), "garbage.json: not a schema dump"},
		{write("other.json", `{"format":"other/1","tables":[]}`), `other.json: schema dump format "other/1"`},
		{write("unknown.json", `{"format":"tagdb-schema/1","tables":[],"x":1}`), `unknown field "x"`},
		{write("noname.json", `{"format":"tagdb-schema/1","tables":[{"columns":[]}]}`), "table 1 has no name"},
	} {
		_, err := schema.Load(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%s) error = %v, want %q", filepath.Base(tt.path), err, tt.want)
		}
	}
}

func TestAffinityAndDefaults(t *testing.T) {
	for decl, want := range map[string]string{
		"INTEGER": "INTEGER", "BIGINT": "INTEGER", "TEXT": "TEXT", "VARCHAR(20)": "TEXT", "CLOB": "TEXT",
		"BLOB": "BLOB", "": "BLOB", "REAL": "REAL", "DOUBLE": "REAL", "FLOAT": "REAL",
		"BOOLEAN": "NUMERIC", "DATETIME": "NUMERIC", "DECIMAL(10,5)": "NUMERIC",
	} {
		if got := schema.Affinity(decl); got != want {
			t.Errorf("Affinity(%q) = %s, want %s", decl, got, want)
		}
	}
	s := func(v string) *string { return &v }
	for _, tt := range []struct {
		aff  string
		d    *string
		want string
	}{
		{"NUMERIC", nil, ""},
		{"NUMERIC", s("0"), "0"},
		{"NUMERIC", s("'0'"), "0"},
		{"TEXT", s("'0'"), "'0'"},
		{"NUMERIC", s("(CURRENT_TIMESTAMP)"), "CURRENT_TIMESTAMP"},
		{"NUMERIC", s("current_timestamp"), "CURRENT_TIMESTAMP"},
		{"NUMERIC", s("FALSE"), "0"},
		{"INTEGER", s("((1))"), "1"},
		{"INTEGER", s("(1) + (2)"), "(1) + (2)"},
	} {
		if got := schema.NormalizeDefault(tt.aff, tt.d); got != tt.want {
			t.Errorf("NormalizeDefault(%s, %v) = %q, want %q", tt.aff, tt.d, got, tt.want)
		}
	}
}
