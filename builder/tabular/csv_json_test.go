package tabular

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

func TestCSV(t *testing.T) {
	header := []string{
		`header: column "tag" ignored (a higher-priority tag column is used)`,
		`header: unknown column "views" ignored`,
		`header: unnamed column 12 ignored`,
	}
	tests := []struct {
		name      string
		path      string
		data      string
		format    int
		wantRows  []string
		wantSkips []string
		wantErr   string
	}{
		{
			name:   "shared column mapping and bad cells",
			path:   "testdata/tabular.csv",
			format: 3,
			wantRows: []string{
				`line 2 "Witch" f3 t0 c11 aliases=["sorceress" "witch_(cosplay)"] created="2024-10-16 12:34:56.500000+09:00" updated="2024-10-17 01:02:03" ja="魔女"`,
				`line 3 "Hat" f3 dep`,
				`line 6 "Fmt" f3 t4 c12 created="2024-01-02 00:00:00"`,
			},
			wantSkips: append(header,
				`line 3: type_id is not a number: "x"`,
				`line 3: count is negative: "-1"`,
				"line 4: empty tag",
				"line 5: expected 12 fields, got 2",
				`line 6: format_id is negative: "-2"`,
				`line 6: deprecated is not a boolean: "maybe"`,
			),
		},
		{
			name:   "no format: rows without format_id are translation-only",
			path:   "testdata/tabular.csv",
			format: record.NoFormat,
			wantRows: []string{
				`line 2 "Witch" nofmt ja="魔女"`,
				`line 3 "Hat" f3 dep`,
			},
			wantSkips: append(header,
				`line 3: type_id is not a number: "x"`,
				`line 3: count is negative: "-1"`,
				"line 4: empty tag",
				"line 5: expected 12 fields, got 2",
				"line 6: no format and no translation",
			),
		},
		{
			name:    "no tag column",
			data:    "name,count\nwitch,1\n",
			format:  1,
			wantErr: `in.csv line 1: header: no tag column (source_tag, tag or title) among ["name" "count"]`,
		},
		{
			name:    "duplicate column",
			data:    "source_tag,count,Count\nwitch,1,2\n",
			format:  1,
			wantErr: `header: columns 2 and 3 are both "Count"`,
		},
		{
			name:    "unreadable header",
			data:    "source_tag,\"count\n",
			format:  1,
			wantErr: "in.csv line 1: header: unbalanced quote",
		},
		{
			name:    "empty file",
			data:    "\n\n",
			format:  1,
			wantErr: "expected a header line",
		},
		{
			name:     "p1atdev layout: type ignored silently, deleted rows skipped",
			data:     "id,title,other_names,is_deleted,type\n10,original,オリジナル,False,copyright\n11,gone,x,True,general\n",
			format:   record.NoFormat,
			wantRows: []string{`line 2 "original" nofmt ja="オリジナル"`},
			wantSkips: []string{
				"line 3: deleted",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = writeTemp(t, "in.csv", []byte(tc.data))
			}
			rows, ev, err := readAll(t, CSV, path, Options{Format: tc.format})
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

func TestJSON(t *testing.T) {
	tests := []struct {
		name      string
		path      string
		wantRows  []string
		wantSkips []string
		wantErr   string
	}{
		{
			name: "array of objects with bad elements",
			path: "testdata/tabular.json",
			wantRows: []string{
				// Arrays are lists: their elements are never comma-split (docs/python-differences.md, W17).
				`row 1 "Witch" f1 t0 c1000 aliases=["sorceress" "a, b"] ja="魔女" ja="ウィッチ, 魔法使い"`,
				`row 2 "long_hair" f2 c12 dep aliases=["longhair" "lh"] created="2013-02-28 10:40:17-05:00"`,
				`row 6 "original" f1 ja="オリジナル"`,
				`row 9 "Counted" f1`,
				`row 10 "Big" f1`,
			},
			wantSkips: []string{
				`header: unknown column "extra" ignored`,
				"row 3: not an object",
				"row 4: not an object",
				"row 5: empty tag",
				`header: unknown column "type" ignored`,
				"row 7: deleted",
				"row 8: tag is not a string",
				`row 9: count is not a number: "1.5"`,
				`row 9: type_id is not a number: "object"`,
				`row 9: deprecated is not a boolean: "maybe"`,
				`row 10: count is out of range: "9223372036854775808"`,
			},
		},
		{
			name:    "not an array",
			path:    "testdata/json_not_array.json",
			wantErr: "json_not_array.json: not a JSON array of objects (found an object at byte offset 2)",
		},
		{
			name:     "truncated",
			path:     "testdata/json_truncated.json",
			wantRows: []string{`row 1 "witch" f1`},
			wantErr:  "json_truncated.json: truncated JSON at byte offset 58",
		},
		{
			name:     "invalid",
			path:     "testdata/json_invalid.json",
			wantRows: []string{`row 1 "witch" f1`},
			wantErr:  "json_invalid.json: invalid JSON at byte offset 40: invalid character '\"' after object key",
		},
		{
			name:     "trailing data",
			path:     "testdata/json_trailing.json",
			wantRows: []string{`row 1 "witch" f1`},
			wantErr:  "json_trailing.json: an object after the JSON array, ending at byte offset 27",
		},
		{
			name:    "empty",
			path:    "testdata/json_empty.json",
			wantErr: "json_empty.json: empty file, expected a JSON array",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, ev, err := readAll(t, JSON, tc.path, Options{Format: 1, BatchSize: 1})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			recordtest.DiffLines(t, "rows", rows, tc.wantRows)
			recordtest.DiffLines(t, "skips", ev.SkipLines(), tc.wantSkips)
		})
	}
}

// FuzzJSON opens arbitrary bytes as a JSON source: never a panic, errors name
// the file, and every emitted row has a tag.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{
		`[{"source_tag": "witch", "count": 1e3, "deprecated_tags": ["a", ["b"]], "japanese": "魔女"}]`,
		`[{"title": "x", "other_names": [null, 1, true, {"k": [1]}], "is_deleted": 0}, 3, [], {}]`,
		"\xef\xbb\xbf [{\"tag\": \"a\", \"format_id\": \"2\", \"created_at\": \"2024-01-02T03:04:05Z\"}] ",
		`{"source_tag": "witch"}`,
		`[{"source_tag": "witch"}, {"source_tag"`,
		`[{"source_tag": "a", "source_tag": null, "tag": "b"}] x`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := newSource(context.Background(), JSON, bytes.NewReader(data), int64(len(data)), nil, "fuzz.json",
			Options{Format: 1, BatchSize: 3, Events: record.Discard{}})
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		defer src.Close()
		for {
			batch, err := src.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !strings.Contains(err.Error(), "fuzz.json") {
					t.Fatalf("error does not name the file: %v", err)
				}
				return
			}
			for _, r := range batch {
				if strings.TrimSpace(r.Tag) == "" || r.Tag != strings.TrimSpace(r.Tag) {
					t.Fatalf("row %s has tag %q", r.Pos, r.Tag)
				}
				if r.Format < record.NoFormat || (r.HasCount && r.Count < 0) {
					t.Fatalf("row %s: format %d, count %d", r.Pos, r.Format, r.Count)
				}
			}
		}
	})
}
