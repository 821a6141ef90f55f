package tabular

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

// conformanceFile is the one file every conformance case of a kind writes.
const conformanceFile = "in"

// conformanceAdapter opens dir/in as kind with format 1 (translation_csv:
// language ja).
func conformanceAdapter(kind Kind, ordered []string, cases ...recordtest.Case) recordtest.Adapter {
	return recordtest.Adapter{
		Open: func(ctx context.Context, dir string, batch int, ev record.Events) (record.Source, error) {
			return Open(ctx, kind, filepath.Join(dir, conformanceFile), Options{Format: 1, Language: "ja", Events: ev, BatchSize: batch})
		},
		Ordered: ordered,
		Cases:   cases,
		Input:   conformanceFile,
		Parquet: kind == Parquet,
	}
}

// in is the Files of a case that writes content as the input.
func in(content string) map[string]string { return map[string]string{conformanceFile: content} }

// encodingCases are the inputs no line-based kind can read as UTF-8 text:
// other encodings' byte-order marks (both byte orders), classic Mac OS line
// ends and a file with no line end at all. They fail by name, at Open for the
// kinds that read a first line there, else at the first Next. good is one
// valid line of the kind, so that the refusal is the encoding's, not the
// content's.
func encodingCases(atOpen bool, good string) []recordtest.Case {
	fail := func(name, content, msg string) recordtest.Case {
		c := recordtest.Case{Name: name, Files: in(content)}
		if atOpen {
			c.OpenErr = msg
		} else {
			c.ReadErr = msg
		}
		return c
	}
	utf16 := func(s string, be bool) string {
		var b strings.Builder
		for _, r := range s {
			if be {
				b.WriteByte(0)
				b.WriteByte(byte(r))
			} else {
				b.WriteByte(byte(r))
				b.WriteByte(0)
			}
		}
		return b.String()
	}
	utf32 := func(s string, be bool) string {
		var b strings.Builder
		for _, r := range s {
			if be {
				b.WriteString("\x00\x00\x00" + string(byte(r)))
			} else {
				b.WriteString(string(byte(r)) + "\x00\x00\x00")
			}
		}
		return b.String()
	}
	lines := good + "\n" + good + "\n"
	return []recordtest.Case{
		fail("UTF-16 LE", "\xFF\xFE"+utf16(lines, false), "line 1: the file is UTF-16 LE text (byte-order mark FF FE): convert it to UTF-8"),
		fail("UTF-16 BE", "\xFE\xFF"+utf16(lines, true), "line 1: the file is UTF-16 BE text (byte-order mark FE FF)"),
		fail("UTF-32 LE", "\xFF\xFE\x00\x00"+utf32(lines, false), "line 1: the file is UTF-32 LE text (byte-order mark FF FE 00 00)"),
		fail("UTF-32 BE", "\x00\x00\xFE\xFF"+utf32(lines, true), "line 1: the file is UTF-32 BE text (byte-order mark 00 00 FE FF)"),
		fail("UTF-16 mark only", "\xFF\xFE", "UTF-16 LE"),
		fail("CR line ends", good+"\r"+good+"\r", "line 1: line ends are CR only (classic Mac OS)"),
		fail("CR line ends after a UTF-8 mark", utf8BOM+good+"\r"+good+"\r"+good, "line ends are CR only"),
		fail("CR line ends longer than a line", strings.Repeat(good+"\r", MaxLineBytes/len(good)+2), "line ends are CR only"),
		fail("no line end", strings.Repeat("x", MaxLineRunBytes+10), "line 1: no line end in the first 16777216 bytes"),
	}
}

// missing is the case every kind shares: no input file.
var missing = recordtest.Case{Name: "missing file", OpenErr: "no such file"}

func TestConformanceTagcomplete(t *testing.T) {
	recordtest.Run(t, conformanceAdapter(Tagcomplete, []string{"line "}, append(encodingCases(false, "solo,0,5"),
		missing,
		recordtest.Case{Name: "empty file", Files: in("")},
		recordtest.Case{Name: "only bad rows", Files: in(",0,5\n\n"), Skips: []string{"line 1: empty tag"}},
		recordtest.Case{Name: "CRLF line ends", Files: in("solo,0,5\r\nhat,0,7\r\n"), Rows: []string{`line 1 "solo" f1 t0 c5`, `line 2 "hat" f1 t0 c7`}},
		recordtest.Case{Name: "one line ending in CR", Files: in("solo,0,5\r"), Rows: []string{`line 1 "solo" f1 t0 c5`}},
		recordtest.Case{
			Name:  "rows",
			Files: in("1girl,0,100,\"girls,one_girl\"\nsolo,0,50\nbad,0,x\nhat,0,7\n"),
			Rows: []string{
				`line 1 "1girl" f1 t0 c100 aliases=["girls" "one_girl"]`,
				`line 2 "solo" f1 t0 c50`,
				`line 3 "bad" f1 t0`,
				`line 4 "hat" f1 t0 c7`,
			},
			Skips: []string{`line 3: count is not a number: "x"`},
		},
	)...))
}

func TestConformanceTranslation(t *testing.T) {
	recordtest.Run(t, conformanceAdapter(Translation, []string{"line "}, append(encodingCases(true, "witch,魔女"),
		missing,
		recordtest.Case{Name: "empty file", Files: in("")},
		recordtest.Case{
			Name:  "headerless rows",
			Files: in("witch,魔女\nhat,帽子\ncat,猫\n"),
			Rows: []string{
				`line 1 "witch" nofmt ja="魔女"`,
				`line 2 "hat" nofmt ja="帽子"`,
				`line 3 "cat" nofmt ja="猫"`,
			},
		},
	)...))
}

func TestConformanceCSV(t *testing.T) {
	recordtest.Run(t, conformanceAdapter(CSV, []string{"line "}, append(encodingCases(true, "tag,count"),
		missing,
		recordtest.Case{Name: "empty file", Files: in(""), OpenErr: "empty file, expected a header line"},
		recordtest.Case{Name: "header only", Files: in("tag,count\n")},
		recordtest.Case{
			Name:  "rows",
			Files: in("source_tag,count,ja\nwitch,5,魔女\n,3,\nhat,2,帽子\n"),
			Rows: []string{
				`line 2 "witch" f1 c5 ja="魔女"`,
				`line 4 "hat" f1 c2 ja="帽子"`,
			},
			Skips: []string{"line 3: empty tag"},
		},
	)...))
}

func TestConformanceJSON(t *testing.T) {
	recordtest.Run(t, conformanceAdapter(JSON, []string{"row "},
		missing,
		recordtest.Case{Name: "empty array", Files: in("[]")},
		recordtest.Case{
			Name:  "rows",
			Files: in(`[{"tag": "witch", "count": 5}, {"tag": ""}, {"tag": "hat", "ja": "帽子"}]`),
			Rows: []string{
				`row 1 "witch" f1 c5`,
				`row 3 "hat" f1 ja="帽子"`,
			},
			Skips: []string{"row 2: empty tag"},
		},
		recordtest.Case{
			Name:    "truncated after two rows",
			Files:   in(`[{"tag": "witch"}, {"tag": "hat"}, {"tag": "c`),
			Rows:    []string{`row 1 "witch" f1`, `row 2 "hat" f1`},
			ReadErr: "truncated JSON at byte offset 43",
		},
	))
}

func TestConformanceParquet(t *testing.T) {
	type row struct {
		SourceTag string `parquet:"source_tag"`
		Count     int64  `parquet:"count"`
	}
	write := func(rows []row) func(t testing.TB, dir string) {
		return func(t testing.TB, dir string) {
			if err := os.WriteFile(filepath.Join(dir, conformanceFile), writeParquet(t, rows), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	recordtest.Run(t, conformanceAdapter(Parquet, []string{"row "},
		missing,
		recordtest.Case{Name: "no rows", Setup: write([]row{})},
		recordtest.Case{Name: "not parquet", Files: in("tag,count\n"), OpenErr: conformanceFile},
		recordtest.Case{
			Name:  "rows",
			Setup: write([]row{{"witch", 5}, {" ", 1}, {"hat", 2}, {"cat", 0}}),
			Rows:  []string{`row 1 "witch" f1 c5`, `row 3 "hat" f1 c2`, `row 4 "cat" f1 c0`},
			Skips: []string{"row 2: empty tag"},
		},
	))
}
