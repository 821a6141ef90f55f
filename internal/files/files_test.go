package files

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

func TestCopy(t *testing.T) {
	for _, tc := range []struct {
		name     string
		copy     func(src, dst string) error
		wantMode fs.FileMode // of the copy, the source being 0o600
	}{
		{"Copy", Copy, 0o644 &^ umask(t)},
		{"CopyKeepMode", CopyKeepMode, 0o600},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src, dst := filepath.Join(dir, "a"), filepath.Join(dir, "b")
			if err := os.WriteFile(src, []byte("tagdb"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := tc.copy(src, dst); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(dst); string(b) != "tagdb" {
				t.Fatalf("copy holds %q", b)
			}
			if st, err := os.Stat(dst); err != nil || st.Mode().Perm() != tc.wantMode {
				t.Errorf("copy: %v, %v; want mode %v", st, err, tc.wantMode)
			}
			if err := tc.copy(src, dst); err == nil {
				t.Fatal("an existing file was overwritten")
			}
			if err := tc.copy(filepath.Join(dir, "missing"), filepath.Join(dir, "c")); err == nil {
				t.Fatal("a copy of a missing file succeeded")
			}
			if _, err := os.Stat(filepath.Join(dir, "c")); !os.IsNotExist(err) {
				t.Fatal("a failed copy left a file")
			}
		})
	}
}

// umask is the process's file creation mask, read from a file it shapes.
func umask(t *testing.T) fs.FileMode {
	t.Helper()
	p := filepath.Join(t.TempDir(), "probe")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o777)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return 0o777 &^ st.Mode().Perm()
}
