package search

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// ids lists the ids of tags, in order.
func ids(tags []Tag) []int64 {
	out := make([]int64, len(tags))
	for i, t := range tags {
		out[i] = t.ID
	}
	return out
}

func statusIn(t *Tag, format string) *Status {
	for i := range t.Formats {
		if t.Formats[i].Format == format {
			return &t.Formats[i]
		}
	}
	return nil
}

func TestLookup(t *testing.T) {
	d := openFixture(t, false)
	ctx := context.Background()
	for _, tc := range []struct {
		in      string
		want    int64 // canonical id; 0: not found
		by      MatchedBy
		input   int64 // the alias matched, if any
		aliasIn []string
	}{
		{"1girl", 1, ByTag, 0, nil},
		{"Long_Hair", 2, ByTag, 0, nil},
		{"  LONG HAIR ", 2, ByTag, 0, nil},
		{"long__hair", 2, ByTag, 0, nil},
		{"longhair", 2, ByTag, 6, []string{"danbooru", "e621"}},
		{"NekoMimi", 4, ByTag, 5, []string{"danbooru"}},
		{"bow_(weapon)", 8, ByTag, 0, nil},
		{`bow \(weapon\)`, 8, ByTag, 0, nil},
		{"Bow_（weapon）", 8, ByTag, 0, nil}, // full-width parentheses
		{"XD", 9, ByTag, 0, nil},
		{"xd", 10, ByTag, 0, nil},
		{"renamed_source", 17, BySourceTag, 0, nil},
		{"RENAMED_SOURCE", 17, BySourceTag, 0, nil},
		{"no such tag", 0, "", 0, nil},
		{"_", 0, "", 0, nil},
		{"", 0, "", 0, nil},
	} {
		t.Run(tc.in, func(t *testing.T) {
			m, err := d.Lookup(ctx, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == 0 {
				if m.Found() {
					t.Fatalf("found %d %q, want nothing", m.Tag.ID, m.Tag.Tag)
				}
				return
			}
			if !m.Found() || m.Tag.ID != tc.want {
				t.Fatalf("got %+v, want tag %d", m.Tag, tc.want)
			}
			if m.By != tc.by {
				t.Errorf("matched by %q, want %q", m.By, tc.by)
			}
			var input int64
			if m.Input != nil {
				input = m.Input.ID
			}
			if input != tc.input || !slices.Equal(m.AliasIn, tc.aliasIn) {
				t.Errorf("input %d alias in %v, want %d %v", input, m.AliasIn, tc.input, tc.aliasIn)
			}
		})
	}
}

func TestLookupDetails(t *testing.T) {
	d := openFixture(t, false)
	ctx := context.Background()

	m, err := d.Lookup(ctx, "longhair")
	if err != nil {
		t.Fatal(err)
	}
	// The canonical's own translations, not the alias's ロングヘアー.
	want := []Translation{{"ja", "ロングヘア"}, {"zh", "长发"}}
	if !reflect.DeepEqual(m.Tag.Translations, want) {
		t.Errorf("translations %v, want %v", m.Tag.Translations, want)
	}
	if m.Tag.Count != 4350000 || m.Tag.Tag != "long hair" || m.Tag.SourceTag != "long_hair" {
		t.Errorf("tag %+v", m.Tag)
	}
	if s := statusIn(m.Input, "e621"); s == nil || !s.Alias || s.PreferredID != 2 || !s.Deprecated {
		t.Errorf("alias row on e621: %+v", s)
	}

	// nekomimi is an alias on danbooru but a tag of its own on e621: the
	// input keeps both rows.
	m, err = d.Lookup(ctx, "nekomimi")
	if err != nil {
		t.Fatal(err)
	}
	if s := statusIn(m.Input, "e621"); s == nil || s.Alias || s.Count != 1200 {
		t.Errorf("nekomimi on e621: %+v", s)
	}

	m, err = d.Lookup(ctx, "hatsune miku")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(m.Tag.Formats)
	wantFormats := fmt.Sprint([]Status{
		{FormatID: 1, Format: "danbooru", HasStatus: true, TypeID: 4, Type: "character", PreferredID: 7, Count: 90000, HasCount: true},
		{FormatID: 2, Format: "e621", HasStatus: true, TypeID: 4, Type: "character", PreferredID: 7, Count: 500, HasCount: true},
		{FormatID: 14, Format: "anime-pictures", HasStatus: true, TypeID: 1, Type: "character", PreferredID: 7, Count: 100, HasCount: true},
	})
	if got != wantFormats {
		t.Errorf("formats\n got %s\nwant %s", got, wantFormats)
	}

	// A usage count in a format without a status row (issue #63's sorceress).
	m, err = d.Lookup(ctx, "sorceress")
	if err != nil {
		t.Fatal(err)
	}
	if s := statusIn(m.Tag, "unknown"); s == nil || s.HasStatus || s.Count != 1096310 || m.Tag.Count != 1096310 {
		t.Errorf("format 0: %+v, count %d", s, m.Tag.Count)
	}

	// Deprecated without being an alias.
	m, err = d.Lookup(ctx, "old tag")
	if err != nil {
		t.Fatal(err)
	}
	if s := statusIn(m.Tag, "danbooru"); m.Input != nil || s == nil || !s.Deprecated || s.Alias {
		t.Errorf("old tag: %+v input %+v", s, m.Input)
	}
}

func TestResolve(t *testing.T) {
	d := openFixture(t, false)
	ctx := context.Background()
	prompt := []string{"1girl", "Long_Hair", "nekomimi", "no such tag", "1girl", "XD", "longhair", "", "renamed_source", "hatsune_miku"}
	got, err := d.Resolve(ctx, prompt)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(prompt) {
		t.Fatalf("%d matches for %d inputs", len(got), len(prompt))
	}
	// Resolve must agree with Lookup input by input, whatever else the
	// prompt holds.
	for i, in := range prompt {
		one, err := d.Lookup(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := jsonText(t, got[i]), jsonText(t, one); a != b {
			t.Errorf("input %d %q:\nResolve %s\n Lookup %s", i, in, a, b)
		}
	}
	// A tag named twice gets two independent results.
	got[0].Tag.Translations[0].Text = "changed"
	if got[4].Tag.Translations[0].Text == "changed" {
		t.Error("two matches share their translations")
	}
	if empty, err := d.Resolve(ctx, nil); err != nil || len(empty) != 0 {
		t.Errorf("Resolve(nil) = %v, %v", empty, err)
	}
}

func TestByTranslation(t *testing.T) {
	d := openFixture(t, false)
	ctx := context.Background()
	for _, tc := range []struct {
		text, lang string
		want       []int64
		input      int64 // the alias the first match came through
	}{
		{"ロングヘア", "ja", []int64{2}, 0},
		{" ロングヘア ", "", []int64{2}, 0},
		{"ロングヘア", "zh", nil, 0},
		{"ロングヘアー", "ja", []int64{2}, 6},    // on the alias longhair: followed
		{"一人の女の子", "ja", []int64{1, 3}, 0}, // two tags, by count
		{"猫耳", "", []int64{4}, 0},          // ja and zh rows of one tag: once
		{"HATSUNE MIKU", "en", []int64{7}, 0},
		{"初音ミク", "JA", []int64{7}, 0},
		{"nothing", "", nil, 0},
	} {
		t.Run(tc.text+"/"+tc.lang, func(t *testing.T) {
			ms, err := d.ByTranslation(ctx, tc.text, tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, m := range ms {
				got = append(got, m.Tag.ID)
				if m.By != ByTranslation {
					t.Errorf("matched by %q", m.By)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			if tc.input != 0 && (ms[0].Input == nil || ms[0].Input.ID != tc.input) {
				t.Errorf("input %+v, want %d", ms[0].Input, tc.input)
			}
			for _, m := range ms {
				if len(m.Tag.Translations) == 0 {
					t.Errorf("%q has no translations loaded", m.Tag.Tag)
				}
			}
		})
	}
}

// strategies runs f once with each ranking strategy forced, so that every
// case checks the count walk and the full ranking against one expectation.
func strategies(t *testing.T, d *DB, f func(t *testing.T)) {
	for _, s := range []struct {
		name string
		s    strategy
	}{{"auto", auto}, {"all", forceAll}, {"stream", forceStream}} {
		t.Run(s.name, func(t *testing.T) {
			d.strategy = s.s
			defer func() { d.strategy = auto }()
			f(t)
		})
	}
}

// prefixCases are the Prefix questions on testdata/fixture.sql and their
// answers (tag ids in order); TestPrefixTable asks them again with
// TAG_PREFIX_TOP filled, empty and absent.
var prefixCases = []struct {
	prefix string
	limit  int
	f      Filter
	want   []int64
}{
	// longhair is only an alias and lonely has no status: neither shows.
	{"long", 10, Filter{}, []int64{2, 12, 13}},
	{"LONG", 10, Filter{}, []int64{2, 12, 13}},
	{"long_", 10, Filter{}, []int64{2, 12}}, // a typed separator stays
	{"long h", 10, Filter{}, []int64{2}},
	{"long", 1, Filter{}, []int64{2}},
	{"lo", 10, Filter{Formats: []string{"danbooru"}}, []int64{2, 12}},
	{"lo", 10, Filter{Formats: []string{"e621"}}, []int64{2, 12, 13}},
	{"long", 10, Filter{MinCount: 1000000}, []int64{2}},
	{"long", 10, Filter{IncludeAliases: true}, []int64{2, 12, 13, 6}},
	{"h", 10, Filter{Types: []string{"character"}}, []int64{7}},
	{"h", 10, Filter{Types: []string{"general"}}, nil},
	{"l", 10, Filter{Language: "ja"}, []int64{2, 12}},
	{"bow_(", 10, Filter{}, []int64{8}},
	{"100%", 10, Filter{}, []int64{15}},
	{"l%", 10, Filter{}, nil}, // % is no wildcard
	{"x", 10, Filter{}, []int64{9, 10}},
	{"zzz", 10, Filter{}, nil},
	{"long", 0, Filter{}, nil},
}

func TestPrefix(t *testing.T) {
	d := openFixture(t, false)
	ctx := context.Background()
	for _, tc := range prefixCases {
		t.Run(fmt.Sprintf("%s/%d/%+v", tc.prefix, tc.limit, tc.f), func(t *testing.T) {
			strategies(t, d, func(t *testing.T) {
				got, err := d.Prefix(ctx, tc.prefix, tc.limit, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ids(got), tc.want) {
					t.Errorf("got %v, want %v", ids(got), tc.want)
				}
			})
		})
	}
	if _, err := d.Prefix(ctx, " _ ", 10, Filter{}); err == nil {
		t.Error("an empty prefix was accepted")
	}
}

func TestFind(t *testing.T) {
	d := openFixture(t, false)
	ctx := context.Background()
	both := []string{"danbooru", "e621"}
	for _, tc := range []struct {
		name  string
		f     Filter
		limit int
		want  []int64
	}{
		// Canonical on both: nekomimi (alias on danbooru) and longhair are out.
		{"all of danbooru e621", Filter{Formats: both, Mode: AllOf}, 100, []int64{1, 3, 2, 12, 4, 7}},
		{"all of, top 2", Filter{Formats: both, Mode: AllOf}, 2, []int64{1, 3}},
		{"all of with aliases", Filter{Formats: both, Mode: AllOf, IncludeAliases: true}, 100, []int64{1, 3, 2, 12, 4, 7, 5, 6}},
		{"all of danbooru gelbooru", Filter{Formats: []string{"danbooru", "gelbooru"}, Mode: AllOf}, 100, []int64{3}},
		// Ranked by the e621 count alone.
		{"any of e621", Filter{Formats: []string{"e621"}}, 100, []int64{3, 2, 4, 1, 12, 13, 5, 7, 10}},
		{"any of e621 gelbooru, min 100000", Filter{Formats: []string{"E621", "gelbooru"}, MinCount: 100000}, 100, []int64{3, 2, 4, 1}},
		// sorceress ranks by its format-0 count.
		{"any format, min 1M", Filter{MinCount: 1000000}, 100, []int64{1, 3, 2, 14}},
		{"character anywhere", Filter{Types: []string{"character"}}, 100, []int64{7}},
		{"character on anime-pictures", Filter{Formats: []string{"anime-pictures"}, Types: []string{"character"}}, 100, []int64{7}},
		{"copyright or meta", Filter{Types: []string{"copyright", "meta"}}, 100, []int64{15, 9}},
		{"species on all of danbooru e621", Filter{Formats: both, Mode: AllOf, Types: []string{"species"}}, 100, nil},
		{"species on any of danbooru e621", Filter{Formats: both, Types: []string{"species"}}, 100, []int64{13}},
		{"a type no format maps to", Filter{Types: []string{"unknown"}}, 100, nil},
		{"ja translation", Filter{Language: "ja"}, 100, []int64{1, 3, 2, 12, 4, 7}},
		// hypnohub has no status rows in the fixture.
		{"any of an empty format", Filter{Formats: []string{"hypnohub"}}, 100, nil},
		{"any of e621 and an empty format", Filter{Formats: []string{"e621", "hypnohub"}}, 3, []int64{3, 2, 4}},
		{"all of danbooru and an empty format", Filter{Formats: []string{"danbooru", "hypnohub"}, Mode: AllOf}, 100, nil},
		{"zh on e621", Filter{Language: "zh", Formats: []string{"e621"}}, 100, []int64{2, 4, 1}},
		// lonely (no status row) and longhair (alias only) are not there.
		{"everything", Filter{}, 100, []int64{1, 3, 2, 14, 12, 4, 7, 8, 13, 15, 9, 5, 10, 11, 17}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			strategies(t, d, func(t *testing.T) {
				got, err := d.Find(ctx, tc.f, tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ids(got), tc.want) {
					t.Errorf("got %v, want %v", ids(got), tc.want)
				}
			})
		})
	}
	for _, tc := range []struct {
		f    Filter
		want string
	}{
		{Filter{Formats: []string{"danbooru", "e612"}}, `unknown format "e612" (known: unknown, danbooru, e621`},
		{Filter{Types: []string{"charcter"}}, `unknown type "charcter" (known: artist, body-type, character`},
	} {
		if _, err := d.Find(ctx, tc.f, 10); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Find(%+v) error %v, want %q", tc.f, err, tc.want)
		}
	}
}

// TestFindCountIsRankingCount checks that Tag.Count is the count the tag was
// ranked by: its highest count in the requested formats.
func TestFindCountIsRankingCount(t *testing.T) {
	d := openFixture(t, false)
	got, err := d.Find(context.Background(), Filter{Formats: []string{"e621"}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != 3 || got[0].Count != 900000 {
		t.Fatalf("got %+v", got)
	}
}

func TestSubstring(t *testing.T) {
	ctx := context.Background()
	plain, fts := openFixture(t, false), openFixture(t, true)
	if plain.HasSubstringIndex() || !fts.HasSubstringIndex() {
		t.Fatal("HasSubstringIndex is wrong")
	}
	for _, tc := range []struct {
		text    string
		want    []int64
		viaFTS  bool // with the index present
		wantErr bool
	}{
		{"hair", []int64{2}, true, false},        // longhair is only an alias
		{"ONG", []int64{2, 12, 13}, true, false}, // long hair, long sleeves, longcat
		{"ロング", []int64{2}, true, false},         // translation side
		{"一人の", []int64{1, 3}, true, false},      // one translation, two tags
		{"(weapon", []int64{8}, true, false},     // normalised: \(weapon
		{"% or", []int64{15}, true, false},       // % is literal
		{"ng_s", []int64{12}, true, false},       // _ normalises to a space
		{"ol", []int64{3, 11}, false, false},     // under three characters: a scan
		{"%", []int64{15}, false, false},         // literal, not "everything"
		{"no such text", nil, true, false},
		{"  ", nil, false, true},
	} {
		t.Run(tc.text, func(t *testing.T) {
			for _, d := range []*DB{plain, fts} {
				strategies(t, d, func(t *testing.T) {
					got, path, err := d.Substring(ctx, tc.text, 10)
					if tc.wantErr {
						if err == nil {
							t.Fatal("no error")
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(ids(got), tc.want) {
						t.Errorf("got %v, want %v", ids(got), tc.want)
					}
					wantPath := PathScan
					if d == fts && tc.viaFTS {
						wantPath = PathFTS
					}
					if path != wantPath {
						t.Errorf("path %s, want %s", path, wantPath)
					}
				})
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Open(ctx, t.TempDir()+"/missing.sqlite"); err == nil || !strings.Contains(err.Error(), "missing.sqlite") {
		t.Errorf("missing file: %v", err)
	}
	d := openFixture(t, false)
	if _, err := d.db.ExecContext(ctx, `DELETE FROM TAGS`); err == nil {
		t.Error("the connection accepted a write")
	}
	if got := d.Formats(); len(got) != 19 || got[1] != "danbooru" {
		t.Errorf("Formats() = %v", got)
	}

	// A file without the reader indexes (an older schema) is refused by name.
	path := fixtureDB(t, false)
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.ExecContext(ctx, `DROP INDEX ix_usage_counts_count`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "missing reader indexes ix_usage_counts_count") || !strings.Contains(err.Error(), "tagdb migrate") {
		t.Errorf("Open without an index: %v", err)
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
