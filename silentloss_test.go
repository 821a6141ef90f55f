package main

// Issue #14, class 1: nothing a source loses passes silently. A source that
// gives the build no usable row, a file in an encoding the readers cannot
// read, and a source that shrank sharply against the base release each fail
// the build with a message naming the source and the file, and leave --out,
// the base and the inputs as they were (runRelCases).

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/parquet-go/parquet-go"
)

// relUTF16 encodes s as UTF-16 with the given byte order, without a mark.
func relUTF16(s string, order binary.AppendByteOrder) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return b
}

// relUTF32 encodes s as UTF-32 with the given byte order, without a mark.
func relUTF32(s string, order binary.AppendByteOrder) []byte {
	var b []byte
	for _, r := range s {
		b = order.AppendUint32(b, uint32(r))
	}
	return b
}

func TestBuildRejectsSilentLoss(t *testing.T) {
	base := relGoodBuild(t)
	good := string(relFixture(t, "good.csv"))
	// many is a tag list of n rows, each line made by line(i).
	many := func(n int, line func(i int) string) []byte {
		var b strings.Builder
		for i := range n {
			b.WriteString(line(i))
		}
		return []byte(b.String())
	}
	// csvSource writes content as m/NAME and lists it as a tagcomplete_csv.
	csvSource := func(name string, content []byte) func(t *testing.T, tr *relTree) {
		return func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, name), content)
			tr.manifest(t, relSource("src", "tagcomplete_csv", name, "format: danbooru"))
		}
	}
	type pqRow struct {
		SourceTag string `parquet:"source_tag"`
		Count     int64  `parquet:"count"`
	}
	long := strings.Repeat("x", 2000)
	runRelCases(t, base, []relCase{
		// Empty sources, of every kind that can be empty.
		{"csv with a header only", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "empty.csv"), []byte("tag,count\n"))
			tr.manifest(t, relSource("src", "csv", "empty.csv", "format: danbooru"))
		}, []string{`source "src": <tmp>/m/empty.csv: no usable rows (0 read, 0 skipped); set allow-empty: true`}},
		{"tagcomplete file of blank lines", csvSource("blank.csv", []byte("\n\n  \n")),
			[]string{`source "src": <tmp>/m/blank.csv: no usable rows (0 read, 0 skipped)`}},
		{"json empty array", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "empty.json"), []byte("[]"))
			tr.manifest(t, relSource("src", "json", "empty.json", "format: danbooru"))
		}, []string{`source "src": <tmp>/m/empty.json: no usable rows`}},
		{"parquet of empty row groups", func(t *testing.T, tr *relTree) {
			var buf bytes.Buffer
			w := parquet.NewGenericWriter[pqRow](&buf)
			for range 3 {
				if err := w.Flush(); err != nil { // an empty row group
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			relWrite(t, filepath.Join(tr.m, "empty.parquet"), buf.Bytes())
			tr.manifest(t, relSource("src", "parquet", "empty.parquet", "format: danbooru"))
		}, []string{`source "src": <tmp>/m/empty.parquet: no usable rows (0 read, 0 skipped)`}},
		{"site whose tags table is empty", func(t *testing.T, tr *relTree) {
			relSQLite(t, filepath.Join(tr.m, "site_tags", "danbooru.donmai.us", "tags.sqlite"),
				`CREATE TABLE tags (id INTEGER, name TEXT, post_count INTEGER, category INTEGER, is_deprecated INTEGER)`)
			tr.manifest(t, relSource("site-tags", "site_tags", "site_tags", ""))
		}, []string{`source "site-tags/danbooru.donmai.us": <tmp>/m/site_tags/danbooru.donmai.us`, "no usable rows (0 read, 0 skipped)"}},
		{"translation list whose every row is bad", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "ja.csv"), many(20, func(int) string { return "solo,\n" }))
			tr.manifest(t, relSource("ja", "translation_csv", "ja.csv", "language: ja"))
		}, []string{`source "ja": <tmp>/m/ja.csv: no usable rows (0 read, 20 skipped); first: line 1: no translation`}},
		// Every row bad, under the 1000 rows from which --max-bad-rows
		// percentages apply: caught as an empty source.
		{"UTF-16 without a mark: every row a NUL byte", csvSource("u16.csv", relUTF16(strings.Repeat("solo,0,5\n", 300), binary.LittleEndian)),
			// 301: the last line is the NUL byte after the last "\n".
			[]string{`source "src": <tmp>/m/u16.csv: no usable rows (0 read, 301 skipped); first: line 1: NUL byte; line 2: NUL byte`}},
		{"every tag over-long", csvSource("long.csv", many(3, func(int) string { return long + ",0,5\n" })),
			[]string{`source "src": <tmp>/m/long.csv: no usable rows (3 read, 3 skipped); first: line 1: tag longer than 1024 bytes`}},
		{"every tag a NUL byte from JSON", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "nul.json"), []byte(`[{"tag": "a\u0000b"}, {"tag": "\u0000"}]`))
			tr.manifest(t, relSource("src", "json", "nul.json", "format: danbooru"))
		}, []string{`source "src": <tmp>/m/nul.json: no usable rows (2 read, 2 skipped); first: row 1: NUL byte; row 2: NUL byte`}},
		// Encodings, refused by name in both byte orders.
		{"UTF-16 LE", csvSource("u16le.csv", append([]byte{0xFF, 0xFE}, relUTF16(good, binary.LittleEndian)...)),
			[]string{`source "src": <tmp>/m/u16le.csv line 1: the file is UTF-16 LE text (byte-order mark FF FE): convert it to UTF-8`}},
		{"UTF-16 BE", csvSource("u16be.csv", append([]byte{0xFE, 0xFF}, relUTF16(good, binary.BigEndian)...)),
			[]string{`source "src": <tmp>/m/u16be.csv line 1: the file is UTF-16 BE text (byte-order mark FE FF)`}},
		{"UTF-32 LE", csvSource("u32le.csv", append([]byte{0xFF, 0xFE, 0, 0}, relUTF32(good, binary.LittleEndian)...)),
			[]string{`source "src": <tmp>/m/u32le.csv line 1: the file is UTF-32 LE text (byte-order mark FF FE 00 00)`}},
		{"UTF-32 BE", csvSource("u32be.csv", append([]byte{0, 0, 0xFE, 0xFF}, relUTF32(good, binary.BigEndian)...)),
			[]string{`source "src": <tmp>/m/u32be.csv line 1: the file is UTF-32 BE text (byte-order mark 00 00 FE FF)`}},
		{"UTF-16 csv with a header", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "u16.csv"), append([]byte{0xFF, 0xFE}, relUTF16("tag,count\nsolo,5\n", binary.LittleEndian)...))
			tr.manifest(t, relSource("src", "csv", "u16.csv", "format: danbooru"))
		}, []string{`source "src": <tmp>/m/u16.csv line 1: the file is UTF-16 LE text`}},
		{"classic Mac line ends", csvSource("mac.csv", []byte(strings.ReplaceAll(good, "\n", "\r"))),
			[]string{`source "src": <tmp>/m/mac.csv line 1: line ends are CR only (classic Mac OS): convert the file to LF or CRLF line ends`}},
		{"classic Mac translation list", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "ja.csv"), []byte("solo,ソロ\rlong_hair,長髪\r"))
			tr.manifest(t, relSource("ja", "translation_csv", "ja.csv", "language: ja"))
		}, []string{`source "ja": <tmp>/m/ja.csv line 1: line ends are CR only`}},
		{"huge file with no line end", csvSource("huge.csv", bytes.Repeat([]byte("x"), 17<<20)),
			[]string{`source "src": <tmp>/m/huge.csv line 1: no line end in the first 16777216 bytes of the line: not line-based UTF-8 text`}},
		// The settings themselves.
		{"max-shrink not a percentage", func(t *testing.T, tr *relTree) { tr.manifest(t, "max-shrink: lots\n") },
			[]string{`sources.yml: max-shrink "lots": want a percentage from 0% to 100% (such as 50%) or off`}},
		{"allow-empty not a boolean", func(t *testing.T, tr *relTree) {
			tr.manifest(t, relSource("src", "csv", "good.csv", "allow-empty: sometimes"))
		}, []string{`sources.yml: yaml: unmarshal errors:`, "cannot unmarshal !!str `sometimes` into bool"}},
		// Shrink against the base's provenance: good.csv had 10 rows.
		{"source shrank by 80%", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "good.csv"), []byte(strings.Join(strings.SplitAfter(good, "\n")[:2], "")))
			tr.manifest(t)
		}, []string{`source "good": 2 rows read, 10 in the base release: 80.0% fewer, more than max-shrink 50%`}},
		{"source shrank past the manifest's max-shrink", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "good.csv"), []byte(strings.Join(strings.SplitAfter(good, "\n")[:8], "")))
			tr.manifest(t, "max-shrink: 10%\n")
		}, []string{`source "good": 8 rows read, 10 in the base release: 20.0% fewer, more than max-shrink 10%`}},
	})
}

// TestBuildAcceptsDeclaredLoss: what the manifest or the command line
// declares acceptable passes, and the report says what was dropped.
func TestBuildAcceptsDeclaredLoss(t *testing.T) {
	base := relGoodBuild(t)
	good := string(relFixture(t, "good.csv"))
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, tr *relTree)
		extra []string
		want  string // a line of source_effects.tsv
	}{
		{"allow-empty", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "empty.csv"), []byte("tag,count\n"))
			tr.manifest(t, relSource("src", "csv", "empty.csv", "format: danbooru\n    allow-empty: true"))
		}, nil, "src\timported\tMIT\t0\t0\t0\t0\t\t"},
		{"shrink within the limit", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "good.csv"), []byte(strings.Join(strings.SplitAfter(good, "\n")[:5], "")))
			tr.manifest(t)
		}, nil, "good\timported\tMIT\t5\t"},
		{"shrink with --max-shrink off", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "good.csv"), []byte(strings.Join(strings.SplitAfter(good, "\n")[:1], "")))
			tr.manifest(t)
		}, []string{"--max-shrink", "off"}, "good\timported\tMIT\t1\t"},
		{"shrink with the manifest's max-shrink", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "good.csv"), []byte(strings.Join(strings.SplitAfter(good, "\n")[:2], "")))
			tr.manifest(t, "max-shrink: 90%\n")
		}, nil, "good\timported\tMIT\t2\t"},
		{"bad values are counted by reason", func(t *testing.T, tr *relTree) {
			long := strings.Repeat("y", 1500)
			relWrite(t, filepath.Join(tr.m, "mixed.csv"), []byte("witch,0,5,\n"+long+",0,5,\nhat,0,5,\""+long+",cap\"\nbad\x00tag,0,1,\n"))
			tr.manifest(t, relSource("src", "tagcomplete_csv", "mixed.csv", "format: danbooru"))
		}, nil, "src\timported\tMIT\t3\t8\t2\t1\tNUL byte=1; alias longer than 1024 bytes=1; tag longer than 1024 bytes=1\t"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := newRelTree(t, base)
			c.setup(t, tr)
			code, _, stderr := runTagdb(t, relVars(), tr.args(c.extra...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			eff, err := os.ReadFile(filepath.Join(tr.reports, "source_effects.tsv"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(eff), "\n"+c.want) {
				t.Errorf("source_effects.tsv lacks a line starting %q:\n%s", c.want, eff)
			}
		})
	}
}
