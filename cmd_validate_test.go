package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestCmdValidate(t *testing.T) {
	good := migratedDB(t)
	code, out, _ := runTagdb(t, nil, "validate", "--db", good)
	if code != 0 || !strings.Contains(out, good+": valid") {
		t.Errorf("valid file: exit %d\n%s", code, out)
	}

	bad := migratedDB(t, `ALTER TABLE TAG_FORMATS DROP COLUMN license`,
		`INSERT INTO TAG_TRANSLATIONS (translation_id, tag_id, language, translation) VALUES (1, 1, NULL, 'x')`)
	code, out, errOut := runTagdb(t, nil, "validate", "--db", bad)
	if code != 1 || !strings.Contains(out, "TAG_FORMATS.license: column missing") || !strings.Contains(errOut, "problems") {
		t.Errorf("broken file: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runTagdb(t, nil, "validate", "--db", bad, "--format", "json")
	var rep struct {
		OK       bool     `json:"ok"`
		Problems []string `json:"problems"`
	}
	if err := json.Unmarshal([]byte(out), &rep); code != 1 || err != nil || rep.OK || len(rep.Problems) < 2 {
		t.Errorf("json: exit %d, %v\n%s", code, err, out)
	}

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"validate"}, 2, "--db PATH is required"},
		{[]string{"validate", "--db", good, "--format", "xml"}, 2, "--format must be text or json"},
		{[]string{"validate", "--db", good, "--examples", "0"}, 2, "--examples"},
		{[]string{"validate", "--db", filepath.Join(t.TempDir(), "missing.sqlite")}, 1, "missing.sqlite"},
		{[]string{"validate", "--help"}, 0, "--require-delete-journal"},
		{[]string{"validate", "--db", good, "--full", "--quick"}, 2, "contradict"},
		{[]string{"validate", "--db", good, "--workers", "-1"}, 2, "--workers"},
	} {
		code, out, errOut := runTagdb(t, nil, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("%v: exit %d, want %d with %q\n%s%s", tt.args, code, tt.code, tt.want, out, errOut)
		}
	}
}

// The default and --full differ in the structure check they run: an index
// whose entries no longer match its table (its definition rewritten) is
// invisible to the default quick_check and found by --full's
// integrity_check. --help says what each mode covers.
func TestCmdValidateFullMode(t *testing.T) {
	path := migratedDB(t,
		`INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (1, 'cat_ears', 'cat ears')`,
		`INSERT INTO DATABASE_METADATA VALUES ('version', 'v1')`,
		`PRAGMA writable_schema = ON`,
		`UPDATE sqlite_schema SET sql = 'CREATE INDEX ix_tags_source_tag_nocase ON TAGS (tag)' WHERE name = 'ix_tags_source_tag_nocase'`)
	for _, args := range [][]string{{}, {"--quick"}, {"--workers", "1"}} {
		code, out, errOut := runTagdb(t, nil, append([]string{"validate", "--db", path}, args...)...)
		if code != 0 || !strings.Contains(out, "valid") {
			t.Errorf("default %v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	code, out, errOut := runTagdb(t, nil, "validate", "--db", path, "--full")
	if code != 1 || !strings.Contains(out, "integrity_check(TAGS): row 1 missing from index ix_tags_source_tag_nocase") {
		t.Errorf("--full: exit %d\n%s%s", code, out, errOut)
	}

	_, help, _ := runTagdb(t, nil, "validate", "--help")
	for _, want := range []string{"--full", "quick_check of each table", "integrity_check of each table", "page accounting"} {
		if !strings.Contains(help, want) {
			t.Errorf("--help lacks %q:\n%s", want, help)
		}
	}
}
