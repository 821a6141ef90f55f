package builder

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/internal/sqlitetest"
	"github.com/tagdb/tagdb-action/search"
)

// snapshotDir reads every file of dir (name → bytes): a base and whatever
// lies beside it must be exactly as they were after any build.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = string(b)
	}
	return got
}

func assertSameDir(t *testing.T, dir string, before map[string]string) {
	t.Helper()
	after := snapshotDir(t, dir)
	if len(after) != len(before) {
		t.Errorf("files beside the base changed: %d before, %d after", len(before), len(after))
	}
	for name, b := range before {
		if after[name] != b {
			t.Errorf("%s was modified by the build", name)
		}
	}
}

// execOn runs statements on a read-write connection to path.
func execOn(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// walBase copies base into a new folder as a WAL-mode file whose -wal holds a
// tag that the main file does not have, and returns the copy's path.
func walBase(t *testing.T, base string) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), "live.sqlite")
	copyFile(t, base, src)
	db, err := sql.Open("sqlite", "file:"+src+"?_pragma=journal_mode(WAL)&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (900000, 'only_in_wal', 'only in wal')`); err != nil {
		t.Fatal(err)
	}
	// Copy the files while the writer still holds them: the copy's -wal has
	// the committed row, its main file does not.
	dst := filepath.Join(t.TempDir(), "base.sqlite")
	copyFile(t, src, dst)
	copyFile(t, src+"-wal", dst+"-wal")
	if st, err := os.Stat(dst + "-wal"); err != nil || st.Size() == 0 {
		t.Fatalf("no write-ahead log to test with: %v", err)
	}
	// The row is really only in the log: a copy of the main file alone lacks it.
	alone := filepath.Join(t.TempDir(), "alone.sqlite")
	copyFile(t, dst, alone)
	if n := sqlitetest.QueryInt(t, sqlitetest.OpenRO(t, alone), `SELECT count(*) FROM TAGS WHERE tag_id = 900000`); n != 0 {
		t.Fatal("the test row reached the main file")
	}
	return dst
}

// TestBaseRefused covers issue #14, class 6: a base with objects that tagdb
// does not create, or with changes outside its main file, is refused before
// anything is copied or run; the output, the base and the files beside it
// stay as they were.
func TestBaseRefused(t *testing.T) {
	dir := miniTree(t)
	good := filepath.Join(t.TempDir(), "good.sqlite")
	build(t, dir, "cc4", good, nil)
	for _, c := range []struct {
		name  string
		stmts []string
		wal   bool
		files map[string]string // written beside the base
		want  []string
	}{
		{name: "trigger", stmts: []string{`CREATE TRIGGER zero_counts AFTER INSERT ON TAG_USAGE_COUNTS BEGIN UPDATE TAG_USAGE_COUNTS SET count = 0 WHERE rowid = new.rowid; END`},
			want: []string{`holds 1 schema object(s) that tagdb does not create`, `trigger "zero_counts"`}},
		{name: "view and table", stmts: []string{`CREATE VIEW my_view AS SELECT tag FROM TAGS`, `CREATE TABLE notes (x)`},
			want: []string{`holds 2 schema object(s)`, `table "notes"`, `view "my_view"`}},
		{name: "hostile index name", stmts: []string{`CREATE INDEX """; DROP TABLE TAGS; --" ON TAGS (tag, tag_id)`},
			want: []string{`index "\"; DROP TABLE TAGS; --"`}},
		{name: "table named like ours in another case is ours", stmts: []string{`CREATE TABLE tags_extra (x)`, `CREATE TRIGGER "TAGS" AFTER DELETE ON TAGS BEGIN SELECT 1; END`},
			want: []string{`table "tags_extra"`, `trigger "TAGS"`}},
		{name: "trigger under a name SQLite reserves", stmts: []string{`PRAGMA writable_schema = ON`,
			`INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES ('trigger', 'sqlite_evil', 'TAGS', 0,
				'CREATE TRIGGER sqlite_evil AFTER INSERT ON TAGS BEGIN DELETE FROM TAG_STATUS; END')`},
			want: []string{`trigger "sqlite_evil"`}},
		{name: "rollback journal of an interrupted write", files: map[string]string{"base.sqlite-journal": "\xd9\xd5\x05\xf9\x20\xa1\x63\xd7 half a journal"},
			want: []string{"base.sqlite-journal is the rollback journal of an interrupted write"}},
		{name: "rows only in the write-ahead log", wal: true,
			want: []string{"-wal is a write-ahead log that may hold changes the file lacks", "wal_checkpoint(TRUNCATE)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var base string
			if c.wal {
				base = walBase(t, good)
			} else {
				base = filepath.Join(t.TempDir(), "base.sqlite")
				copyFile(t, good, base)
				execOn(t, base, c.stmts...)
			}
			for name, content := range c.files {
				if err := os.WriteFile(filepath.Join(filepath.Dir(base), name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshotDir(t, filepath.Dir(base))
			out, old := relOutDir(t)
			_, err := Build(context.Background(), testOptions(t, dir, "cc4", out, func(o *Options) { o.Base = base }))
			if err == nil {
				t.Fatal("a base with foreign objects was accepted")
			}
			for _, w := range append([]string{"base " + base + ":"}, c.want...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			relAssertOnlyOut(t, out, old)
			assertSameDir(t, filepath.Dir(base), before)
		})
	}
}

// TestBaseAccepted: what tagdb itself makes is never refused, in every form
// an earlier release can have: plain, with the --fts trigram index, and in
// WAL mode with its log checkpointed (no -wal beside it).
func TestBaseAccepted(t *testing.T) {
	dir := miniTree(t)
	for _, c := range []struct {
		name     string
		mod      func(o *Options)
		edit     []string
		emptyWAL bool // an empty -wal beside it, as wal_checkpoint(TRUNCATE) leaves
	}{
		{name: "plain"},
		{name: "with the trigram index", mod: func(o *Options) { o.PostProcess = search.CreateSubstringIndex }},
		{name: "WAL mode, checkpointed", edit: []string{`PRAGMA journal_mode = WAL`}},
		{name: "WAL mode, log truncated to nothing", edit: []string{`PRAGMA journal_mode = WAL`}, emptyWAL: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := filepath.Join(t.TempDir(), "base.sqlite")
			build(t, dir, "cc4", base, c.mod)
			execOn(t, base, c.edit...)
			if c.emptyWAL {
				if err := os.WriteFile(base+"-wal", nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshotDir(t, filepath.Dir(base))
			out := filepath.Join(t.TempDir(), "next.sqlite")
			build(t, dir, "cc4", out, func(o *Options) {
				o.Base = base
				if c.mod != nil {
					c.mod(o)
				}
			})
			assertSameDir(t, filepath.Dir(base), before)
			db := sqlitetest.OpenRO(t, out)
			if got, want := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM TAGS`), sqlitetest.QueryInt(t, sqlitetest.OpenRO(t, base), `SELECT count(*) FROM TAGS`); got != want {
				t.Errorf("%d tags, the base has %d", got, want)
			}
		})
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	if err := files.Copy(from, to); err != nil {
		t.Fatal(err)
	}
}
