package tabular

import (
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

func TestTranslationCSV(t *testing.T) {
	tests := []struct {
		name      string
		path      string
		data      string
		lang      string
		wantRows  []string
		wantSkips []string
		wantErr   string
	}{
		{
			name: "headerless with language",
			path: "testdata/translation_headerless.csv",
			lang: "japanese",
			wantRows: []string{
				`line 1 "1girl" nofmt ja="一人の女の子"`,
				`line 2 "witch" nofmt ja="魔女,ウィッチ"`, // raw: the merge splits
				`line 6 "don't_say_\"lazy\"" nofmt ja="「怠zy」"`,
				`line 7 "long_hair" nofmt ja="  Long Hair  "`,
			},
			wantSkips: []string{
				"line 3: no translation",
				"line 4: expected 2 fields, got 3",
				"line 5: empty tag",
			},
		},
		{
			name:    "headerless without language",
			path:    "testdata/translation_headerless.csv",
			wantErr: "needs a language",
		},
		{
			name:    "unknown language option",
			path:    "testdata/translation_headerless.csv",
			lang:    "klingon",
			wantErr: `language "klingon" is not a known language`,
		},
		{
			name: "headered: one language per column",
			path: "testdata/translation_headered.csv",
			wantRows: []string{
				`line 2 "witch" nofmt ja="魔女" zh-cn="女巫"`,
				`line 3 "cat_ears" nofmt ko="고양이 귀"`,
			},
			wantSkips: []string{
				"line 4: no translation",
				"line 5: expected 4 fields, got 2",
			},
		},
		{
			name:    "headered with a column that is not a language",
			path:    "testdata/translation_badheader.csv",
			wantErr: `translation_badheader.csv line 1: column "translation" is not a language column`,
		},
		{
			name:      "a bad first line of a headerless file is skipped",
			data:      "\"witch,魔女\nhat,帽子\n",
			lang:      "ja",
			wantRows:  []string{`line 2 "hat" nofmt ja="帽子"`},
			wantSkips: []string{"line 1: unbalanced quote"},
		},
		{
			name:     "title header (p1atdev export)",
			data:     "Title,JA\r\noriginal,オリジナル\r\n",
			wantRows: []string{`line 2 "original" nofmt ja="オリジナル"`},
		},
		{
			name: "empty file needs nothing",
			data: "",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = writeTemp(t, "in.csv", []byte(tc.data))
			}
			// Format is ignored by translation_csv: rows are translation-only.
			rows, ev, err := readAll(t, Translation, path, Options{Format: 1, Language: tc.lang})
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

// TestTranslationRealData reads both real booru-japanese-tag files: every line
// is a ja row.
func TestTranslationRealData(t *testing.T) {
	for _, name := range []string{"danbooru-jp.csv", "danbooru-machine-jp.csv"} {
		t.Run(name, func(t *testing.T) {
			path := sharedData(t, "booru-japanese-tag/"+name)
			rows, ev, err := readAll(t, Translation, path, Options{Format: record.NoFormat, Language: "ja"})
			if err != nil {
				t.Fatal(err)
			}
			// Every line is a row, except a few with an empty translation
			// (`=_=,` in the machine file), which are reported.
			for _, s := range ev.Skips {
				if s.Reason != reasonNoTranslation {
					t.Errorf("unexpected skip %s: %s", s.Pos, s.Reason)
				}
			}
			if want := countLines(t, path); len(rows)+len(ev.Skips) != want {
				t.Errorf("%d rows and %d skips from %d lines", len(rows), len(ev.Skips), want)
			}
			if len(rows) == 0 || rows[0] != `line 1 "1girl" nofmt ja="一人の女の子"` {
				t.Errorf("first row = %v", rows[:min(1, len(rows))])
			}
		})
	}
}
