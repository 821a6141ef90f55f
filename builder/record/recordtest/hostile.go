package recordtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// hostileCases are the inputs every adapter must refuse whatever its kind:
// something other than a regular file where it expects one (opening a FIFO
// blocks until a writer appears, a device reads forever). For an adapter that
// reads SQLite tables, each table it reads becomes a view, a plain one and an
// endless recursive one (a query on it never ends and spills into the temp
// folder), and a -wal beside the file holds changes an immutable read would
// miss. They start from base, a case the adapter reads without error.
func hostileCases(a Adapter, base *Case) []Case {
	if a.Input == "" {
		return nil
	}
	in := a.Input
	cases := []Case{
		{Name: "hostile/named pipe", Setup: func(t testing.TB, dir string) {
			mkdirFor(t, dir, in)
			if err := mkfifo(filepath.Join(dir, in)); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, OpenErr: "not a regular file (a named pipe)"},
		{Name: "hostile/device", Setup: func(t testing.TB, dir string) {
			mkdirFor(t, dir, in)
			if err := os.Symlink("/dev/zero", filepath.Join(dir, in)); err != nil {
				t.Skip("no /dev/zero link here:", err)
			}
			if _, err := os.Stat("/dev/zero"); err != nil {
				t.Skip("no /dev/zero here")
			}
		}, OpenErr: "not a regular file (a character device)"},
		{Name: "hostile/folder", Setup: func(t testing.TB, dir string) {
			if err := os.MkdirAll(filepath.Join(dir, in), 0o755); err != nil {
				t.Fatal(err)
			}
		}, OpenErr: "not a regular file (a folder)"},
	}
	if a.Parquet {
		// 21 bytes: magic, a footer whose schema list claims 2^31-1
		// structs, its length, magic. And a footer length of 0xFFFFFFFF.
		huge := "PAR1\x29\xfc\xff\xff\xff\xff\x07\x00\x08\x00\x00\x00PAR1"
		cases = append(cases,
			Case{Name: "hostile/footer claims 2^31 list elements", Files: map[string]string{in: huge}, OpenErr: "footer metadata"},
			Case{Name: "hostile/footer length 0xFFFFFFFF", Files: map[string]string{in: "PAR1\x00\xff\xff\xff\xffPAR1"},
				OpenErr: "footer length 4294967295 does not fit"},
		)
	}
	if base == nil || len(a.SQLiteTables) == 0 {
		return cases
	}
	for _, table := range a.SQLiteTables {
		for _, v := range []struct{ name, body string }{
			{"view", `SELECT * FROM %[1]s`},
			{"endless recursive view", `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT d.* FROM c, %[1]s AS d`},
		} {
			cases = append(cases, Case{
				Name:    "hostile/" + table + " is a " + v.name,
				Setup:   fromBase(*base, in, table, v.body),
				OpenErr: table + " is a view, not a table",
			})
		}
	}
	cases = append(cases, Case{
		Name: "hostile/wal beside the file",
		Setup: func(t testing.TB, dir string) {
			writeCase(t, *base, dir)
			if err := os.WriteFile(filepath.Join(dir, in)+"-wal", []byte("uncheckpointed"), 0o644); err != nil {
				t.Fatal(err)
			}
		},
		OpenErr: "has a -wal file beside it",
	})
	return cases
}

// fromBase writes base's input and turns its table into a view with body
// (%[1]s is where the rows now are); a table the file lacks is skipped.
func fromBase(base Case, in, table, body string) func(t testing.TB, dir string) {
	return func(t testing.TB, dir string) {
		writeCase(t, base, dir)
		db, err := sqlitedb.Open(context.Background(), filepath.Join(dir, in), sqlitedb.ReadWrite)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n == 0 {
			t.Skipf("the base case has no table %s (%v)", table, err)
		}
		q := sqlitedb.QuoteIdent
		data := q(table + "_data")
		for _, s := range []string{
			`ALTER TABLE ` + q(table) + ` RENAME TO ` + data,
			`CREATE VIEW ` + q(table) + ` AS ` + fmt.Sprintf(body, data),
		} {
			if _, err := db.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
}

func mkdirFor(t testing.TB, dir, in string) {
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, in)), 0o755); err != nil {
		t.Fatal(err)
	}
}

// writeCase writes a case's Files, then runs its Setup.
func writeCase(t testing.TB, tc Case, dir string) {
	for name, content := range tc.Files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if tc.Setup != nil {
		tc.Setup(t, dir)
	}
}

// Snapshot describes every file under dir: a regular file by its content,
// anything else by its type, never opened (a FIFO would block).
func Snapshot(t testing.TB, dir string) map[string]string {
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if !d.Type().IsRegular() {
			out[p] = "type " + d.Type().String()
			return nil
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// CheckUnchanged fails t for every input file that changed, appeared (an
// SQLite -shm, -wal or -journal) or disappeared while the case was read.
func CheckUnchanged(t testing.TB, before, after map[string]string) {
	t.Helper()
	for p, s := range after {
		old, ok := before[p]
		switch {
		case !ok:
			t.Errorf("reading created %s in the input folder", p)
		case old != s:
			t.Errorf("reading changed %s", p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("reading removed %s", p)
		}
	}
}

// firstClean returns the first case the adapter reads without error and
// that has rows, or nil.
func firstClean(cases []Case) *Case {
	for i := range cases {
		c := &cases[i]
		if c.OpenErr == "" && c.ReadErr == "" && len(c.Rows) > 0 && !strings.HasPrefix(c.Name, "hostile/") {
			return c
		}
	}
	return nil
}
