package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestCmdValidate(t *testing.T) {
	good := migratedDB(t)
	code, out, _ := tagdb(t, "validate", "--db", good)
	if code != 0 || !strings.Contains(out, good+": valid") {
		t.Errorf("valid file: exit %d\n%s", code, out)
	}

	bad := migratedDB(t, `ALTER TABLE TAG_FORMATS DROP COLUMN license`,
		`INSERT INTO TAG_TRANSLATIONS (translation_id, tag_id, language, translation) VALUES (1, 1, NULL, 'x')`)
	code, out, errOut := tagdb(t, "validate", "--db", bad)
	if code != 1 || !strings.Contains(out, "TAG_FORMATS.license: column missing") || !strings.Contains(errOut, "problems") {
		t.Errorf("broken file: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = tagdb(t, "validate", "--db", bad, "--format", "json")
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
	} {
		code, out, errOut := tagdb(t, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("%v: exit %d, want %d with %q\n%s%s", tt.args, code, tt.code, tt.want, out, errOut)
		}
	}
}
