package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

// checkFixtureName is the file name a fixture from testdata/check gets in a
// migrations folder: numbered after the embedded migrations (the i-th
// fixture, from 0), so the fixtures keep working as real migrations are added.
func checkFixtureName(i int, fixture string) string {
	return fmt.Sprintf("%04d_%s.sql", migrations.LatestVersion()+1+i, fixture)
}

// checkFolder writes the embedded migrations and then the named fixtures of
// testdata/check into a new folder.
func checkFolder(t *testing.T, fixtures ...string) string {
	t.Helper()
	dir := t.TempDir()
	migs, err := migrations.List(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migs {
		if err := os.WriteFile(filepath.Join(dir, m.File), []byte(m.SQL), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range fixtures {
		data, err := os.ReadFile(filepath.Join("testdata", "check", f+".sql"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, checkFixtureName(i, f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// checkAppend adds SQL to the end of one of the folder's files.
func checkAppend(t *testing.T, dir, file, sql string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, file), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(sql); err != nil {
		t.Fatal(err)
	}
}

// checkFirstFile is the name of the first embedded migration.
func checkFirstFile(t *testing.T) string {
	t.Helper()
	migs, err := migrations.List(nil)
	if err != nil {
		t.Fatal(err)
	}
	return migs[0].File
}

// checkBaseDB makes a stand-in for the latest release's database: the
// embedded migrations applied by the runner, with valid rows in it.
func checkBaseDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "base.sqlite")
	if _, err := migrations.MigrateFile(ctx, path, migrations.Options{}); err != nil {
		t.Fatal(err)
	}
	rows, err := os.ReadFile(filepath.Join("testdata", "check", "base_rows.sql"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, string(rows)); err != nil {
		t.Fatalf("base_rows.sql: %v", err)
	}
	return path
}

// checkBaseSchema writes the embedded migrations' schema as a dump: what the
// workflow takes from the base branch's golden file.
func checkBaseSchema(t *testing.T) string {
	t.Helper()
	snap, err := migrations.Expected(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := snap.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "base-schema.json")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func checkEnv(getenv func(string) string) *env {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	return &env{ctx: context.Background(), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: getenv}
}

type checkWantAnnotation struct {
	file  string // suffix of the annotation's file ("" = no file)
	line  int
	level string
	title string // substring
}

func TestRunCheck(t *testing.T) {
	first := func(t *testing.T) string { return checkFirstFile(t) }
	next := func(fixture string) string { return checkFixtureName(0, fixture) }
	tests := []struct {
		name     string
		fixtures []string
		edit     func(t *testing.T, dir string)
		base     string // "", "db", "schema" or "empty-schema"
		allow    bool

		failed   bool
		reasons  []string // each a substring of one reason
		changes  map[string]schema.Class
		newFiles []string
		steps    map[string]string // step name -> status
		markdown []string
		annots   []checkWantAnnotation
	}{
		{
			name: "dropped column fails and names the column", fixtures: []string{"drop_source_tag"},
			failed: true, reasons: []string{"1 destructive change"},
			changes:  map[string]schema.Class{"TAGS.source_tag": schema.Destructive},
			newFiles: []string{next("drop_source_tag")},
			markdown: []string{"❌ **Failed:** 1 destructive change", "| removed column | `TAGS.source_tag` | **destructive** |",
				"| new migration files | `" + next("drop_source_tag") + "` |"},
			annots: []checkWantAnnotation{{next("drop_source_tag"), 5, "error", "destructive schema change: removed column TAGS.source_tag"}},
		},
		{
			name: "allow-destructive turns the failure into warnings", fixtures: []string{"drop_source_tag"}, allow: true,
			changes:  map[string]schema.Class{"TAGS.source_tag": schema.Destructive},
			markdown: []string{"✅ **Passed** with 1 destructive and 0 breaking change(s), allowed by `allow-destructive`"},
			annots:   []checkWantAnnotation{{next("drop_source_tag"), 5, "warning", "removed column TAGS.source_tag"}},
		},
		{
			name: "nullable column passes", fixtures: []string{"add_note"},
			changes:  map[string]schema.Class{"TAGS.note": schema.Additive},
			newFiles: []string{next("add_note")},
			markdown: []string{"✅ **Passed:** the migrations apply cleanly and every schema change is additive", "| added column | `TAGS.note` | additive |"},
		},
		{
			name: "nullable column passes on the published database", fixtures: []string{"add_note"}, base: "db",
			changes:  map[string]schema.Class{"TAGS.note": schema.Additive},
			newFiles: []string{next("add_note")},
			steps: map[string]string{"migrations apply to the published database": stepOK,
				"the migrated published database validates": stepOK, "applied migrations are unchanged": stepOK},
			markdown: []string{"✅ **Passed:**", "published database `base.sqlite` at schema version"},
		},
		{
			name: "dropped column against the published database", fixtures: []string{"drop_source_tag"}, base: "db",
			failed: true, reasons: []string{"1 destructive change"},
			changes: map[string]schema.Class{"TAGS.source_tag": schema.Destructive},
			steps: map[string]string{"migrations apply to the published database": stepOK,
				"the migrated published database validates": stepOK},
			annots: []checkWantAnnotation{{next("drop_source_tag"), 5, "error", "removed column TAGS.source_tag"}},
		},
		{
			name: "NOT NULL without default passes on empty, fails on the published rows", fixtures: []string{"note_required"}, base: "db",
			failed: true, reasons: []string{"the migrations do not apply to the published database", "1 breaking change"},
			changes: map[string]schema.Class{"TAGS.note": schema.Breaking},
			steps: map[string]string{"migrations apply to an empty database": stepOK,
				"migrations apply to the published database": stepFailed, "the migrated published database validates": stepSkipped},
			markdown: []string{"Cannot add a NOT NULL column"},
			annots: []checkWantAnnotation{
				{next("note_required"), 3, "error", "migration fails on the published database"},
				{next("note_required"), 4, "error", "breaking schema change: added column TAGS.note"},
			},
		},
		{
			name: "edited applied migration is reported against the published database", base: "db",
			edit:   func(t *testing.T, dir string) { checkAppend(t, dir, first(t), "\n-- an afterthought\n") },
			failed: true, reasons: []string{"applied migrations were edited"},
			steps: map[string]string{"applied migrations are unchanged": stepFailed,
				"migrations apply to the published database": stepSkipped},
			markdown: []string{"was edited after it was applied to the published database", "revert it and add a new migration"},
			annots:   []checkWantAnnotation{{"_tags_v4_schema.sql", 1, "error", "applied migration changed"}},
		},
		{
			name:   "edited released migration is reported against the built-in ones",
			edit:   func(t *testing.T, dir string) { checkAppend(t, dir, first(t), "\n-- an afterthought\n") },
			failed: true, reasons: []string{"applied migrations were edited"},
			steps:  map[string]string{"applied migrations are unchanged": stepFailed},
			annots: []checkWantAnnotation{{"_tags_v4_schema.sql", 1, "error", "released migration changed"}},
		},
		{
			name: "base schema: new files are inferred", fixtures: []string{"drop_source_tag"}, base: "schema",
			failed: true, reasons: []string{"1 destructive change"},
			newFiles: []string{next("drop_source_tag")},
			markdown: []string{"base schema `base-schema.json`, reproduced by 0001–"},
			annots:   []checkWantAnnotation{{next("drop_source_tag"), 5, "error", "removed column TAGS.source_tag"}},
		},
		{
			name: "base schema: a data-only migration is new", fixtures: []string{"new_format"}, base: "schema",
			newFiles: []string{next("new_format")},
			markdown: []string{"✅ **Passed:** the migrations apply cleanly; the schema does not change."},
		},
		{
			name: "base schema: an edited old file is caught", base: "schema",
			edit: func(t *testing.T, dir string) {
				checkAppend(t, dir, first(t), "\nCREATE TABLE IF NOT EXISTS sneaky (x TEXT);\n")
			},
			failed: true, reasons: []string{"existing migrations were changed"},
			changes: map[string]schema.Class{"sneaky": schema.Additive},
			annots: []checkWantAnnotation{
				{"", 0, "error", "existing migrations changed"},
				{"_tags_v4_schema.sql", -1, "notice", "added table sneaky"},
			},
			markdown: []string{"unknown (the base version could not be told)"},
		},
		{
			name: "empty base schema falls back to the built-in migrations", fixtures: []string{"add_note"}, base: "empty-schema",
			newFiles: []string{next("add_note")},
			markdown: []string{"is empty (the base branch has no golden schema?)", "the migrations built into tagdb"},
		},
		{
			name: "SQL error is pinned to its line", fixtures: []string{"broken"},
			failed: true, reasons: []string{"the migrations do not apply to an empty database"},
			steps:  map[string]string{"migrations apply to an empty database": stepFailed},
			annots: []checkWantAnnotation{{next("broken"), 4, "error", "migration fails on an empty database"}},
		},
		{
			name: "malformed file name", base: "db",
			edit: func(t *testing.T, dir string) {
				if err := os.WriteFile(filepath.Join(dir, "0099-Bad.sql"), []byte("SELECT 1;"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			failed: true, reasons: []string{"the migration files are invalid"},
			steps:  map[string]string{"migration files are well-formed": stepFailed},
			annots: []checkWantAnnotation{{"0099-Bad.sql", 1, "error", "invalid migration files"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := checkFolder(t, tc.fixtures...)
			if tc.edit != nil {
				tc.edit(t, dir)
			}
			o := checkOptions{MigrationsDir: dir, AllowDestructive: tc.allow}
			switch tc.base {
			case "db":
				o.BaseDB = checkBaseDB(t)
			case "schema":
				o.BaseSchema = checkBaseSchema(t)
			case "empty-schema":
				o.BaseSchema = filepath.Join(t.TempDir(), "base-schema.json")
				if err := os.WriteFile(o.BaseSchema, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := runCheck(checkEnv(nil), o)
			if err != nil {
				t.Fatal(err)
			}
			report := func() string {
				var b strings.Builder
				res.writeText(&b)
				return b.String()
			}
			if res.Failed != tc.failed {
				t.Errorf("Failed = %v, want %v\n%s", res.Failed, tc.failed, report())
			}
			if !tc.failed && len(res.Reasons) > 0 {
				t.Errorf("reasons on a pass: %q", res.Reasons)
			}
			for _, want := range tc.reasons {
				if !containsSub(res.Reasons, want) {
					t.Errorf("reasons %q lack %q", res.Reasons, want)
				}
			}
			for name, class := range tc.changes {
				found := false
				for _, ch := range res.Changes {
					if strings.EqualFold(ch.Name, name) {
						found = true
						if ch.Class != class {
							t.Errorf("change %s is %s, want %s", name, ch.Class, class)
						}
					}
				}
				if !found {
					t.Errorf("no change to %s in\n%s", name, report())
				}
			}
			if tc.newFiles != nil && strings.Join(res.NewFiles, ",") != strings.Join(tc.newFiles, ",") {
				t.Errorf("new files %q, want %q", res.NewFiles, tc.newFiles)
			}
			for name, status := range tc.steps {
				got := ""
				for _, s := range res.Steps {
					if s.Name == name {
						got = s.Status
					}
				}
				if got != status {
					t.Errorf("step %q: %q, want %q\n%s", name, got, status, report())
				}
			}
			for _, want := range tc.markdown {
				if !strings.Contains(res.Markdown, want) {
					t.Errorf("markdown lacks %q:\n%s", want, res.Markdown)
				}
			}
			if n := strings.Count(res.Markdown, "\n## "); n != 0 || !strings.HasPrefix(res.Markdown, "## tagdb schema check\n") {
				t.Errorf("markdown must be one section starting with its heading:\n%s", res.Markdown)
			}
			for _, want := range tc.annots {
				if !hasAnnotation(res.Annotations, dir, want) {
					t.Errorf("no annotation %+v in %+v", want, res.Annotations)
				}
			}
			// Only failures and allowed failures annotate as error/warning.
			for _, a := range res.Annotations {
				if a.Level == "error" && !tc.failed {
					t.Errorf("error annotation on a passing check: %+v", a)
				}
			}
		})
	}
}

func containsSub(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// hasAnnotation matches file by suffix within dir ("" = no file) and line
// exactly (-1 = any line of a file).
func hasAnnotation(list []checkAnnotation, dir string, w checkWantAnnotation) bool {
	for _, a := range list {
		if a.Level != w.level || !strings.Contains(a.Title, w.title) {
			continue
		}
		if w.file == "" {
			if a.File == "" && a.Line == 0 {
				return true
			}
			continue
		}
		if strings.HasPrefix(a.File, filepath.ToSlash(dir)+"/") && strings.HasSuffix(a.File, w.file) && (w.line == -1 || a.Line == w.line) {
			return true
		}
	}
	return false
}

// TestCheckMarkdownGolden pins the whole PR comment for the acceptance
// case: a dropped column against a published database.
func TestCheckMarkdownGolden(t *testing.T) {
	dir := checkFolder(t, "drop_source_tag")
	res, err := runCheck(checkEnv(nil), checkOptions{MigrationsDir: dir, BaseDB: checkBaseDB(t)})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(res.Markdown, dir, "migrations")
	path := filepath.Join("testdata", "check", "drop_source_tag.md")
	if golden.Update() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestCheckMarkdownGolden -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestCheckAnnotationPaths(t *testing.T) {
	dir := checkFolder(t, "drop_source_tag")
	ws := filepath.Dir(dir)
	for _, tc := range []struct {
		name      string
		dir       string
		workspace string
		want      string
	}{
		{"inside the workspace", dir, ws, filepath.Base(dir) + "/" + checkFixtureName(0, "drop_source_tag")},
		{"no workspace", dir, "", filepath.ToSlash(dir) + "/" + checkFixtureName(0, "drop_source_tag")},
		{"outside the workspace", dir, filepath.Join(ws, "elsewhere"), filepath.ToSlash(dir) + "/" + checkFixtureName(0, "drop_source_tag")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := runCheck(checkEnv(func(k string) string {
				if k == "GITHUB_WORKSPACE" {
					return tc.workspace
				}
				return ""
			}), checkOptions{MigrationsDir: tc.dir})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Annotations) != 1 || res.Annotations[0].File != tc.want {
				t.Errorf("annotations %+v, want one on %s", res.Annotations, tc.want)
			}
		})
	}
}

func TestCheckBestStatement(t *testing.T) {
	dropped := schema.Change{Action: "removed", Object: "column", Table: "TAGS", Name: "TAGS.source_tag"}
	index := schema.Change{Action: "added", Object: "index", Table: "TAGS", Name: "TAGS index ix_a"}
	table := schema.Change{Action: "removed", Object: "table", Table: "TAG_TRANSLATIONS", Name: "TAG_TRANSLATIONS"}
	for _, tc := range []struct {
		name string
		sql  string
		ch   schema.Change
		want int
	}{
		{"statement line", "DROP INDEX x;\n\nALTER TABLE TAGS DROP COLUMN source_tag;\n", dropped, 3},
		{"the column's own line", "ALTER TABLE TAGS\n  DROP COLUMN\n  source_tag;", dropped, 3},
		{"quoted identifiers, any case", "ALTER TABLE \"tags\" DROP COLUMN [Source_Tag];", dropped, 1},
		{"comments and strings do not count", "-- TAGS source_tag\n/* TAGS\nsource_tag */ SELECT 'TAGS source_tag';\nALTER TABLE TAGS DROP COLUMN source_tag;", dropped, 4},
		{"an index name inside another identifier is not a mention", "DROP INDEX ix_tags_source_tag_nocase;\nALTER TABLE TAGS DROP COLUMN source_tag;", dropped, 2},
		{"index by name", "CREATE TABLE t (a);\nCREATE INDEX ix_a ON TAGS (tag);", index, 2},
		{"a drop beats a read of the same table", "INSERT INTO x SELECT * FROM TAG_TRANSLATIONS;\nDROP TABLE TAG_TRANSLATIONS;", table, 2},
		{"no mention", "SELECT 1;", dropped, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkFindLine(tc.sql, tc.ch); got != tc.want {
				t.Errorf("line %d, want %d", got, tc.want)
			}
		})
	}
}

// TestCmdCheck runs the command line as main does and checks exit codes and
// the output formats.
func TestCmdCheck(t *testing.T) {
	pass := checkFolder(t, "add_note")
	fail := checkFolder(t, "drop_source_tag")
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("# earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"additive passes", []string{"check", "--migrations", pass}, 0, "schema check passed", ""},
		{"destructive fails", []string{"check", "--migrations", fail}, 1, "removed column TAGS.source_tag", "schema check failed: 1 destructive change"},
		{"allowed", []string{"check", "--migrations", fail, "--allow-destructive"}, 0, ": warning: destructive schema change", ""},
		{"markdown", []string{"check", "--migrations", fail, "--format", "markdown", "--summary", summary}, 1, "| removed column | `TAGS.source_tag` | **destructive** |", ""},
		{"against a base database", []string{"check", "--migrations", pass, "--base-db", checkBaseDB(t)}, 0, "ok      migrations apply to the published database", ""},
		{"missing folder", []string{"check", "--migrations", filepath.Join(t.TempDir(), "nope")}, 1, "", "migrations folder"},
		{"missing base database", []string{"check", "--migrations", pass, "--base-db", filepath.Join(t.TempDir(), "nope.sqlite")}, 1, "", "base database"},
		{"unknown flag", []string{"check", "--bogus"}, 2, "", "flag provided but not defined"},
		{"bad format", []string{"check", "--format", "yaml"}, 2, "", "--format must be text, markdown or json"},
		{"stray argument", []string{"check", "migrations"}, 2, "", "unexpected argument"},
		{"help", []string{"check", "--help"}, 0, "Usage: tagdb check", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}, tc.args)
			if code != tc.code || !strings.Contains(stdout.String(), tc.stdout) || !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout.String(), stderr.String())
			}
		})
	}

	data, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(data); !strings.HasPrefix(s, "# earlier step\n## tagdb schema check\n") || !strings.Contains(s, "`TAGS.source_tag`") {
		t.Errorf("--summary must append the markdown:\n%s", s)
	}

	var stdout bytes.Buffer
	code := run(context.Background(), &env{stdout: &stdout, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }},
		[]string{"check", "--migrations", fail, "--format", "json"})
	var got struct {
		Failed      bool              `json:"failed"`
		Changes     []schema.Change   `json:"changes"`
		Annotations []checkAnnotation `json:"annotations"`
		NewFiles    []string          `json:"new_files"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout.String())
	}
	if code != 1 || !got.Failed || len(got.Annotations) != 1 || got.Annotations[0].Line != 5 ||
		len(got.NewFiles) != 1 || got.Changes[0].Name != "TAGS.source_tag" {
		t.Errorf("json: exit %d, %+v", code, got)
	}
}
