package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/migrations/check"
	"github.com/tagdb/tagdb-action/migrations/check/checktest"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

// TestActionCheckGolden pins what mode check of the action prints: the
// annotations as workflow commands, the summary (the PR comment's body) and
// the exit code, for a failing and a passing pull request.
func TestActionCheckGolden(t *testing.T) {
	var out strings.Builder
	for _, tc := range []struct {
		name    string
		fixture string
		baseDB  bool
		edit    func(t *testing.T, dir string)
	}{
		{"destructive against the published database", "drop_source_tag", true, nil},
		{"additive against the published database", "add_note", true, nil},
		{"NOT NULL column on published rows", "note_required", true, nil},
		{"SQL error against the built-in migrations", "broken", false, nil},
		{"edited applied migration", "add_note", true, func(t *testing.T, dir string) {
			checktest.Append(t, dir, checktest.FirstFile(t), "\n-- an afterthought\n")
		}},
		{"malformed file name", "add_note", false, func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "0099-Bad.sql"), []byte("SELECT 1;"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		dir := checktest.Folder(t, tc.fixture)
		if tc.edit != nil {
			tc.edit(t, dir)
		}
		inputs := map[string]string{"INPUT_MODE": "check", "INPUT_MIGRATIONS_DIR": dir}
		if tc.baseDB {
			inputs["INPUT_BASE_DB"] = checktest.BaseDB(t)
		}
		code, stdout, _ := runTagdb(t, inputs, "action")
		fmt.Fprintf(&out, "=== %s (exit %d)\n%s", tc.name, code, strings.ReplaceAll(stdout, dir, "<migrations>"))
	}
	got := strings.ReplaceAll(out.String(), programVersion, "<version>")
	path := filepath.Join("testdata", "action-check.golden")
	golden.AssertString(t, got, path)
}

// TestCmdCheck runs the command line as main does and checks exit codes and
// the output formats.
func TestCmdCheck(t *testing.T) {
	pass := checktest.Folder(t, "add_note")
	fail := checktest.Folder(t, "drop_source_tag")
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
		{"against a base database", []string{"check", "--migrations", pass, "--base-db", checktest.BaseDB(t)}, 0, "ok      migrations apply to the published database", ""},
		{"missing folder", []string{"check", "--migrations", filepath.Join(t.TempDir(), "nope")}, 1, "", "migrations folder"},
		{"missing base database", []string{"check", "--migrations", pass, "--base-db", filepath.Join(t.TempDir(), "nope.sqlite")}, 1, "", "base database"},
		{"unknown flag", []string{"check", "--bogus"}, 2, "", "flag provided but not defined"},
		{"bad format", []string{"check", "--format", "yaml"}, 2, "", "--format must be text, markdown or json"},
		{"stray argument", []string{"check", "migrations"}, 2, "", "unexpected argument"},
		{"help", []string{"check", "--help"}, 0, "Usage: tagdb check", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runTagdb(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
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

	code, stdout, _ := runTagdb(t, nil, "check", "--migrations", fail, "--format", "json")
	var got struct {
		Failed      bool               `json:"failed"`
		Changes     []schema.Change    `json:"changes"`
		Annotations []check.Annotation `json:"annotations"`
		NewFiles    []string           `json:"new_files"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout)
	}
	if code != 1 || !got.Failed || len(got.Annotations) != 1 || got.Annotations[0].Line != 5 ||
		len(got.NewFiles) != 1 || got.Changes[0].Name != "TAGS.source_tag" {
		t.Errorf("json: exit %d, %+v", code, got)
	}
}
