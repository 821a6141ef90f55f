package files

import (
	"os"
	"path/filepath"
	"testing"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

func TestCopy(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(src, []byte("tagdb"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Copy(src, dst); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "tagdb" {
		t.Fatalf("copy holds %q", b)
	}
	if err := Copy(src, dst); err == nil {
		t.Fatal("Copy overwrote an existing file")
	}
	if err := Copy(filepath.Join(dir, "missing"), filepath.Join(dir, "c")); err == nil {
		t.Fatal("Copy of a missing file succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "c")); !os.IsNotExist(err) {
		t.Fatal("a failed copy left a file")
	}
}
