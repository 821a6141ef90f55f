package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/migrations/check/checktest"
)

// smallMigrations writes the embedded migrations and n small ones after them:
// every other one creates a table, the rest insert a row.
func smallMigrations(t testing.TB, n int) string {
	t.Helper()
	dir := checktest.Folder(t)
	for i := range n {
		name := checktest.FixtureName(i, fmt.Sprintf("small_%d", i))
		sql := fmt.Sprintf("INSERT INTO DATABASE_METADATA (key, value) VALUES ('small_%d', 'v');\n", i)
		if i%2 == 1 {
			sql = fmt.Sprintf("CREATE TABLE small_%d (id INTEGER PRIMARY KEY, v TEXT);\n", i)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(sql), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func BenchmarkSmallMigrations(b *testing.B) {
	dir := smallMigrations(b, 300)
	base := checktest.BaseDB(b)
	for b.Loop() {
		if _, err := Run(context.Background(), Options{Migrations: dir, BaseDB: base}); err != nil {
			b.Fatal(err)
		}
	}
}
