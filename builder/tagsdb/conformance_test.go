package tagsdb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

// conformanceFile is the database every conformance case writes.
const conformanceFile = "tags.sqlite"

// withSchema is a case Setup that creates the current schema and runs sql.
func withSchema(sql string) func(t testing.TB, dir string) {
	return func(t testing.TB, dir string) {
		makeDB(t, dir, conformanceFile, currentSchema(t)+sql)
	}
}

func TestConformance(t *testing.T) {
	recordtest.Run(t, recordtest.Adapter{
		Open: func(ctx context.Context, dir string, batch int, ev record.Events) (record.Source, error) {
			return Open(ctx, filepath.Join(dir, conformanceFile), Options{Events: ev, BatchSize: batch})
		},
		// Each table is read in rowid order.
		Ordered:      []string{"TAG_STATUS rowid ", "TAG_TRANSLATIONS rowid "},
		Input:        conformanceFile,
		SQLiteTables: tableOrder(),
		Cases: []recordtest.Case{
			{Name: "missing file", OpenErr: "no such file"},
			{Name: "not a database", Files: map[string]string{conformanceFile: "not sqlite\n"}, OpenErr: "file is not a database"},
			{Name: "missing tables", Setup: func(t testing.TB, dir string) {
				makeDB(t, dir, conformanceFile, `CREATE TABLE TAGS (tag_id INTEGER PRIMARY KEY, source_tag TEXT, tag TEXT)`)
			}, OpenErr: "not a tag database: missing table(s) TAG_STATUS"},
			{Name: "empty tables", Setup: withSchema("")},
			{Name: "only skipped rows", Setup: withSchema(`
INSERT INTO TAG_TRANSLATIONS (translation_id, tag_id, language, translation) VALUES (1, 9, 'ja', 'x');`),
				Skips: []string{"TAG_TRANSLATIONS rowid 1: tag_id 9 is not in TAGS"}},
			{Name: "rows", Setup: withSchema(`
INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (1, 'Witch', 'witch'), (2, 'hat', 'hat'), (3, 'cat_ears', 'cat ears');
INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id) VALUES
    (1, 1, 0, 0, 1), (2, 1, 0, 0, 2), (3, 1, 0, 1, 1);
INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count, updated_at) VALUES (1, 1, 10, NULL);
INSERT INTO TAG_TRANSLATIONS (translation_id, tag_id, language, translation) VALUES (1, 1, 'ja', '魔女'), (2, 2, 'ja', '帽子');`),
				Rows: []string{
					`TAG_STATUS rowid 1 "witch" norm src="Witch" f1 t0 c10`,
					`TAG_STATUS rowid 2 "hat" norm src="hat" f1 t0`,
					`TAG_STATUS rowid 3 "cat ears" norm src="cat_ears" f1 t0 of="witch"`,
					`TAG_TRANSLATIONS rowid 1 "witch" norm src="Witch" nofmt ja="魔女"`,
					`TAG_TRANSLATIONS rowid 2 "hat" norm src="hat" nofmt ja="帽子"`,
				}},
		},
	})
}
