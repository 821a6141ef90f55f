package check

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

// TestCompareTable merges one table's rows before and after a change, on
// real files, for the kinds of keys tables have.
func TestCompareTable(t *testing.T) {
	tests := []struct {
		name   string
		before string // creates and fills t
		change string // run on the copy
		want   TableData
	}{
		{"rowid table, one row deleted, one updated, one added",
			`CREATE TABLE t (a TEXT, b INT); INSERT INTO t VALUES ('x', 1), ('y', 2), ('z', 3)`,
			`DELETE FROM t WHERE a = 'x'; UPDATE t SET b = 20 WHERE a = 'y'; INSERT INTO t VALUES ('w', 4)`,
			TableData{Table: "t", Key: "rowid", Before: 3, After: 3, Lost: 1, Changed: 1, Added: 1}},
		{"text key ordered NOCASE is matched byte by byte",
			`CREATE TABLE t (k TEXT COLLATE NOCASE PRIMARY KEY, v); INSERT INTO t VALUES ('b', 1), ('A', 2), ('a_', 3), ('C', 4)`,
			`UPDATE t SET v = 5 WHERE k = 'C'`,
			TableData{Table: "t", Key: "k", Before: 4, After: 4, Changed: 1}},
		{"composite key, WITHOUT ROWID, mixed key types",
			`CREATE TABLE t (a, b, v, PRIMARY KEY (a, b)) WITHOUT ROWID; INSERT INTO t VALUES (1, 'x', 0), (1, 2.5, 0), ('1', x'00', 0), (2, 'x', 0)`,
			`DELETE FROM t WHERE a = '1'; INSERT INTO t VALUES (0, 'y', 0)`,
			TableData{Table: "t", Key: "a, b", Before: 4, After: 4, Lost: 1, Added: 1}},
		{"the same rows in a rebuilt table",
			`CREATE TABLE t (id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 'a'), (5, 'b')`,
			`CREATE TABLE n (id INTEGER PRIMARY KEY, v, extra DEFAULT 1); INSERT INTO n (id, v) SELECT id, v FROM t; DROP TABLE t; ALTER TABLE n RENAME TO t`,
			TableData{Table: "t", Key: "id", Before: 2, After: 2}},
		{"an integer turned into text is a rewrite",
			`CREATE TABLE t (id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 1)`,
			`UPDATE t SET v = '1'`,
			TableData{Table: "t", Key: "id", Before: 1, After: 1, Changed: 1}},
		{"the key is gone: counts only",
			`CREATE TABLE t (k TEXT PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO t VALUES ('a', 1), ('b', 2)`,
			`CREATE TABLE n (k2 TEXT PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO n SELECT k, v FROM t WHERE k = 'a'; DROP TABLE t; ALTER TABLE n RENAME TO t`,
			TableData{Table: "t", Key: "nothing (the key changed): counts only", Before: 2, After: 1, Lost: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			open := func(name, sql string) (*sql.DB, *schema.Snapshot) {
				db, err := sqlitedb.Open(ctx, filepath.Join(dir, name), sqlitedb.ReadWrite)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if _, err := db.ExecContext(ctx, sql); err != nil {
					t.Fatalf("%s: %v", sql, err)
				}
				snap, err := schema.Inspect(ctx, db)
				if err != nil {
					t.Fatal(err)
				}
				return db, snap
			}
			before, old := open("before.sqlite", tc.before)
			after, cur := open("after.sqlite", tc.before+"; "+tc.change)
			got, err := compareTable(ctx, before, after, old.Table("t"), cur.Table("t"))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
