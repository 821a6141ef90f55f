package builder

// Issue #14, class 5: one text rule for every reader. Each adapter kind's
// hostile values (NUL bytes, invalid UTF-8, over-long values, in tags,
// aliases and translations) go through a whole build: none reaches the
// database, the row or value is counted by reason in source_effects, and the
// good rows around them still arrive.

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"

	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

// sampleCopy copies a file of the bundled sample into dir/name.
func sampleCopy(t *testing.T, sample, dst string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "sample", filepath.FromSlash(sample)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTextRuleEveryKind(t *testing.T) {
	long := strings.Repeat("x", 2000)
	longJa := strings.Repeat("魔", 400) // 1200 bytes
	type pqRow struct {
		SourceTag string  `parquet:"source_tag"`
		Ja        *string `parquet:"ja"`
	}
	str := func(s string) *string { return &s }
	// tagsEntry lists a plain tag list, tags.csv, before the source tested.
	const tagsEntry = "  - id: tags\n    kind: tagcomplete_csv\n    license: MIT\n    path: tags.csv\n    format: danbooru\n"
	for _, c := range []struct {
		kind, entry string // the manifest entry's kind and extra lines
		pre         string // manifest entries before it
		license     string // default MIT, in the edition built
		setup       func(t *testing.T, dir string)
		unit        string // the unit whose effects are checked
		want        map[string]int64
		wantTag     string // a good tag that must arrive
	}{
		{kind: "tagcomplete_csv", entry: "path: in.csv\n    format: danbooru",
			setup: func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, "in.csv"), []byte("good_tag,0,5,\n"+long+",0,5,\nhat,0,5,\""+long+",cap\"\nbad\x00tag,0,1,\nbad\xfftag,0,1,\n"), 0o644)
			},
			want:    map[string]int64{"tag longer than 1024 bytes": 1, "alias longer than 1024 bytes": 1, "NUL byte": 1, "invalid UTF-8": 1},
			wantTag: "good tag"},
		// A licence outside the profile: the source's tag names are read
		// for their ids only, through the same rule.
		{kind: "tagcomplete_csv", license: "CC-BY-4.0", entry: "path: in.csv\n    format: danbooru", pre: tagsEntry,
			setup: func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, "tags.csv"), []byte("other_tag,0,5,\n"), 0o644)
				os.WriteFile(filepath.Join(dir, "in.csv"), []byte("good_tag,0,5,\n"+long+",0,5,\nhat,0,5,\"cap,"+long+"\"\nbad\xfftag,0,1,\n"), 0o644)
			},
			want: map[string]int64{"tag longer than 1024 bytes": 1, "alias longer than 1024 bytes": 1, "invalid UTF-8": 1}},
		{kind: "translation_csv", entry: "path: in.csv\n    language: ja",
			pre: tagsEntry,
			setup: func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, "tags.csv"), []byte("good_tag,0,5,\nhat,0,5,\n"), 0o644)
				os.WriteFile(filepath.Join(dir, "in.csv"), []byte("good_tag,魔女\n"+long+",猫\nhat,\""+longJa+",帽子\"\nbad\xfftag,猫\n"), 0o644)
			},
			want:    map[string]int64{"tag longer than 1024 bytes": 1, "translation longer than 1024 bytes": 1, "invalid UTF-8": 1},
			wantTag: "good tag"},
		{kind: "csv", entry: "path: in.csv\n    format: danbooru",
			setup: func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, "in.csv"), []byte("tag,count,ja,deprecated_tags\ngood_tag,5,魔女,\n"+long+",1,,\nhat,2,"+longJa+","+long+"\n"), 0o644)
			},
			want:    map[string]int64{"tag longer than 1024 bytes": 1, "translation longer than 1024 bytes": 1, "alias longer than 1024 bytes": 1},
			wantTag: "good tag"},
		{kind: "json", entry: "path: in.json\n    format: danbooru",
			setup: func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, "in.json"), []byte(`[{"tag": "good_tag", "ja": "魔\u0000女,帽子"}, {"tag": "a\u0000b"}, {"tag": "`+long+`"},
					{"tag": "hat", "deprecated_tags": ["x\u0000y", "cap"]}, {"tag": "cat", "ja": "`+longJa+`"}]`), 0o644)
			},
			want: map[string]int64{"NUL byte": 1, "tag longer than 1024 bytes": 1, "translation with NUL byte": 1,
				"alias with NUL byte": 1, "translation longer than 1024 bytes": 1},
			wantTag: "good tag"},
		{kind: "parquet", entry: "path: in.parquet\n    format: danbooru",
			setup: func(t *testing.T, dir string) {
				var buf bytes.Buffer
				if err := parquet.Write(&buf, []pqRow{{"good_tag", str("魔女")}, {"bad\xfftag", nil}, {long, nil},
					{"hat", str("魔\x00女")}, {"cap\x00", nil}, {"cat", str(longJa)}}); err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(dir, "in.parquet"), buf.Bytes(), 0o644)
			},
			want: map[string]int64{"invalid UTF-8": 1, "tag longer than 1024 bytes": 1, "translation with NUL byte": 1,
				"NUL byte": 1, "translation longer than 1024 bytes": 1},
			wantTag: "good tag"},
		{kind: "tags_db", entry: "path: in.sqlite",
			setup: func(t *testing.T, dir string) {
				p := filepath.Join(dir, "in.sqlite")
				sampleCopy(t, "tagsdb/tags_v4_sample.sqlite", p)
				sqlitetest.Exec(t, p,
					`UPDATE TAGS SET tag = 'nul'||char(0)||'tag' WHERE tag = 'long hair'`,
					`UPDATE TAGS SET source_tag = CAST(x'62616466ff' AS TEXT) WHERE tag = 'smile'`,
					`UPDATE TAGS SET tag = printf('%.2000c', 'x') WHERE tag = 'vocaloid'`,
					`UPDATE TAG_TRANSLATIONS SET translation = 'a'||char(0) WHERE translation_id = (SELECT min(translation_id) FROM TAG_TRANSLATIONS)`)
			},
			// Every record naming a bad tag is skipped: smile's status row and
			// its translation; long hair's alias (longhair) loses its target.
			want: map[string]int64{"NUL byte": 1, "alias target with NUL byte": 1, "invalid UTF-8": 2,
				"tag longer than 1024 bytes": 1, "translation with NUL byte": 1},
			wantTag: "1girl"},
		{kind: "site_tags", entry: "path: site_tags",
			setup: func(t *testing.T, dir string) {
				p := filepath.Join(dir, "site_tags", "danbooru.donmai.us", "tags.sqlite")
				sampleCopy(t, "site_tags/danbooru.donmai.us/tags.sqlite", p)
				sqlitetest.Exec(t, p,
					`UPDATE tags SET name = 'nul'||char(0) WHERE name = 'solo'`,
					`UPDATE tags SET name = CAST(x'ff' AS TEXT) WHERE name = 'long_hair'`,
					`UPDATE tags SET name = printf('%.3000c', 'y') WHERE name = 'breasts'`)
			},
			unit:    "src/danbooru.donmai.us",
			want:    map[string]int64{"NUL byte": 1, "invalid UTF-8": 1, "tag longer than 1024 bytes": 1},
			wantTag: "1girl"},
	} {
		if c.license == "" {
			c.license = "MIT"
		}
		t.Run(c.kind+"/"+c.license, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "sources.yml"), []byte("sources:\n"+c.pre+"  - id: src\n    kind: "+c.kind+"\n    license: "+c.license+"\n    "+c.entry+"\n"), 0o644)
			c.setup(t, dir)
			out := filepath.Join(t.TempDir(), "out.sqlite")
			res := build(t, dir, "mit", out, nil)
			unit := c.unit
			if unit == "" {
				unit = "src"
			}
			var got map[string]int64
			for _, e := range res.Manifest.Effects {
				if e.Source == unit {
					got = e.Dropped
				}
			}
			for r, n := range c.want {
				if got[r] != n {
					t.Errorf("dropped %q = %d, want %d (all: %v)", r, got[r], n, got)
				}
			}
			db := sqlitetest.OpenRO(t, out)
			checkText(t, db, `SELECT tag FROM TAGS UNION ALL SELECT source_tag FROM TAGS UNION ALL SELECT translation FROM TAG_TRANSLATIONS`)
			if c.wantTag != "" {
				var n int
				db.QueryRow(`SELECT count(*) FROM TAGS WHERE tag = ?`, c.wantTag).Scan(&n)
				if n != 1 {
					t.Errorf("good tag %q missing from TAGS", c.wantTag)
				}
			}
		})
	}
}

// checkText fails on any value of q (one text column) that breaks the text
// rule: the database must hold none.
func checkText(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		if bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b) || len(b) > 1024 {
			t.Errorf("the database holds a value the text rule refuses: %.40q (%d bytes)", b, len(b))
		}
	}
}
