package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCmdMigrate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.sqlite")

	code, out, _ := runTagdb(t, nil, "migrate", "--db", path, "--dry-run")
	if code != 0 || !strings.Contains(out, "would create") {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("--dry-run created the file")
	}
	code, out, _ = runTagdb(t, nil, "migrate", "--db", path)
	if code != 0 || !strings.Contains(out, "created "+path) {
		t.Errorf("create: exit %d\n%s", code, out)
	}
	code, out, _ = runTagdb(t, nil, "migrate", "--db", path)
	if code != 0 || !strings.Contains(out, "nothing to do") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}

	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte(strings.Repeat("not a database\n", 100)), 0o644)
	code, _, errOut := runTagdb(t, nil, "migrate", "--db", notDB)
	if code != 1 || !strings.Contains(errOut, "tagdb migrate: ") || !strings.Contains(errOut, "notes.txt") {
		t.Errorf("not a database: exit %d\n%s", code, errOut)
	}

	for _, args := range [][]string{{"migrate"}, {"migrate", "--db", path, "extra"}, {"migrate", "--nope"}} {
		if code, _, _ := runTagdb(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, out, _ := runTagdb(t, nil, "migrate", "--help"); code != 0 || !strings.Contains(out, "--dry-run") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
}
