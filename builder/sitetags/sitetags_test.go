package sitetags

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

// TestSchemaFamilies reads one fixture per real schema of
// docs/site-tags.md, "Schema detection" (plus its "Behaviour fixtures") and
// checks every emitted row, every event and the layout rule.
func TestSchemaFamilies(t *testing.T) {
	cases := []struct {
		fixture, domain string
		overrides       Overrides
		rule            int
		rows, events    []string
	}{
		{
			fixture: "danbooru", domain: "danbooru.donmai.us", rule: 2,
			rows: []string{
				`tags rowid 1 "1girl" f1 t0 c6543210 created="2013-02-27 15:57:15.063000-05:00" updated="2024-04-11 03:12:00.500000-04:00"`,
				`tags rowid 2 "long_hair" f1 t0 c4321098 aliases=["longhair"] created="2013-02-28 00:00:00+00:00" updated="2024-04-11 10:00:00.123456+09:00"`,
				`tags rowid 3 "hatsune_miku" f1 t4 c123456 aliases=["hatsune_miku_(vocaloid)" "miku"] created="2008-01-01 00:00:00"`,
				`tags rowid 4 "tagme" f1 t5 dep`,
				`tags rowid 5 "Spiked_Collar" f1 t0 c2500 created="2023-11-14 22:13:20+00:00"`,
				`tags rowid 7 "long_hair_ribbon" f1 t0`,
				`tags rowid 8 "very_long_hair" f1 t0`,
				`tags rowid 9 "cat_ears" f1 c250000`,
				// docs/python-differences.md, W9 a: animal_ears has no tags row, its alias kemonomimi is kept.
				`tag_aliases rowid 1 "animal_ears" f1 aliases=["kemonomimi"]`,
			},
			events: []string{
				`skip tags rowid 6: empty tag`,
				`skip tags rowid 7: count is not a number: "many"`,
				`skip tags rowid 8: count is out of range: "1e+20"`,
				`skip tags rowid 11: empty tag`,
			},
		},
		{
			fixture: "spec_cat_girl", domain: "booru.allthefallen.moe", rule: 2,
			rows: []string{`tags rowid 1 "cat_girl" f5 t0 c10 aliases=["neko_girl"] created="2020-01-01 00:00:00" updated="2024-01-01 00:00:00"`},
		},
		{
			fixture: "e621", domain: "e621.net", rule: 3,
			rows: []string{
				`tags rowid 1 "absurd_res" f2 t7 c123 created="2020-03-05 03:20:30.416000-05:00" updated="2024-01-02 09:00:00-05:00"`,
				`tags rowid 2 "canine" f2 t5 c987654 aliases=["dog"]`,
				`tags rowid 3 "invalid_tag" f2 t6 c0`,
				`tags rowid 4 "no_humans" f2 t0 c4000`,
				// A sink alias with its own tags row keeps its data and is deprecated.
				`tags rowid 5 "dog_ears" f2 t0 c52 dep`,
				`tag_aliases rowid 4 "(" f2 t6 dep`,
				`tag_aliases rowid 1 ")" f2 t6 dep`,
			},
		},
		{
			fixture: "sankaku", domain: "chan.sankakucomplex.com", rule: 1,
			rows: []string{
				`tags rowid 1 "female" f6 t0 c5000000 en="female" ja="女性" ru="женщина" pt="feminino" zh-cn="女性" fr="femme" it="femmina" ko="여성" vi="nữ" zh-hk="女性" de="weiblich" es="femenino" th="ผู้หญิง"`,
				`tags rowid 2 "long_hair" f6 t0 c3000000 en="long hair" ja="ロングヘア"`,
				`tags rowid 3 "deleted_tag" f6 t5`,
				`tags rowid 4 "hatsune_miku" f6 t4 c150000 en="Hatsune Miku" ja="初音ミク, 初音未來" zh-cn="初音未来" ko="하츠네 미쿠" zh-hk="初音未來"`,
			},
		},
		{
			fixture: "anime_pictures", domain: "anime-pictures.net", rule: 4,
			rows: []string{
				`tags rowid 1 "witch" f14 t0 c10 aliases=["sorceress"] ru="ведьма" ja="魔女､まじょ"`,
				`tags rowid 3 "long hair" f14 t2 c250000 aliases=["longhair"] ru="длинные волосы" ja="長髪"`,
				// docs/python-differences.md, W9 b: the alias row's own translation survives on a translation-only row.
				`tags rowid 4 "longhair" nofmt ja="ロングヘアー"`,
				`tags rowid 5 "ghost tag" f14 t2 c1`,
				`tags rowid 6 "hatsune miku" f14 t4 c30000 ru="хацунэ мику" ja="初音ミク"`,
			},
			events: []string{`skip tags rowid 5: alias id 99 has no tags row`},
		},
		{
			fixture: "en_pixiv", domain: "en.pixiv.net", rule: 5,
			rows: []string{
				`tags rowid 1 "Hatsune Miku" f18 c250000 updated="2024-03-01 12:34:56.789000" ja="初音ミク"`,
				`tags rowid 2 "original" f18 c9000000 updated="2023-12-31 23:59:59" ja="オリジナル"`,
				`tags rowid 3 "cat ears" f18 c180000`,
			},
		},
		{
			fixture: "pixiv", domain: "pixiv.net", rule: 5,
			rows: []string{
				`tags rowid 1 "初音ミク" f18 c700000 updated="2024-03-01 12:34:56"`,
				`tags rowid 2 "オリジナル" f18 c12000000 updated="2024-03-02 00:00:00"`,
			},
		},
		{
			fixture: "wallhaven", domain: "wallhaven.cc", rule: 6,
			rows: []string{
				`tags rowid 1 "anime girls" f15 c150000`,
				`tags rowid 2 "landscape" f15 c60000`,
			},
		},
		{
			fixture: "zerochan", domain: "zerochan.net", rule: 7,
			rows: []string{
				`tags rowid 1 "Hatsune Miku" f17 c40000 aliases=["Hatsune Miku (Append)" "Miku" "Miku Hatsune"]`,
				`tags rowid 2 "Long Hair" f17 c900000`,
			},
		},
		{
			fixture: "zerochan_abigail", domain: "zerochan.net", rule: 7,
			rows: []string{
				`tags rowid 1 "Abigail" f17 c12 aliases=["abigail"]`,
				`tags rowid 2 "Abigail_(Gate)" f17 c30`,
			},
			events: []string{`conflict zerochan.net "abigail": selected "Abigail", rejected "Abigail_(Gate)" (first-win)`},
		},
		{
			fixture: "zerochan_abigail", domain: "zerochan.net", rule: 7,
			overrides: Overrides{"zerochan.net": {"abigail": "Abigail_(Gate)"}, "e621.net": {"abigail": "Abigail"}},
			rows: []string{
				`tags rowid 1 "Abigail" f17 c12`,
				`tags rowid 2 "Abigail_(Gate)" f17 c30 aliases=["abigail"]`,
			},
			events: []string{`conflict zerochan.net "abigail": selected "Abigail_(Gate)", rejected "Abigail" (override)`},
		},
		{
			fixture: "gelbooru", domain: "gelbooru.com", rule: 8,
			rows: []string{
				`tags rowid 1 "1girl" f7 t0 c7000000`,
				`tags rowid 2 "ke-ta" f7 t1 c3000`,
				`tags rowid 3 "touhou" f7 t3 c900000`,
				`tags rowid 4 "hakurei_reimu" f7 t4 c100000 aliases=["reimu"]`,
				`tags rowid 5 "highres" f7 t5 c5000000`,
				`tags rowid 6 "tagme" f7 t6 c40000 dep`,
				`tags rowid 7 "odd" f7 c1`,
				`tags rowid 9 "fixme" f7 t0 c3 dep`,
				`tag_aliases rowid 3 "absurdres" f7 dep`,
			},
		},
		{
			fixture: "moebooru", domain: "yande.re", rule: 9,
			rows: []string{
				`tags rowid 1 "long_hair" f16 t0 c120000`,
				`tags rowid 2 "kantai_collection" f16 t3 c15000 aliases=["kancolle"]`,
				`tags rowid 3 "ke-ta" f16 t1 c80`,
				`tags rowid 4 "wallpaper" f16 t6`,
			},
		},
		{
			fixture: "moebooru", domain: "konachan.net", rule: 9,
			rows: []string{
				`tags rowid 1 "long_hair" f12 t0 c120000`,
				`tags rowid 2 "kantai_collection" f12 t3 c15000 aliases=["kancolle"]`,
				`tags rowid 3 "ke-ta" f12 t1 c80`,
				`tags rowid 4 "wallpaper" f12 t6`,
			},
		},
		{
			fixture: "rule34", domain: "rule34.xxx", rule: 9,
			rows: []string{
				`tags rowid 1 "1girl" f8 t0 c3000000 aliases=["girl"]`,
				`tags rowid 2 "hatsune_miku" f8 t4 c20000`,
			},
		},
		{
			fixture: "moebooru_untyped", domain: "hypnohub.net", rule: 10,
			rows: []string{
				`tags rowid 1 "vocaloid" f10 t3 c42`,
				`tags rowid 2 "kagamine_rin" f10 t4 c7`,
			},
		},
		{
			fixture: "lolibooru", domain: "lolibooru.moe", rule: 11,
			rows: []string{
				`tags rowid 1 "twintails" f13 t0 c9000 aliases=["twin_tails"]`,
				`tags rowid 2 "circle_name" f13 t5 c12`,
				`tags rowid 3 "removed" f13 t0`,
			},
		},
		{
			fixture: "chains", domain: "safebooru.donmai.us", rule: 2,
			rows: []string{
				`tags rowid 1 "d_name" f4 t0 c40 aliases=["b_name" "c_name"]`,
				`tags rowid 4 "x" f4 t0 c10 aliases=["w" "y"]`,
				`tag_aliases rowid 9 "missing_canonical" f4 aliases=["lonely_alias" "other_alias"]`,
			},
			events: []string{
				`skip tag_aliases rowid 6: alias of itself: "same"`,
				`skip tag_aliases rowid 7: empty alias`,
				`skip tag_aliases rowid 8: alias "nowhere" has an empty target`,
				`skip tag_aliases rowid 4: alias cycle: x -> y -> x`,
			},
		},
	}
	for _, c := range cases {
		name := c.fixture + "/" + c.domain
		if c.overrides != nil {
			name += "/override"
		}
		t.Run(name, func(t *testing.T) {
			site := fixtureSite(t, c.fixture, c.domain)
			// Batch sizes 1 and 2 cross every boundary: tags rows, the
			// synthetic tail and the reuse of the batch buffers.
			var first result
			for _, batch := range []int{0, 1, 2} {
				res, err := readSite(t, site, c.overrides, batch)
				if err != nil {
					t.Fatal(err)
				}
				if batch == 0 {
					first = res
					continue
				}
				recordtest.DiffLines(t, fmt.Sprintf("rows with batch size %d", batch), res.rows, first.rows)
			}
			if first.rule != c.rule {
				t.Errorf("detected rule %d, want %d", first.rule, c.rule)
			}
			recordtest.DiffLines(t, "rows", first.rows, c.rows)
			recordtest.DiffLines(t, "events", first.events, c.events)
			if got := first.stats.RowsEmitted; got != int64(len(c.rows)) {
				t.Errorf("Stats.RowsEmitted = %d, want %d", got, len(c.rows))
			}
		})
	}
}

func TestStats(t *testing.T) {
	cases := []struct {
		fixture, domain string
		want            Stats
	}{
		{"danbooru", "danbooru.donmai.us", Stats{RowsRead: 12, RowsEmitted: 9, Skipped: 4, Aliases: 4, AliasRows: 2, OrphanCanonicals: 1, NegativeCounts: 1}},
		{"e621", "e621.net", Stats{RowsRead: 5, RowsEmitted: 7, Aliases: 1, Sinks: 3}},
		{"anime_pictures", "anime-pictures.net", Stats{RowsRead: 6, RowsEmitted: 5, Skipped: 1, Aliases: 2, AliasRows: 2, AliasTranslationRows: 1}},
		{"zerochan_abigail", "zerochan.net", Stats{RowsRead: 2, RowsEmitted: 2, Aliases: 1, Conflicts: 1}},
		{"chains", "safebooru.donmai.us", Stats{RowsRead: 5, RowsEmitted: 3, Skipped: 4, Aliases: 6, AliasRows: 3, OrphanCanonicals: 1}},
		{"sankaku", "chan.sankakucomplex.com", Stats{RowsRead: 4, RowsEmitted: 4, NegativeCounts: 1}},
	}
	for _, c := range cases {
		res, err := readSite(t, fixtureSite(t, c.fixture, c.domain), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if res.stats != c.want {
			t.Errorf("%s: Stats = %+v\nwant %+v", c.fixture, res.stats, c.want)
		}
	}
}

// TestSankakuLateLanguage: docs/site-tags.md, "Behaviour fixtures" (late
// language), a language column that is NULL in the first 150 rows and filled in
// row 151 is still read.
func TestSankakuLateLanguage(t *testing.T) {
	res, err := readSite(t, fixtureSite(t, "sankaku_row151", "chan.sankakucomplex.com"), nil, 64)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.rows) != 151 {
		t.Fatalf("got %d rows, want 151", len(res.rows))
	}
	for i, r := range res.rows[:150] {
		if want := fmt.Sprintf(`tags rowid %d "tag_%d" f6 t0 c%d`, i+1, i+1, i+1); r != want {
			t.Fatalf("row %d = %s, want %s", i+1, r, want)
		}
	}
	if want := `tags rowid 151 "rape" f6 t0 c99 zh-cn="強姦"`; res.rows[150] != want {
		t.Errorf("row 151 = %s, want %s", res.rows[150], want)
	}
}

// TestAliasResolution covers the cases of docs/site-tags.md, "Aliases", on the
// index directly.
func TestAliasResolution(t *testing.T) {
	type pair struct{ alias, canonical string }
	cases := []struct {
		name      string
		pairs     []pair
		overrides map[string]string
		sinkOn    bool
		want      []string // canonical: aliases, sinks as "sink: a"
		events    []string
	}{
		{
			name:      "one candidate, different override",
			pairs:     []pair{{"a", "b"}},
			overrides: map[string]string{"a": "c"},
			want:      []string{"c: [a]"},
			events:    []string{`conflict d "a": selected "c", rejected "b" (override)`},
		},
		{
			name:      "override equal to the only candidate",
			pairs:     []pair{{"a", "b"}},
			overrides: map[string]string{"a": "b"},
			want:      []string{"b: [a]"},
		},
		{
			name:      "override naming the alias keeps it canonical",
			pairs:     []pair{{"a", "b"}, {"c", "a"}},
			overrides: map[string]string{"a": "a"},
			want:      []string{"a: [c]"},
			events:    []string{`conflict d "a": selected "a", rejected "b" (override)`},
		},
		{
			name:      "blank override is no override",
			pairs:     []pair{{"a", "b"}, {"a", "c"}},
			overrides: map[string]string{"a": "  "},
			want:      []string{"b: [a]"},
			events:    []string{`conflict d "a": selected "b", rejected "c" (first-win)`},
		},
		{
			name:   "duplicate pairs are one candidate",
			pairs:  []pair{{"a", "b"}, {"a", "b"}, {"a", "c"}, {"a", "b"}},
			want:   []string{"b: [a]"},
			events: []string{`conflict d "a": selected "b", rejected "c" (first-win)`},
		},
		{
			name:   "three-cycle broken at the smallest member, wherever the walk enters",
			pairs:  []pair{{"q", "p"}, {"p", "r"}, {"r", "m"}, {"m", "p"}},
			want:   []string{"m: [p q r]"},
			events: []string{`skip pos 2: alias cycle: m -> p -> r -> m`},
		},
		{
			name:   "sink through a chain",
			pairs:  []pair{{"a", "b"}, {"b", "invalid_tag"}, {"c", "bad_tag"}},
			sinkOn: true,
			want:   []string{"sink: a", "sink: b", "sink: c"},
		},
		{
			name:  "sink names are ordinary without sink handling",
			pairs: []pair{{"a", "invalid_tag"}},
			want:  []string{"invalid_tag: [a]"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &recordtest.Events{}
			x := newAliasIndex("pos ", c.sinkOn)
			for i, p := range c.pairs {
				x.add(int64(i+1), p.alias, p.canonical)
			}
			x.resolve("d", c.overrides, func(pos, reason string) { rec.Skipped(record.Skip{Pos: pos, Reason: reason}) },
				rec.Conflict)
			var got []string
			for id := 0; id < x.names.len(); id++ {
				if as := x.aliasesOf(uint32(id)); len(as) > 0 {
					var names []string
					for _, a := range as {
						names = append(names, x.names.name(a))
					}
					got = append(got, x.names.name(uint32(id))+": ["+strings.Join(names, " ")+"]")
				}
			}
			for _, s := range x.sinks {
				got = append(got, "sink: "+x.names.name(s.id))
			}
			recordtest.DiffLines(t, "resolution", got, c.want)
			recordtest.DiffLines(t, "events", rec.Lines, c.events)
		})
	}
}
