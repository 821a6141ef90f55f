package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestCmdDiff(t *testing.T) {
	old := migratedDB(t, `INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (1, 'a', 'a'), (2, 'b', 'b')`)
	cur := migratedDB(t, `INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (1, 'a', 'a'), (3, 'c', 'c')`)
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"text", []string{"diff", old, cur}, 0, "+1 added, 1 removed", ""},
		{"no differences still exits 0", []string{"diff", old, old, "--format", "markdown"}, 0, "No data differences.", ""},
		{"json", []string{"diff", "--format", "json", old, cur}, 0, `"added": 1`, ""},
		{"help says the exit codes", []string{"diff", "--help"}, 0, "Exit 0 whether or not the files differ", ""},
		{"one file", []string{"diff", old}, 2, "", "want two databases"},
		{"bad format", []string{"diff", old, cur, "--format", "xml"}, 2, "", "--format must be"},
		{"negative top", []string{"diff", old, cur, "--top", "-1"}, 2, "", "--top must be"},
		{"missing file", []string{"diff", old, filepath.Join(t.TempDir(), "gone.sqlite")}, 1, "", "gone.sqlite"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runTagdb(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.inStdout) || !strings.Contains(errOut, tc.inStderr) {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
		})
	}
	_, out, _ := runTagdb(t, nil, "diff", "--format", "json", "--top", "0", old, cur)
	var rep struct {
		Tags struct {
			TopAdded []any `json:"top_added"`
		} `json:"tags"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Tags.TopAdded == nil || len(rep.Tags.TopAdded) != 0 {
		t.Errorf("--top 0: %v %+v\n%s", err, rep, out)
	}
}
