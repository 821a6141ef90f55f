package check

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/migrations/check/checktest"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

type checkWantAnnotation struct {
	file  string // suffix of the annotation's file ("" = no file)
	line  int
	level string
	title string // substring
}

func TestRun(t *testing.T) {
	first := func(t *testing.T) string { return checktest.FirstFile(t) }
	next := func(fixture string) string { return checktest.FixtureName(0, fixture) }
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
			steps: map[string]string{"migrations apply to the published database": StepOK,
				"the migrated published database validates": StepOK, "applied migrations are unchanged": StepOK},
			markdown: []string{"✅ **Passed:**", "published database `base.sqlite` at schema version"},
		},
		{
			name: "dropped column against the published database", fixtures: []string{"drop_source_tag"}, base: "db",
			failed: true, reasons: []string{"1 destructive change"},
			changes: map[string]schema.Class{"TAGS.source_tag": schema.Destructive},
			steps: map[string]string{"migrations apply to the published database": StepOK,
				"the migrated published database validates": StepOK},
			annots: []checkWantAnnotation{{next("drop_source_tag"), 5, "error", "removed column TAGS.source_tag"}},
		},
		{
			name: "NOT NULL without default passes on empty, fails on the published rows", fixtures: []string{"note_required"}, base: "db",
			failed: true, reasons: []string{"the migrations do not apply to the published database", "1 breaking change"},
			changes: map[string]schema.Class{"TAGS.note": schema.Breaking},
			steps: map[string]string{"migrations apply to an empty database": StepOK,
				"migrations apply to the published database": StepFailed, "the migrated published database validates": StepSkipped},
			markdown: []string{"Cannot add a NOT NULL column"},
			annots: []checkWantAnnotation{
				{next("note_required"), 3, "error", "migration fails on the published database"},
				{next("note_required"), 4, "error", "breaking schema change: added column TAGS.note"},
			},
		},
		{
			name: "edited applied migration is reported against the published database", base: "db",
			edit:   func(t *testing.T, dir string) { checktest.Append(t, dir, first(t), "\n-- an afterthought\n") },
			failed: true, reasons: []string{"applied migrations were edited"},
			steps: map[string]string{"applied migrations are unchanged": StepFailed,
				"migrations apply to the published database": StepSkipped},
			markdown: []string{"was edited after it was applied to the published database", "revert it and add a new migration"},
			annots:   []checkWantAnnotation{{"_tags_v4_schema.sql", 1, "error", "applied migration changed"}},
		},
		{
			name:   "edited released migration is reported against the built-in ones",
			edit:   func(t *testing.T, dir string) { checktest.Append(t, dir, first(t), "\n-- an afterthought\n") },
			failed: true, reasons: []string{"applied migrations were edited"},
			steps:  map[string]string{"applied migrations are unchanged": StepFailed},
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
				checktest.Append(t, dir, first(t), "\nCREATE TABLE IF NOT EXISTS sneaky (x TEXT);\n")
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
			steps:  map[string]string{"migrations apply to an empty database": StepFailed},
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
			steps:  map[string]string{"migration files are well-formed": StepFailed},
			annots: []checkWantAnnotation{{"0099-Bad.sql", 1, "error", "invalid migration files"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := checktest.Folder(t, tc.fixtures...)
			if tc.edit != nil {
				tc.edit(t, dir)
			}
			o := Options{Migrations: dir, AllowDestructive: tc.allow}
			switch tc.base {
			case "db":
				o.BaseDB = checktest.BaseDB(t)
			case "schema":
				o.BaseSchema = checktest.BaseSchema(t)
			case "empty-schema":
				o.BaseSchema = filepath.Join(t.TempDir(), "base-schema.json")
				if err := os.WriteFile(o.BaseSchema, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Run(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			report := func() string {
				var b strings.Builder
				res.WriteText(&b)
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
				if !strings.Contains(res.Markdown(), want) {
					t.Errorf("markdown lacks %q:\n%s", want, res.Markdown())
				}
			}
			if n := strings.Count(res.Markdown(), "\n## "); n != 0 || !strings.HasPrefix(res.Markdown(), "## tagdb schema check\n") {
				t.Errorf("markdown must be one section starting with its heading:\n%s", res.Markdown())
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
func hasAnnotation(list []Annotation, dir string, w checkWantAnnotation) bool {
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

// TestMarkdownGolden pins the whole PR comment for the acceptance
// case: a dropped column against a published database.
func TestMarkdownGolden(t *testing.T) {
	dir := checktest.Folder(t, "drop_source_tag")
	res, err := Run(context.Background(), Options{Migrations: dir, BaseDB: checktest.BaseDB(t)})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(res.Markdown(), dir, "migrations")
	path := filepath.Join("testdata", "drop_source_tag.md")
	golden.AssertString(t, got, path)
}

func TestAnnotationPaths(t *testing.T) {
	dir := checktest.Folder(t, "drop_source_tag")
	ws := filepath.Dir(dir)
	for _, tc := range []struct {
		name      string
		dir       string
		workspace string
		want      string
	}{
		{"inside the workspace", dir, ws, filepath.Base(dir) + "/" + checktest.FixtureName(0, "drop_source_tag")},
		{"no workspace", dir, "", filepath.ToSlash(dir) + "/" + checktest.FixtureName(0, "drop_source_tag")},
		{"outside the workspace", dir, filepath.Join(ws, "elsewhere"), filepath.ToSlash(dir) + "/" + checktest.FixtureName(0, "drop_source_tag")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Run(context.Background(), Options{Migrations: tc.dir, Workspace: tc.workspace})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Annotations) != 1 || res.Annotations[0].File != tc.want {
				t.Errorf("annotations %+v, want one on %s", res.Annotations, tc.want)
			}
		})
	}
}

func TestBestStatement(t *testing.T) {
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
			if got := findLine(tc.sql, tc.ch); got != tc.want {
				t.Errorf("line %d, want %d", got, tc.want)
			}
		})
	}
}
