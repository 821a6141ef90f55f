package parquetview

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

// The example of docs/reader-contract.md, "Parquet view", plus an alias with a
// comma (docs/python-differences.md, W17) and a zh-cn translation.
const fixture = `
INSERT INTO TAGS (tag_id, source_tag, tag) VALUES
  (1, 'cat_ears', 'cat ears'), (2, 'nekomimi', 'nekomimi'), (3, 'ears,cat', 'ears,cat'), (4, 'solo', 'solo');
INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id) VALUES
  (1, 1, 0, 0, 1), (2, 1, 0, 1, 1), (3, 1, 0, 1, 1), (4, 1, 0, 0, 4), (4, 2, 0, 0, 4);
INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) VALUES (1, 1, 123);
INSERT INTO TAG_TRANSLATIONS (tag_id, language, translation) VALUES
  (1, 'ja', '猫耳'), (1, 'ja', 'ねこみみ'), (1, 'zh', '猫耳'), (1, 'zh-cn', '猫耳朵');
`

func TestExport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "x.sqlite")
	db, err := sqlitedb.Open(ctx, dbPath, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.Apply(ctx, db, migrations.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fixture); err != nil {
		t.Fatal(err)
	}
	db.Close()

	out := filepath.Join(dir, "pq")
	files, err := Export(ctx, dbPath, out, "danbooru", Options{RowsPerFile: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Fatalf("files = %v, want one per row with RowsPerFile 1", files)
	}
	var got []Row
	for _, f := range files {
		rows, err := parquet.ReadFile[Row](f)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rows...)
	}
	c := int64(123)
	want := []Row{
		{TagID: 1, Tag: "cat ears", FormatName: "danbooru", TypeName: "general", Count: &c,
			DeprecatedTags: []string{"nekomimi", "ears,cat"}, LangJA: []string{"猫耳", "ねこみみ"}, LangZH: []string{"猫耳", "猫耳朵"}},
		{TagID: 4, Tag: "solo", FormatName: "danbooru", TypeName: "general", DeprecatedTags: []string{}, LangJA: []string{}, LangZH: []string{}},
	}
	norm := func(rs []Row) {
		for i := range rs {
			for _, l := range []*[]string{&rs[i].DeprecatedTags, &rs[i].LangJA, &rs[i].LangZH} {
				if *l == nil {
					*l = []string{}
				}
			}
		}
	}
	norm(got)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	if _, err := Export(ctx, dbPath, out, "no-such-format", Options{}); err == nil {
		t.Fatal("unknown format accepted")
	}
	files, err = Export(ctx, dbPath, filepath.Join(dir, "empty"), "sankaku", Options{})
	if err != nil || len(files) != 0 {
		t.Fatalf("format without rows: files %v, err %v", files, err)
	}
	if left, _ := filepath.Glob(filepath.Join(out, "*.tmp-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
