package tabular

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

func TestTagcomplete(t *testing.T) {
	long := append([]byte("before,0,1,\n"), bytes.Repeat([]byte("x"), 1<<20)...)
	long = append(long, []byte(",0,1,\nafter,0,2,\n")...)
	exact := append(bytes.Repeat([]byte("y"), MaxLineBytes-len(",0,1,")), []byte(",0,1,\r\nafter,0,2,")...)
	over := append(bytes.Repeat([]byte("y"), MaxLineBytes+1-len(",0,1,")), []byte(",0,1,\r\nafter,0,2,")...)
	tests := []struct {
		name      string
		path      string // a testdata file, or
		data      []byte // generated content
		wantRows  []string
		wantSkips []string
		wantErr   string
	}{
		{
			name: "every bad-row case",
			path: "testdata/tagcomplete.csv",
			wantRows: []string{
				`line 1 "1girl" f1 t0 c6008644 aliases=["1girls" "sole_female"]`,
				`line 2 "solo" f1 t0 c5000954 aliases=["female_solo" "solo_female"]`,
				`line 8 "x" f1 t0`,
				`line 9 "y" f1 t0`,
				`line 10 "z" f1 t0`,
				`line 12 "w" f1 c5`,
				`line 13 "big" f1 t1 c3000000000 aliases=["a" "b"]`,
				`line 14 "quoted \"tag\"" f1 t3 c7`,
				`line 16 "spaced tag" f1 t4 c12`,
				`line 17 "last" f1 t0 c1`,
			},
			wantSkips: []string{
				"line 4: expected 3 or 4 fields, got 2",
				"line 5: unbalanced quote",
				"line 6: NUL byte",
				"line 7: invalid UTF-8",
				`line 8: count is not a number: "abc"`,
				`line 9: count is negative: "-5"`,
				`line 10: count is out of range: "9223372036854775808"`,
				"line 11: empty tag",
				`line 12: type is not a number: "abc"`,
				"line 15: text after closing quote",
			},
		},
		{
			name:      "a 1 MiB line is skipped and the next line still arrives",
			data:      long,
			wantRows:  []string{`line 1 "before" f1 t0 c1`, `line 3 "after" f1 t0 c2`},
			wantSkips: []string{"line 2: line longer than 65536 bytes"},
		},
		{
			name:     "a line of exactly 65536 bytes is read",
			data:     exact,
			wantRows: []string{`line 1 "` + strings.Repeat("y", MaxLineBytes-5) + `" f1 t0 c1`, `line 2 "after" f1 t0 c2`},
		},
		{
			name:      "a line of 65537 bytes is skipped",
			data:      over,
			wantRows:  []string{`line 2 "after" f1 t0 c2`},
			wantSkips: []string{"line 1: line longer than 65536 bytes"},
		},
		{
			name:      "a header line is reported, not imported",
			data:      []byte("tag,type,count,aliases\nsolo,0,3,\n"),
			wantRows:  []string{`line 2 "solo" f1 t0 c3`},
			wantSkips: []string{"line 1: header line ignored"},
		},
		{
			name: "empty file",
			data: []byte{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = writeTemp(t, "in.csv", tc.data)
			}
			rows, ev, err := readAll(t, Tagcomplete, path, Options{Format: 1, BatchSize: 3})
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

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	csv := writeTemp(t, "a.csv", []byte("a,0,1,\n"))
	for _, tc := range []struct {
		name string
		kind Kind
		path string
		opts Options
		want string
	}{
		{"unknown kind", "xml", csv, Options{Format: 1}, `unknown kind "xml"`},
		{"tagcomplete without format", Tagcomplete, csv, Options{Format: record.NoFormat}, "needs a format"},
		{"missing file", Tagcomplete, filepath.Join(t.TempDir(), "none.csv"), Options{Format: 1}, "none.csv"},
		{"bad format id", CSV, csv, Options{Format: -7}, "invalid format id -7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(ctx, tc.kind, tc.path, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	src, err := Open(ctx, Tagcomplete, writeTemp(t, "a.csv", []byte("a,0,1,\nb,0,2,\n")), Options{Format: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cancel()
	if _, err := src.Next(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next after cancel = %v, want context.Canceled", err)
	}
}

// TestTagcompleteRealDanbooru reads the real a1111 tag list: every line is a
// row, and the first has the documented values.
func TestTagcompleteRealDanbooru(t *testing.T) {
	path := sharedData(t, "tagcomplete/danbooru.csv")
	lines := countLines(t, path)
	ev := &recordtest.Events{}
	src, err := Open(context.Background(), Tagcomplete, path, Options{Format: 1, Events: ev})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	n := 0
	found := false
	for {
		batch, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range batch {
			n++
			if r.Tag == "1girl" {
				found = true
				if got := recordtest.RowString(r); got != `line 1 "1girl" f1 t0 c6008644 aliases=["1girls" "sole_female"]` {
					t.Errorf("1girl row = %s", got)
				}
			}
		}
	}
	if !found {
		t.Error("no 1girl row")
	}
	if n != lines {
		t.Errorf("%d rows from %d lines", n, lines)
	}
	if len(ev.Skips) != 0 {
		t.Errorf("skips on real data: %v", ev.SkipLines()[:min(5, len(ev.Skips))])
	}
}

func countLines(t testing.TB, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

// BenchmarkTagcomplete parses the real 140k-line danbooru.csv when present,
// else a generated file of the same shape.
func BenchmarkTagcomplete(b *testing.B) {
	path := filepath.Join(repoRoot(b), "..", "shared", "data", "tagcomplete", "danbooru.csv")
	if _, err := os.Stat(path); err != nil {
		var buf bytes.Buffer
		for i := 0; i < 140000; i++ {
			buf.WriteString("some_tag_name_")
			buf.WriteString(strings.Repeat("x", i%7))
			buf.WriteString(`,0,123456,"alias_one,alias_two,alias_three"` + "\n")
		}
		path = writeTemp(b, "danbooru.csv", buf.Bytes())
	}
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		src, err := Open(context.Background(), Tagcomplete, path, Options{Format: 1})
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		for {
			batch, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows += len(batch)
		}
		src.Close()
		b.ReportMetric(float64(rows), "rows/op")
	}
}

// FuzzTagcomplete opens arbitrary bytes as a tag-complete file: no panics,
// only errors, and every emitted row has a tag.
func FuzzTagcomplete(f *testing.F) {
	for _, s := range []string{
		"1girl,0,6008644,\"1girls,sole_female\"\n",
		"\xef\xbb\xbfa,0,1\r\nb,x,-1,\"\"\"q\"\"\"\n",
		"\"unbalanced,0,1\n,0,1,\nx\x00,0,1\n\xff,1,2\n",
		"a,0,1\rb,0,2\r",          // classic Mac OS line ends: refused by name
		"\xff\xfea\x00,\x000\x00", // UTF-16 LE: refused by name
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := newSource(context.Background(), Tagcomplete, bytes.NewReader(data), int64(len(data)), nil, "fuzz.csv",
			Options{Format: 1, BatchSize: 7, Events: record.Discard{}})
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		for {
			batch, err := src.Next()
			if err == io.EOF {
				return
			}
			if errors.Is(err, ErrNotText) && strings.HasPrefix(err.Error(), "fuzz.csv line ") {
				return // refused by name as a whole (encoding, line ends)
			}
			if err != nil {
				t.Fatal(err) // any other file is read row by row: no source-level errors
			}
			for _, r := range batch {
				if strings.TrimSpace(r.Tag) == "" || r.Tag != strings.TrimSpace(r.Tag) {
					t.Fatalf("row %s has tag %q", r.Pos, r.Tag)
				}
				for _, a := range r.Aliases {
					if a == "" || strings.Contains(a, ",") {
						t.Fatalf("row %s has alias %q", r.Pos, a)
					}
				}
				if r.HasCount && r.Count < 0 {
					t.Fatalf("row %s has count %d", r.Pos, r.Count)
				}
			}
		}
	})
}
