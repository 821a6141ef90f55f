package check

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/migrations/check/checktest"
)

// addMigration writes sql as the i-th new migration (after the embedded
// ones) of the folder dir.
func addMigration(t testing.TB, dir string, i int, name, sql string) string {
	t.Helper()
	file := checktest.FixtureName(i, name)
	if err := os.WriteFile(filepath.Join(dir, file), []byte(sql), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}
