package tabular

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

// readAll opens path as kind and drains it, rendering rows as they arrive
// (batches are reused, so rows must not be kept).
func readAll(t testing.TB, kind Kind, path string, opts Options) (rows []string, ev *recordtest.Events, err error) {
	t.Helper()
	ev = &recordtest.Events{}
	opts.Events = ev
	src, err := Open(context.Background(), kind, path, opts)
	if err != nil {
		return nil, ev, err
	}
	defer src.Close()
	rows, err = recordtest.ReadAll(src)
	return rows, ev, err
}

func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// repoRoot is the module root, two levels above this package.
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// sharedData returns /work/shared/data (../shared/data from the repo root), or
// skips the test when it is absent.
func sharedData(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(repoRoot(t), "..", "shared", "data", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	return p
}
