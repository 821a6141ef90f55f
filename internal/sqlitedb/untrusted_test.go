package sqlitedb

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostileDB writes a database whose objects are each a way for an input to
// make a reader do more than read its rows.
func hostileDB(t *testing.T, path string) {
	t.Helper()
	db, err := Open(context.Background(), path, ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE tags(id INTEGER PRIMARY KEY, name TEXT)`,
		`INSERT INTO tags(name) VALUES ('a'), ('b')`,
		`CREATE VIEW endless AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS name FROM c`,
		`CREATE VIEW plain_view AS SELECT name FROM tags`,
		`CREATE VIRTUAL TABLE fts USING fts5(name)`,
		`CREATE TABLE gen(a TEXT, b TEXT GENERATED ALWAYS AS (a || a) VIRTUAL)`,
		`CREATE TABLE gen_stored(a TEXT, b TEXT GENERATED ALWAYS AS (a || a) STORED)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// snapshot maps every file name of dir to its content.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if !e.Type().IsRegular() { // a FIFO under test: reading it would block
			out[e.Name()] = []byte(e.Type().String())
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sameFiles(t *testing.T, before, after map[string][]byte) {
	t.Helper()
	for name, b := range after {
		if old, ok := before[name]; !ok {
			t.Errorf("%s appeared in the input folder", name)
		} else if !bytes.Equal(old, b) {
			t.Errorf("%s changed", name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			t.Errorf("%s disappeared from the input folder", name)
		}
	}
}

func TestCheckTables(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "in.sqlite")
	hostileDB(t, path)
	before := snapshot(t, dir)
	ctx := context.Background()
	db, err := OpenUntrusted(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct{ name, want string }{
		{"tags", ""},
		{"TAGS", ""},
		{"missing", ""},
		{"endless", "endless is a view, not a table"},
		{"Plain_View", "Plain_View is a view, not a table"},
		{"fts", "fts is a virtual table"},
		{"gen", `column "b" of table gen is generated`},
		{"gen_stored", `column "b" of table gen_stored is generated`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckTables(ctx, db, path, tc.name)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("CheckTables: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path)):
				t.Fatalf("CheckTables = %v, want an error naming %s containing %q", err, path, tc.want)
			}
		})
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE x(a)`); err == nil {
		t.Error("an untrusted connection accepted a write")
	}
	db.Close()
	sameFiles(t, before, snapshot(t, dir))
}

// TestUntrustedCancel: a running statement stops when its context ends, even
// one that would never end by itself.
func TestUntrustedCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.sqlite")
	hostileDB(t, path)
	db, err := OpenUntrusted(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	var n int64
	err = db.QueryRowContext(ctx, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c`).Scan(&n)
	if err == nil {
		t.Fatal("an endless query returned")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the query stopped %v after its context ended", d)
	}
}

func TestOpenUntrustedRefuses(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, path string)
		want  string
	}{
		{"wal beside", func(t *testing.T, path string) {
			hostileDB(t, path)
			writeFile(t, path+"-wal", "not yet checkpointed")
		}, "has a -wal file beside it"},
		{"hot journal beside", func(t *testing.T, path string) {
			hostileDB(t, path)
			writeFile(t, path+"-journal", "rollback")
		}, "has a -journal file beside it"},
		{"fifo", func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, "not a regular file (a named pipe)"},
		{"folder", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		}, "not a regular file (a folder)"},
		{"missing", func(t *testing.T, path string) {}, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "in.sqlite")
			tc.setup(t, path)
			before := snapshot(t, dir)
			done := make(chan error, 1)
			go func() {
				db, err := OpenUntrusted(ctx, path)
				if err == nil {
					db.Close()
				}
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
					t.Fatalf("OpenUntrusted = %v, want an error naming %s containing %q", err, path, tc.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("OpenUntrusted blocked")
			}
			sameFiles(t, before, snapshot(t, dir))
		})
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestUntrustedReadsWALModeFile: a file left in WAL mode, its log folded in
// and removed on close (how sqlite3 leaves one), is read like any other,
// without creating a -wal or -shm beside it.
func TestUntrustedReadsWALModeFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "wal.sqlite")
	db, err := Open(ctx, path, ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`PRAGMA journal_mode=WAL`, `CREATE TABLE tags(name TEXT)`, `INSERT INTO tags VALUES ('a'), ('b')`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	before := snapshot(t, dir)
	if len(before) != 1 {
		t.Fatalf("setup left %d files", len(before))
	}
	ro, err := OpenUntrusted(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := ro.QueryRowContext(ctx, `SELECT count(*) FROM tags`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("count = %d, %v", n, err)
	}
	ro.Close()
	sameFiles(t, before, snapshot(t, dir))
}
