package check

import (
	"context"
	"fmt"
	"testing"

	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/migrations/check/checktest"
)

// smallMigrations writes the embedded migrations and n small ones after them:
// every other one creates a table, the rest insert a row.
func smallMigrations(t testing.TB, n int) string {
	t.Helper()
	dir := checktest.Folder(t)
	for i := range n {
		sql := fmt.Sprintf("INSERT INTO DATABASE_METADATA (key, value) VALUES ('small_%d', 'v');\n", i)
		if i%2 == 1 {
			sql = fmt.Sprintf("CREATE TABLE small_%d (id INTEGER PRIMARY KEY, v TEXT);\n", i)
		}
		addMigration(t, dir, i, fmt.Sprintf("small_%d", i), sql)
	}
	return dir
}

// TestLinear counts the work of a check of n new migrations against a
// published database: each migration is applied once per database, the
// schema is inspected once after each on the empty one (and a fixed number
// of times besides), and only the tables a migration changed are inspected
// again. The counts, not the time, must grow linearly.
func TestLinear(t *testing.T) {
	embedded := migrations.LatestVersion()
	base := checktest.BaseDB(t)
	var tablesAt150 int
	for _, n := range []int{150, 300} {
		c, err := runChecker(context.Background(), Options{Migrations: smallMigrations(t, n), BaseDB: base})
		if err != nil {
			t.Fatal(err)
		}
		if c.res.Failed {
			t.Fatalf("n=%d: the check failed: %q", n, c.res.Reasons)
		}
		// The empty database runs every file, the published copy the new ones.
		if want := (embedded + n) + n; c.applied != want {
			t.Errorf("n=%d: %d migrations applied, want %d (each once per database)", n, c.applied, want)
		}
		// Empty: before, after each, fresh connection; published: before,
		// after all, fresh connection.
		if want := (1 + embedded + n + 1) + 3; c.inspections != want {
			t.Errorf("n=%d: %d schema inspections, want %d", n, c.inspections, want)
		}
		// Tables inspected in full on the empty database: the embedded
		// migrations' tables (a few times each) and each new table once.
		switch n {
		case 150:
			tablesAt150 = c.tables
		case 300:
			if got := c.tables - tablesAt150; got != 75 {
				t.Errorf("150 more migrations (75 new tables) inspected %d more tables, want 75", got)
			}
		}
	}
}

func BenchmarkSmallMigrations(b *testing.B) {
	for _, n := range []int{300, 2000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := smallMigrations(b, n)
			base := checktest.BaseDB(b)
			for b.Loop() {
				res, err := Run(context.Background(), Options{Migrations: dir, BaseDB: base})
				if err != nil {
					b.Fatal(err)
				}
				if res.Failed {
					b.Fatalf("the check failed: %q", res.Reasons)
				}
			}
		})
	}
}
