package tabular

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/record/recordtest"
	"github.com/tagdb/tagdb-action/internal/golden"
)

// p1atdevRow is the layout of p1atdev/danbooru-ja-tag-pair-20241015.
type p1atdevRow struct {
	ID         int64    `parquet:"id"`
	Title      string   `parquet:"title"`
	OtherNames []string `parquet:"other_names,list"`
	IsDeleted  bool     `parquet:"is_deleted"`
	Type       string   `parquet:"type"`
}

// tableRow uses the shared column mapping with Parquet's own types.
type tableRow struct {
	SourceTag      string     `parquet:"source_tag"`
	TypeID         int64      `parquet:"type_id"`
	FormatID       *int32     `parquet:"format_id,optional"`
	Count          *int64     `parquet:"count,optional"`
	DeprecatedTags []string   `parquet:"deprecated_tags,list"`
	Deprecated     bool       `parquet:"deprecated"`
	CreatedAt      *time.Time `parquet:"created_at,optional,timestamp(microsecond)"`
	UpdatedAt      string     `parquet:"updated_at"`
	ZhCN           *string    `parquet:"trans_zh-CN,optional"`
	Views          int64      `parquet:"views"`
}

func writeParquet[T any](t testing.TB, rows []T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := parquet.Write(&buf, rows, parquet.Compression(&parquet.Zstd)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func ptr[T any](v T) *T { return &v }

func TestParquet(t *testing.T) {
	created := time.Date(2024, 10, 16, 3, 4, 5, 123456000, time.UTC)
	table := writeParquet(t, []tableRow{
		{SourceTag: "Witch", TypeID: 0, Count: ptr[int64](3_000_000_000), DeprecatedTags: []string{"sorceress", "a, b"},
			CreatedAt: &created, UpdatedAt: "2024-10-17T00:00:00Z", ZhCN: ptr("女巫"), Views: 9},
		{SourceTag: "hat", TypeID: 4, FormatID: ptr[int32](2), Count: ptr[int64](-4), Deprecated: true},
		{SourceTag: "  ", TypeID: 0},
		{SourceTag: "bare", TypeID: 1},
	})
	p1atdev := writeParquet(t, []p1atdevRow{
		{ID: 10, Title: "original", OtherNames: []string{"オリジナル"}, Type: "copyright"},
		{ID: 11, Title: "witch", OtherNames: []string{"魔女、ウィッチ", "单色调"}, Type: "general"},
		{ID: 12, Title: "gone", OtherNames: []string{"消えた"}, IsDeleted: true, Type: "general"},
		{ID: 13, Title: "nameless", Type: "general"},
	})
	type wrongTag struct {
		SourceTag int64 `parquet:"source_tag"`
	}
	type listCount struct {
		SourceTag string  `parquet:"source_tag"`
		Count     []int64 `parquet:"count,list"`
	}
	type boolTime struct {
		SourceTag string `parquet:"source_tag"`
		CreatedAt bool   `parquet:"created_at"`
	}
	type noTag struct {
		Name string `parquet:"name"`
	}
	tests := []struct {
		name      string
		data      []byte
		format    int
		wantRows  []string
		wantSkips []string
		wantErr   string
	}{
		{
			name:   "shared mapping with native types",
			data:   table,
			format: 1,
			wantRows: []string{
				`row 1 "Witch" f1 t0 c3000000000 aliases=["sorceress" "a, b"] created="2024-10-16 03:04:05.123456+00:00" updated="2024-10-17 00:00:00+00:00" zh-cn="女巫"`,
				`row 2 "hat" f2 t4 dep`,
				`row 4 "bare" f1 t1`,
			},
			wantSkips: []string{
				`header: unknown column "views" ignored`,
				`row 2: count is negative: "-4"`,
				"row 3: empty tag",
			},
		},
		{
			name:     "p1atdev layout: list elements kept whole, deleted skipped",
			data:     p1atdev,
			format:   record.NoFormat,
			wantRows: []string{`row 1 "original" nofmt ja="オリジナル"`, `row 2 "witch" nofmt ja="魔女、ウィッチ" ja="单色调"`},
			wantSkips: []string{
				"row 3: deleted",
				"row 4: no format and no translation",
			},
		},
		{
			name:    "wrong type for the tag",
			data:    writeParquet(t, []wrongTag{{1}}),
			wantErr: `in.parquet: column "source_tag" has type INT64 (INT(64,true)), want a string`,
		},
		{
			name:    "a list where a value belongs",
			data:    writeParquet(t, []listCount{{"a", []int64{1}}}),
			wantErr: `in.parquet: column "count" is a list, want a single value`,
		},
		{
			name:    "a boolean timestamp",
			data:    writeParquet(t, []boolTime{{"a", true}}),
			wantErr: `in.parquet: column "created_at" has type BOOLEAN, want a timestamp or a string`,
		},
		{
			name:    "no tag column",
			data:    writeParquet(t, []noTag{{"a"}}),
			wantErr: `in.parquet: no tag column`,
		},
		{
			name:    "truncated footer",
			data:    table[:len(table)-10],
			wantErr: "in.parquet: not a valid Parquet file: ",
		},
		{
			name:    "footer length pointing outside the file",
			data:    append(append([]byte("PAR1"), table[4:len(table)-8]...), 0xff, 0xff, 0xff, 0x7f, 'P', 'A', 'R', '1'),
			wantErr: "in.parquet: not a valid Parquet file: ",
		},
		{
			name:    "not parquet at all",
			data:    []byte("source_tag\nwitch\n"),
			wantErr: "in.parquet: not a valid Parquet file: ",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "in.parquet", tc.data)
			rows, ev, err := readAll(t, Parquet, path, Options{Format: tc.format, BatchSize: 2})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			recordtest.DiffLines(t, "rows", rows, tc.wantRows)
			recordtest.DiffLines(t, "skips", ev.SkipLines(), tc.wantSkips)
		})
	}
}

// TestParquetCorruptPages damages the data pages but not the footer: reading
// must fail with an error (or yield rows), never panic.
func TestParquetCorruptPages(t *testing.T) {
	rows := make([]p1atdevRow, 200)
	for i := range rows {
		rows[i] = p1atdevRow{ID: int64(i), Title: strings.Repeat("t", i%13+1), OtherNames: []string{"x", "y"}}
	}
	data := writeParquet(t, rows)
	for _, at := range []int{4, 20, 60, len(data) / 3, len(data) / 2} {
		bad := bytes.Clone(data)
		for i := at; i < at+16 && i < len(bad)-8; i++ {
			bad[i] ^= 0x5a
		}
		rows, _, err := readAll(t, Parquet, writeTemp(t, "bad.parquet", bad), Options{Format: record.NoFormat})
		t.Logf("damage at %d: %d rows, err %v", at, len(rows), err)
	}
}

// sampleP1atdev is the bundled CC0 sample in the p1atdev layout: Japanese names
// for tags of the sample tag lists, with one deleted row, one Chinese name (the
// dataset mixes them, docs/python-differences.md, W11) and one comma-joined
// value for the merge to split.
func sampleP1atdev() []p1atdevRow {
	return []p1atdevRow{
		{ID: 1, Title: "1girl", OtherNames: []string{"女の子一人", "1人の女の子"}, Type: "general"},
		{ID: 2, Title: "solo", OtherNames: []string{"ソロ"}, Type: "general"},
		{ID: 3, Title: "long_hair", OtherNames: []string{"ロングヘア", "長髪"}, Type: "general"},
		{ID: 4, Title: "short_hair", OtherNames: []string{"ショートヘア"}, Type: "general"},
		{ID: 5, Title: "smile", OtherNames: []string{"笑顔"}, Type: "general"},
		{ID: 6, Title: "blush", OtherNames: []string{"赤面"}, Type: "general"},
		{ID: 7, Title: "witch_hat", OtherNames: []string{"魔女帽子、とんがり帽子"}, Type: "general"},
		{ID: 8, Title: "monochrome", OtherNames: []string{"单色调", "モノクロ"}, Type: "general"},
		{ID: 9, Title: "hatsune_miku", OtherNames: []string{"初音ミク"}, Type: "character"},
		{ID: 10, Title: "vocaloid", OtherNames: []string{"ボーカロイド"}, Type: "copyright"},
		{ID: 11, Title: "original", OtherNames: []string{"オリジナル"}, Type: "copyright"},
		{ID: 12, Title: "cat_ears", OtherNames: []string{"猫耳", "ねこみみ"}, Type: "general"},
		{ID: 13, Title: "retired_tag", OtherNames: []string{"廃止タグ"}, IsDeleted: true, Type: "general"},
		{ID: 14, Title: "thighhighs", OtherNames: []string{"サイハイソックス", "ニーハイ"}, Type: "general"},
	}
}

// TestSampleP1atdev keeps testdata/sample/tabular/p1atdev.parquet in step with
// sampleP1atdev (go test -update rewrites it) and checks that it reads.
func TestSampleP1atdev(t *testing.T) {
	path := filepath.Join(repoRoot(t), "testdata", "sample", "tabular", "p1atdev.parquet")
	data := writeParquet(t, sampleP1atdev())
	if again := writeParquet(t, sampleP1atdev()); !bytes.Equal(data, again) {
		t.Fatal("writing the sample twice gave different bytes")
	}
	if golden.Update() {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rows, ev, err := readAll(t, Parquet, path, Options{Format: record.NoFormat})
	if err != nil {
		t.Fatalf("%v (run go test ./builder/tabular -run TestSampleP1atdev -update)", err)
	}
	fresh, _, err := readAll(t, Parquet, writeTemp(t, "p.parquet", data), Options{Format: record.NoFormat})
	if err != nil {
		t.Fatal(err)
	}
	recordtest.DiffLines(t, "committed sample vs generator (run with -update)", rows, fresh)
	if len(rows) != 13 || len(ev.Skips) != 1 || ev.Skips[0].Reason != reasonDeleted {
		t.Errorf("sample: %d rows, skips %v", len(rows), ev.SkipLines())
	}
}
