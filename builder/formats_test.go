package builder

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
)

// The manifest is validated against formatNames, while the database gets its
// formats from the migrations' master data: a format added by a migration but
// not here would be refused in sources.yml, and one here but not seeded would
// fail at write time. This test keeps the two lists one.
func TestFormatNamesMatchMigrations(t *testing.T) {
	ctx := context.Background()
	db, err := sqlitedb.Open(ctx, filepath.Join(t.TempDir(), "f.sqlite"), sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := migrations.Apply(ctx, db, migrations.Options{}); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT format_id, format_name FROM TAG_FORMATS ORDER BY format_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var seeded []string
	for rows.Next() {
		var id int
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		if id != len(seeded) {
			t.Fatalf("TAG_FORMATS ids are not 0..n-1: %d after %d rows", id, len(seeded))
		}
		seeded = append(seeded, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seeded, FormatNames()) {
		t.Errorf("builder format list %v\ndiffers from the migrations' TAG_FORMATS %v", FormatNames(), seeded)
	}
}
