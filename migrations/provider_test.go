package migrations_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
)

// openFile opens (creating) a database file in a new temporary folder.
func openFile(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sqlitedb.Open(context.Background(), filepath.Join(t.TempDir(), "db.sqlite"), sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newProvider(t *testing.T, fsys fs.FS, opts ...migrations.ProviderOption) *migrations.Provider {
	t.Helper()
	p, err := migrations.NewProvider(fsys, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProviderUpTo(t *testing.T) {
	ctx := context.Background()
	fsys := embeddedFS(t)
	n := migrations.LatestVersion()
	fsys[name(n+1, "notes")] = &fstest.MapFile{Data: []byte("CREATE TABLE NOTES (x TEXT);\n")}
	fsys[name(n+2, "more_notes")] = &fstest.MapFile{Data: []byte("ALTER TABLE NOTES ADD COLUMN y TEXT;\n")}
	p := newProvider(t, fsys, migrations.WithNow(migrations.FixedTime))
	if p.Latest() != n+2 || len(p.Migrations()) != n+2 {
		t.Fatalf("Latest = %d, %d migrations; want %d", p.Latest(), len(p.Migrations()), n+2)
	}
	db := openFile(t)

	for _, step := range []struct {
		upTo            int // -1: Up
		from, to        int
		applied         int
		version         int
		pending         int
		wantErrContains string
	}{
		{upTo: 2, from: 0, to: 2, applied: 2, version: 2, pending: n},
		{upTo: 1, from: 2, to: 2, applied: 0, version: 2, pending: n}, // behind the database: nothing to do
		{upTo: n + 1, from: 2, to: n + 1, applied: n - 1, version: n + 1, pending: 1},
		{upTo: n + 3, wantErrContains: "no migration"},
		{upTo: -1, from: n + 1, to: n + 2, applied: 1, version: n + 2, pending: 0},
	} {
		var res *migrations.Result
		var err error
		if step.upTo < 0 {
			res, err = p.Up(ctx, db)
		} else {
			res, err = p.UpTo(ctx, db, step.upTo)
		}
		if step.wantErrContains != "" {
			if err == nil || !strings.Contains(err.Error(), step.wantErrContains) {
				t.Errorf("UpTo(%d) error = %v, want %q", step.upTo, err, step.wantErrContains)
			}
			continue
		}
		if err != nil {
			t.Fatalf("UpTo(%d): %v", step.upTo, err)
		}
		if res.From != step.from || res.To != step.to || len(res.Applied) != step.applied {
			t.Errorf("UpTo(%d) = from %d to %d, %d applied; want %d, %d, %d", step.upTo, res.From, res.To, len(res.Applied), step.from, step.to, step.applied)
		}
		st, err := p.Status(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if st.Version != step.version || len(st.Pending) != step.pending || len(st.Applied) != step.version || !st.Tracked {
			t.Errorf("after UpTo(%d): status %+v, want version %d with %d pending", step.upTo, st, step.version, step.pending)
		}
		var uv int
		if err := db.QueryRow(`PRAGMA user_version`).Scan(&uv); err != nil || uv != step.version {
			t.Errorf("user_version = %d, %v; want %d", uv, err, step.version)
		}
	}
}

func TestProviderStatus(t *testing.T) {
	ctx := context.Background()
	n := migrations.LatestVersion()
	for _, tt := range []struct {
		name    string
		prepare func(t *testing.T, db *sql.DB, fsys fstest.MapFS) // db is migrated by the embedded files first unless fresh
		fresh   bool
		check   func(t *testing.T, st *migrations.Status)
		upErr   error  // errors.Is of what Up then returns
		upText  string // or a substring of it
	}{
		{name: "empty database", fresh: true, check: func(t *testing.T, st *migrations.Status) {
			if st.Version != 0 || st.Tracked || st.Adopt || len(st.Pending) != n || len(st.Applied) != 0 {
				t.Errorf("status %+v", st)
			}
		}},
		{name: "a Python-builder file is adopted", fresh: true,
			prepare: func(t *testing.T, db *sql.DB, _ fstest.MapFS) {
				if _, err := db.Exec(`CREATE TABLE TAGS (tag_id INTEGER NOT NULL PRIMARY KEY, source_tag TEXT NOT NULL, tag TEXT NOT NULL)`); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, st *migrations.Status) {
				if !st.Adopt || st.Tracked || len(st.Pending) != n {
					t.Errorf("status %+v", st)
				}
			}},
		{name: "up to date", check: func(t *testing.T, st *migrations.Status) {
			if st.Version != n || len(st.Pending) != 0 || len(st.Applied) != n || len(st.Mismatches) != 0 || st.Newer {
				t.Errorf("status %+v", st)
			}
		}},
		{name: "edited files are all reported", upErr: migrations.ErrChecksum,
			prepare: func(t *testing.T, _ *sql.DB, fsys fstest.MapFS) {
				for _, f := range []string{name(1, "tags_v4_schema"), name(3, "master_data")} {
					fsys[f].Data = append(fsys[f].Data, "\n-- edited\n"...)
				}
			},
			check: func(t *testing.T, st *migrations.Status) {
				if len(st.Mismatches) != 2 || st.Mismatches[0].Migration.Version != 1 || st.Mismatches[1].Migration.Version != 3 ||
					st.Mismatches[0].Applied.SHA256 == st.Mismatches[0].Migration.SHA256 || st.Mismatches[0].Applied.Name != st.Mismatches[0].Migration.Name {
					t.Errorf("mismatches %+v", st.Mismatches)
				}
			}},
		{name: "a renamed file", upText: "was applied as \"master_data\"",
			prepare: func(t *testing.T, _ *sql.DB, fsys fstest.MapFS) {
				fsys[name(3, "seed")] = fsys[name(3, "master_data")]
				delete(fsys, name(3, "master_data"))
			},
			check: func(t *testing.T, st *migrations.Status) {
				if len(st.Mismatches) != 1 || st.Mismatches[0].Applied.Name != "master_data" || st.Mismatches[0].Migration.Name != "seed" {
					t.Errorf("mismatches %+v", st.Mismatches)
				}
			}},
		{name: "a gap", upText: "is not applied but the later version",
			prepare: func(t *testing.T, db *sql.DB, _ fstest.MapFS) {
				if _, err := db.Exec(`DELETE FROM schema_migrations WHERE version = 2`); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, st *migrations.Status) {
				if len(st.Missing) != 1 || st.Missing[0].Version != 2 || len(st.Pending) != 0 {
					t.Errorf("status %+v", st)
				}
			}},
		{name: "a newer database", upErr: migrations.ErrNewer,
			prepare: func(t *testing.T, db *sql.DB, _ fstest.MapFS) {
				if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, st *migrations.Status) {
				if !st.Newer || st.Version != 99 {
					t.Errorf("status %+v", st)
				}
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := openFile(t)
			if !tt.fresh {
				if _, err := migrations.Apply(ctx, db, migrations.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			fsys := embeddedFS(t)
			if tt.prepare != nil {
				tt.prepare(t, db, fsys)
			}
			p := newProvider(t, fsys)
			st, err := p.Status(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, st)
			_, err = p.Up(ctx, db)
			switch {
			case tt.upErr != nil && !errors.Is(err, tt.upErr):
				t.Errorf("Up error = %v, want %v", err, tt.upErr)
			case tt.upText != "" && (err == nil || !strings.Contains(err.Error(), tt.upText)):
				t.Errorf("Up error = %v, want %q", err, tt.upText)
			case tt.upErr == nil && tt.upText == "" && err != nil:
				t.Errorf("Up: %v", err)
			}
		})
	}
}

// A failing statement is reported as a *migrations.Error naming the file,
// the statement's line and its text; a trigger body's semicolons do not cut
// the statement.
func TestProviderErrorNamesStatement(t *testing.T) {
	ctx := context.Background()
	fsys := embeddedFS(t)
	n := migrations.LatestVersion()
	file := name(n+1, "audit")
	trigger := "CREATE TRIGGER tags_audit AFTER INSERT ON TAGS BEGIN\n  INSERT INTO AUDIT VALUES (new.tag_id);\n  SELEC 2;\nEND;"
	fsys[file] = &fstest.MapFile{Data: []byte("CREATE TABLE AUDIT (tag_id INTEGER);\n\n" + trigger + "\n")}
	db := openFile(t)
	_, err := newProvider(t, fsys).Up(ctx, db)
	var me *migrations.Error
	if !errors.As(err, &me) {
		t.Fatalf("error %v (%T) is not a *migrations.Error", err, err)
	}
	if me.File != file || me.Line != 3 || me.Statement != trigger || !strings.Contains(me.Err.Error(), `near "SELEC"`) {
		t.Errorf("error = {File %q, Line %d, Statement %q, Err %v}", me.File, me.Line, me.Statement, me.Err)
	}
	if want := "migrate: " + file + " line 3: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q does not start with %q", err, want)
	}
	// The failed migration left nothing: the earlier ones stay applied.
	st, err := newProvider(t, fsys).Status(ctx, db)
	if err != nil || st.Version != n || len(st.Pending) != 1 {
		t.Errorf("status after the failure: %+v, %v", st, err)
	}
}

func TestProviderConnSetup(t *testing.T) {
	ctx := context.Background()
	db := openFile(t)
	calls := 0
	p := newProvider(t, nil, migrations.WithConnSetup(func(ctx context.Context, conn *sql.Conn) error {
		calls++
		// A per-connection limit the run must respect.
		_, err := conn.ExecContext(ctx, `PRAGMA query_only = ON`)
		return err
	}))
	if _, err := p.Up(ctx, db); err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Errorf("Up on a query_only connection: %v", err)
	}
	if calls != 1 {
		t.Errorf("setup ran %d times, want 1", calls)
	}

	refuse := newProvider(t, nil, migrations.WithConnSetup(func(context.Context, *sql.Conn) error { return errors.New("no sandbox") }))
	if _, err := refuse.Status(ctx, db); err == nil || !strings.Contains(err.Error(), "connection setup: no sandbox") {
		t.Errorf("Status with a failing setup: %v", err)
	}
}

// TestProviderUpEach checks the one-pass form: every pending migration is
// applied once, in order, each followed by the callback on a connection that
// sees it, and a callback error stops the run after a committed migration.
func TestProviderUpEach(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"0001_a.sql": {Data: []byte("CREATE TABLE a (x);\n")},
		"0002_b.sql": {Data: []byte("INSERT INTO a VALUES (1);\n")},
		"0003_c.sql": {Data: []byte("INSERT INTO a VALUES (2);\n")},
	}
	db := openFile(t)
	p := newProvider(t, fsys)
	var seen []string
	stop := errors.New("stop")
	_, err := p.UpEach(ctx, db, func(ctx context.Context, conn *sql.Conn, step migrations.Step) error {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM a`).Scan(&n); err != nil {
			return err
		}
		seen = append(seen, fmt.Sprintf("%s:%d", step.File, n))
		if step.Version == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("UpEach: %v, want the callback's error", err)
	}
	if want := "0001_a.sql:0 0002_b.sql:1"; strings.Join(seen, " ") != want {
		t.Errorf("callbacks %q, want %q", seen, want)
	}
	res, err := p.UpEach(ctx, db, func(context.Context, *sql.Conn, migrations.Step) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if res.From != 2 || res.To != 3 || len(res.Applied) != 1 {
		t.Errorf("second run: from %d to %d, %d applied; want 2 to 3, 1", res.From, res.To, len(res.Applied))
	}
}

// TestProviderTimeout checks that a migration running past WithTimeout is
// interrupted and rolled back, with an error naming the file, the line and
// the statement, and that the next run can still apply it once fixed.
func TestProviderTimeout(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"0001_a.sql": {Data: []byte("CREATE TABLE a (x);\n")},
		"0002_forever.sql": {Data: []byte("INSERT INTO a VALUES (1);\n" +
			"INSERT INTO a WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c;\n")},
	}
	db := openFile(t)
	start := time.Now()
	_, err := newProvider(t, fsys, migrations.WithTimeout(200*time.Millisecond)).Up(ctx, db)
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the run took %s", d)
	}
	if !errors.Is(err, migrations.ErrTimeLimit) {
		t.Fatalf("Up: %v, want ErrTimeLimit", err)
	}
	var me *migrations.Error
	if !errors.As(err, &me) || me.File != "0002_forever.sql" || me.Line != 2 || !strings.HasPrefix(me.Statement, "INSERT INTO a WITH RECURSIVE") {
		t.Fatalf("error %v: want 0002_forever.sql line 2 and its statement, got %+v", err, me)
	}
	if !strings.Contains(err.Error(), "0002_forever.sql line 2: time limit exceeded: still running after 200ms") {
		t.Errorf("message %q", err)
	}
	var n, version int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM a`).Scan(&n); err != nil || n != 0 {
		t.Errorf("rows of the interrupted migration: %d (%v), want 0: it must be rolled back", n, err)
	}
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil || version != 1 {
		t.Errorf("user_version %d (%v), want 1", version, err)
	}
}
