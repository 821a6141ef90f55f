package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
			checkAppend(t, dir, checkFirstFile(t), "\n-- an afterthought\n")
		}},
		{"malformed file name", "add_note", false, func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "0099-Bad.sql"), []byte("SELECT 1;"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		dir := checkFolder(t, tc.fixture)
		if tc.edit != nil {
			tc.edit(t, dir)
		}
		inputs := map[string]string{"INPUT_MODE": "check", "INPUT_MIGRATIONS_DIR": dir}
		if tc.baseDB {
			inputs["INPUT_BASE_DB"] = checkBaseDB(t)
		}
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), &env{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return inputs[k] }}, []string{"action"})
		fmt.Fprintf(&out, "=== %s (exit %d)\n%s", tc.name, code, strings.ReplaceAll(stdout.String(), dir, "<migrations>"))
	}
	got := strings.ReplaceAll(out.String(), programVersion, "<version>")
	path := filepath.Join("testdata", "action-check.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run TestActionCheckGolden -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
