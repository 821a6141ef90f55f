package migrations_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/internal/sqlitetest"
	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/migrations/validate"
)

func fixedNow() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// specColumns is the tags_v4 schema (docs/reader-contract.md, "Schema") plus
// the three TAG_FORMATS columns of 0004: name, declared type, NOT NULL,
// default, pk position.
var specColumns = map[string][]string{
	"TAGS": {
		"tag_id INTEGER 1 - 1", "source_tag TEXT 1 - 0", "tag TEXT 1 - 0",
		"created_at DATETIME 0 CURRENT_TIMESTAMP 0", "updated_at DATETIME 0 CURRENT_TIMESTAMP 0"},
	"TAG_FORMATS": {
		"format_id INTEGER 1 - 1", "format_name TEXT 1 - 0", "description TEXT 0 - 0",
		"source_url TEXT 0 - 0", "license TEXT 0 - 0", "last_updated TEXT 0 - 0"},
	"TAG_TYPE_NAME": {"type_name_id INTEGER 1 - 1", "type_name TEXT 1 - 0", "description TEXT 0 - 0"},
	"TAG_TYPE_FORMAT_MAPPING": {
		"format_id INTEGER 1 - 1", "type_id INTEGER 1 - 2", "type_name_id INTEGER 1 - 0", "description TEXT 0 - 0"},
	"TAG_STATUS": {
		"tag_id INTEGER 1 - 1", "format_id INTEGER 1 - 2", "type_id INTEGER 1 - 0", "alias BOOLEAN 1 - 0",
		"preferred_tag_id INTEGER 1 - 0", "deprecated BOOLEAN 1 0 0", "deprecated_at DATETIME 0 - 0",
		"source_created_at DATETIME 0 - 0", "created_at DATETIME 0 CURRENT_TIMESTAMP 0", "updated_at DATETIME 0 CURRENT_TIMESTAMP 0"},
	"TAG_TRANSLATIONS": {
		"translation_id INTEGER 1 - 1", "tag_id INTEGER 1 - 0", "language TEXT 0 - 0", "translation TEXT 0 - 0",
		"created_at DATETIME 0 CURRENT_TIMESTAMP 0", "updated_at DATETIME 0 CURRENT_TIMESTAMP 0"},
	"TAG_USAGE_COUNTS": {
		"tag_id INTEGER 1 - 1", "format_id INTEGER 1 - 2", "count INTEGER 1 - 0",
		"created_at DATETIME 0 CURRENT_TIMESTAMP 0", "updated_at DATETIME 0 CURRENT_TIMESTAMP 0"},
	"DATABASE_METADATA": {"key TEXT 1 - 1", "value TEXT 1 - 0"},
}

func TestMigrateNewFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.sqlite")
	res, err := migrations.MigrateFile(ctx, path, migrations.Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	latest := migrations.LatestVersion()
	if !res.Created || res.From != 0 || res.To != latest || len(res.Applied) != latest {
		t.Errorf("result = %+v", res)
	}

	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for table, want := range specColumns {
		rows, err := db.Query(`SELECT name, type, "notnull", coalesce(dflt_value, '-'), pk FROM pragma_table_xinfo(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for rows.Next() {
			var name, typ, dflt string
			var notnull, pk int
			if err := rows.Scan(&name, &typ, &notnull, &dflt, &pk); err != nil {
				t.Fatal(err)
			}
			got[strings.Join([]string{name, typ, itoa(notnull), dflt, itoa(pk)}, " ")] = true
		}
		rows.Close()
		for _, c := range want {
			if !got[c] {
				t.Errorf("%s: no column %q (have %v)", table, c, got)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d columns, want %d", table, len(got), len(want))
		}
	}
	for q, want := range map[string]int{
		`SELECT count(*) FROM TAG_FORMATS`:             19,
		`SELECT count(*) FROM TAG_TYPE_NAME`:           20,
		`SELECT count(*) FROM TAG_TYPE_FORMAT_MAPPING`: 96,
		`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('TAGS','TAG_FORMATS','TAG_TYPE_NAME',
		  'TAG_TYPE_FORMAT_MAPPING','TAG_STATUS','TAG_TRANSLATIONS','TAG_USAGE_COUNTS','DATABASE_METADATA')`: 8,
		`SELECT count(*) FROM TAG_FORMATS WHERE format_id = 14 AND format_name = 'anime-pictures'`:               1,
		`SELECT count(*) FROM TAG_TYPE_FORMAT_MAPPING WHERE format_id = 7 AND type_id = 6 AND type_name_id = 19`: 1,
		`PRAGMA user_version`: latest,
		`SELECT count(*) FROM schema_migrations WHERE length(sha256) = 64 AND applied_at = '2026-01-02T03:04:05Z'`: latest,
		`SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%ck_preferred_tag_consistency%'`:                       1,
	} {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n != want {
			t.Errorf("%s = %d, want %d", q, n, want)
		}
	}
	var fks int
	if err := db.QueryRow(`SELECT count(DISTINCT id) FROM pragma_foreign_key_list('TAG_STATUS')`).Scan(&fks); err != nil || fks != 4 {
		t.Errorf("TAG_STATUS foreign keys = %d, %v; want 4 (with the composite one)", fks, err)
	}

	rep, err := validate.Run(ctx, db, validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Errorf("validate of a new file: %v", rep.Problems)
	}

	// The sqlite3 command-line tool sees the same file.
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Log("sqlite3 not on PATH: CLI check skipped")
		return
	}
	out, err := exec.Command(sqlite3, "-readonly", path,
		`SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'table' AND name != 'schema_migrations' ORDER BY name);`,
		`SELECT count(*) FROM TAG_TYPE_FORMAT_MAPPING;`, `PRAGMA user_version;`).CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	want := "DATABASE_METADATA TAGS TAG_FORMATS TAG_PREFIX_TOP TAG_STATUS TAG_TRANSLATIONS TAG_TYPE_FORMAT_MAPPING TAG_TYPE_NAME TAG_USAGE_COUNTS\n96\n" + itoa(latest) + "\n"
	if string(out) != want {
		t.Errorf("sqlite3 -readonly sees:\n%s\nwant:\n%s", out, want)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSecondRunChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "db.sqlite")
	if _, err := migrations.MigrateFile(ctx, path, migrations.Options{}); err != nil {
		t.Fatal(err)
	}
	before := fileSum(t, path)
	st, _ := os.Stat(path)
	var log bytes.Buffer
	res, err := migrations.MigrateFile(ctx, path, migrations.Options{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if !res.UpToDate() || !strings.Contains(log.String(), "nothing to do") {
		t.Errorf("second run: %+v, log %q", res, log.String())
	}
	if after := fileSum(t, path); after != before {
		t.Error("a second migrate changed the file")
	}
	if st2, _ := os.Stat(path); !st2.ModTime().Equal(st.ModTime()) {
		t.Error("a second migrate wrote to the file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left beside the database: %v", entries)
	}
}

// Two builds with the same clock produce the same bytes: the builder relies
// on it for reproducible files.
func TestReproducible(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.sqlite"), filepath.Join(dir, "b.sqlite")
	for _, p := range []string{a, b} {
		if _, err := migrations.MigrateFile(ctx, p, migrations.Options{Now: fixedNow}); err != nil {
			t.Fatal(err)
		}
	}
	if fileSum(t, a) != fileSum(t, b) {
		t.Error("two migrations with the same clock differ")
	}
}

func TestAdoptPythonFile(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		layout   layout
		baseline string
	}{
		{"columns appended after updated_at", appended, "TAG_STATUS has all columns, in the order tag_id, format_id, type_id, alias, preferred_tag_id, created_at, updated_at, deprecated"},
		{"columns in DDL order", ddlOrder, "TAG_STATUS has all columns"},
		{"columns missing", missing, "TAG_STATUS lacks deprecated, deprecated_at, source_created_at"},
	}
	tables := map[string][2]string{
		"TAGS":                    {"tag_id, source_tag, tag, created_at, updated_at", "tag_id"},
		"TAG_STATUS":              {"tag_id, format_id, type_id, alias, preferred_tag_id, created_at, updated_at", "tag_id, format_id"},
		"TAG_TRANSLATIONS":        {"translation_id, tag_id, language, translation", "translation_id"},
		"TAG_USAGE_COUNTS":        {"tag_id, format_id, count, created_at, updated_at", "tag_id, format_id"},
		"TAG_TYPE_FORMAT_MAPPING": {"format_id, type_id, type_name_id, description", "format_id, type_id"},
		"DATABASE_METADATA":       {"key, value", "key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "python.sqlite")
			pythonFile(t, path, tt.layout)
			before := map[string]string{}
			for table, c := range tables {
				before[table] = dump(t, path, table, c[0], c[1])
			}
			var log bytes.Buffer
			res, err := migrations.MigrateFile(ctx, path, migrations.Options{Log: &log})
			if err != nil {
				t.Fatalf("%v\n%s", err, log.String())
			}
			if !res.Adopted || res.From != 0 || res.To != migrations.LatestVersion() {
				t.Errorf("result = %+v", res)
			}
			if !strings.Contains(strings.Join(res.Baseline, "\n"), tt.baseline) {
				t.Errorf("baseline %q lacks %q", res.Baseline, tt.baseline)
			}
			for table, c := range tables {
				after := dump(t, path, table, c[0], c[1])
				if table == "TAG_TYPE_FORMAT_MAPPING" {
					// The auto-added row survives; the seed adds the rest.
					if !strings.Contains(after, "{15 true}|{-1 true}|{0 true}|{auto-added (unknown) true}|") {
						t.Errorf("auto-added mapping lost:\n%s", after)
					}
					continue
				}
				if after != before[table] {
					t.Errorf("%s rows changed:\n--- before\n%s--- after\n%s", table, before[table], after)
				}
			}
			wantDeprecated := map[layout]string{ddlOrder: "1", appended: "1", missing: "0"}[tt.layout]
			if got := dump(t, path, "TAG_STATUS", "deprecated", "tag_id, format_id"); !strings.Contains(got, "{"+wantDeprecated+" true}") {
				t.Errorf("deprecated values: %s", got)
			}
			if n := sqlitetest.QueryInt(t, sqlitetest.OpenRO(t, path), `SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('idx_tags_tag', 'idx_translations_text', 'idx_usage_counts_count')`); n != 0 {
				t.Errorf("%d redundant Python indexes kept", n)
			}

			db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadOnly)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := validate.Run(ctx, db, validate.Options{})
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			if !rep.OK() {
				t.Errorf("adopted file fails validation:\n%s", strings.Join(rep.Problems, "\n"))
			}

			sum := fileSum(t, path)
			res, err = migrations.MigrateFile(ctx, path, migrations.Options{})
			if err != nil || !res.UpToDate() {
				t.Fatalf("second run: %+v, %v", res, err)
			}
			if fileSum(t, path) != sum {
				t.Error("a second migrate changed the adopted file")
			}
		})
	}
}

// The builder migrates a copy of a base file on a Bulk connection.
func TestApplyBulkOnPythonFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "base.sqlite")
	pythonFile(t, path, appended)
	db, err := sqlitedb.Open(ctx, path, sqlitedb.Bulk)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := migrations.Apply(ctx, db, migrations.Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Adopted || len(res.Applied) != migrations.LatestVersion() || len(res.Applied[1].Skipped) != 3 {
		t.Errorf("result = %+v", res)
	}
	if res, err := migrations.Apply(ctx, db, migrations.Options{}); err != nil || !res.UpToDate() {
		t.Errorf("second Apply = %+v, %v", res, err)
	}
}

func TestChecksumMismatch(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	fsys := embeddedFS(t)
	if _, err := migrations.MigrateFile(ctx, path, migrations.Options{FS: fsys}); err != nil {
		t.Fatal(err)
	}
	before := fileSum(t, path)
	migs, _ := migrations.List(fsys)
	oldSum := migs[2].SHA256
	fsys[migs[2].File].Data = append(fsys[migs[2].File].Data, []byte("\n-- an innocent comment\n")...)
	migs, _ = migrations.List(fsys)
	newSum := migs[2].SHA256

	_, err := migrations.MigrateFile(ctx, path, migrations.Options{FS: fsys})
	if !errors.Is(err, migrations.ErrChecksum) {
		t.Fatalf("error = %v, want ErrChecksum", err)
	}
	for _, want := range []string{migs[2].File, oldSum, newSum} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if fileSum(t, path) != before {
		t.Error("the file changed")
	}
}

func TestFailingMigrationRestoresFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "python.sqlite")
	pythonFile(t, path, appended)
	before := fileSum(t, path)

	fsys := embeddedFS(t)
	n := migrations.LatestVersion()
	fsys[name(n+1, "add_notes")] = &fstest.MapFile{Data: []byte("CREATE TABLE NOTES (x TEXT);\n")}
	fsys[name(n+2, "broken")] = &fstest.MapFile{Data: []byte("INSERT INTO NOTES VALUES ('a');\nINSERT INTO no_such_table VALUES (1);\n")}

	var log bytes.Buffer
	_, err := migrations.MigrateFile(ctx, path, migrations.Options{FS: fsys, Log: &log})
	if err == nil || !strings.Contains(err.Error(), name(n+2, "broken")+" line 2") || !strings.Contains(err.Error(), "no_such_table") {
		t.Fatalf("error = %v, want one naming the file, line and table", err)
	}
	if fileSum(t, path) != before {
		t.Error("the file is not byte-identical after a failed migration")
	}
	if !strings.Contains(log.String(), "restored") {
		t.Errorf("log does not say the backup was restored: %s", log.String())
	}
	if _, err := os.Stat(path + migrations.BackupSuffix); !os.IsNotExist(err) {
		t.Errorf("backup left behind: %v", err)
	}

	// A failure while creating a new file leaves no file at all.
	fresh := filepath.Join(dir, "fresh.sqlite")
	if _, err := migrations.MigrateFile(ctx, fresh, migrations.Options{FS: fsys}); err == nil {
		t.Fatal("no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files after a failed create: %v", entries)
	}
}

func name(v int, s string) string { return fmt.Sprintf("%04d_%s.sql", v, s) }

func TestNewerDatabaseIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	fsys := embeddedFS(t)
	fsys[name(migrations.LatestVersion()+1, "future")] = &fstest.MapFile{Data: []byte("CREATE TABLE FUTURE (x);")}
	if _, err := migrations.MigrateFile(ctx, path, migrations.Options{FS: fsys}); err != nil {
		t.Fatal(err)
	}
	before := fileSum(t, path)
	_, err := migrations.MigrateFile(ctx, path, migrations.Options{})
	if !errors.Is(err, migrations.ErrNewer) {
		t.Fatalf("error = %v, want ErrNewer", err)
	}
	if fileSum(t, path) != before {
		t.Error("the file changed")
	}
}

func TestOutOfOrderIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	if _, err := migrations.MigrateFile(ctx, path, migrations.Options{}); err != nil {
		t.Fatal(err)
	}
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM schema_migrations WHERE version = 2`); err != nil {
		t.Fatal(err)
	}
	_, err = migrations.Apply(ctx, db, migrations.Options{})
	if err == nil || !strings.Contains(err.Error(), "0002_tag_status_deprecation.sql is not applied but the later version") {
		t.Errorf("error = %v", err)
	}
}

func TestDryRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var log bytes.Buffer
	missing := filepath.Join(dir, "new.sqlite")
	res, err := migrations.MigrateFile(ctx, missing, migrations.Options{DryRun: true, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if !res.DryRun || !res.Created || len(res.Applied) != migrations.LatestVersion() {
		t.Errorf("result = %+v", res)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("a dry run created the file")
	}
	if !strings.Contains(log.String(), "would create") || !strings.Contains(log.String(), "would apply 0001_tags_v4_schema.sql") {
		t.Errorf("plan: %s", log.String())
	}

	path := filepath.Join(dir, "python.sqlite")
	pythonFile(t, path, ddlOrder)
	before := fileSum(t, path)
	log.Reset()
	res, err = migrations.MigrateFile(ctx, path, migrations.Options{DryRun: true, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if !res.DryRun || !res.Adopted || res.UpToDate() {
		t.Errorf("a dry run of an adoption reported %+v", res)
	}
	if fileSum(t, path) != before {
		t.Error("a dry run changed the file")
	}
	for _, want := range []string{"adopting", "skipped ADD COLUMN: TAG_STATUS.deprecated exists", "nothing was changed"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, log.String())
		}
	}
	if n := sqlitetest.QueryInt(t, sqlitetest.OpenRO(t, path), `SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'`); n != 0 {
		t.Error("a dry run created schema_migrations")
	}
}

func TestList(t *testing.T) {
	migs, err := migrations.List(nil)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.sql")
	if len(migs) != len(files) || migrations.LatestVersion() != len(files) {
		t.Errorf("List = %d migrations, LatestVersion = %d, %d files", len(migs), migrations.LatestVersion(), len(files))
	}

	ok := "CREATE TABLE t (x);"
	for _, tt := range []struct {
		files map[string]string
		want  string
		file  string // the *migrations.Error's File and Line
		line  int
	}{
		{map[string]string{"1_bad.sql": ok}, "1_bad.sql: name must be NNNN_snake_name.sql", "1_bad.sql", 0},
		{map[string]string{"0001_Bad-Name.sql": ok}, "name must be", "0001_Bad-Name.sql", 0},
		{map[string]string{"0001_a.sql": ok, "0003_c.sql": ok}, "0003_c.sql follows 0001_a.sql", "0003_c.sql", 0},
		{map[string]string{"0002_b.sql": ok}, "0002_b.sql follows the start", "0002_b.sql", 0},
		{map[string]string{"0001_a.sql": ok, "0001_b.sql": ok}, "have the same version 0001", "0001_a.sql", 0},
		{map[string]string{"0001_a.sql": "BEGIN;\n" + ok + "\nCOMMIT;"}, "0001_a.sql line 1: BEGIN", "0001_a.sql", 1},
		{map[string]string{"0001_a.sql": "-- nothing\n"}, "0001_a.sql: no SQL statements", "0001_a.sql", 0},
		{map[string]string{"0001_a.sql": "SELECT 'open"}, "0001_a.sql line 1: unterminated", "0001_a.sql", 1},
		{map[string]string{"0001_a.sql": "SELECT 1;\n/* open"}, "0001_a.sql line 2: unterminated /* comment", "0001_a.sql", 2},
	} {
		fsys := fstest.MapFS{"README.md": {Data: []byte("ignored")}}
		for n, body := range tt.files {
			fsys[n] = &fstest.MapFile{Data: []byte(body)}
		}
		_, err := migrations.List(fsys)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("List(%v) error = %v, want %q", tt.files, err, tt.want)
		}
		var me *migrations.Error
		if !errors.As(err, &me) || me.File != tt.file || me.Line != tt.line {
			t.Errorf("List(%v) error %#v, want a *migrations.Error on %s line %d", tt.files, me, tt.file, tt.line)
		}
	}
}

// The expected schema is checked in, so every schema change shows up in
// review. go test ./migrations -update rewrites it.
func TestExpectedSchemaGolden(t *testing.T) {
	snap, err := migrations.Expected(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := snap.WriteJSON(&got); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, got.Bytes(), filepath.Join("testdata", "schema.golden.json"))
}
