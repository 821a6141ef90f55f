package synthetic

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

// TestShapes checks, at scale 0.01 (about 100k rows: enough for proportions),
// that the data has the shapes of docs/site-tags.md ("Snapshot figures") that
// the builder must handle, not just the right columns.
func TestShapes(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(context.Background(), Options{Out: dir, Scale: 0.01, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	site := func(domain string) string { return filepath.Join(dir, SiteTagsDir, domain, "tags.sqlite") }

	t.Run("negative counts at the documented minima", func(t *testing.T) {
		for domain, col := range map[string]string{"chan.sankakucomplex.com": "post_count", "konachan.com": "count",
			"konachan.net": "count", "lolibooru.moe": "post_count", "yande.re": "count"} {
			db := sqlitetest.OpenRO(t, site(domain))
			var min int64
			if err := db.QueryRow(`SELECT min(` + col + `) FROM tags`).Scan(&min); err != nil {
				t.Fatal(err)
			}
			want := map[string]int64{"chan.sankakucomplex.com": -40, "lolibooru.moe": -11}[domain]
			if want == 0 {
				want = -10
			}
			if min != want {
				t.Errorf("%s: min(%s) = %d, want %d", domain, col, min, want)
			}
		}
		if n := sqlitetest.QueryInt(t, sqlitetest.OpenRO(t, site("danbooru.donmai.us")), `SELECT count(*) FROM tags WHERE post_count < 0`); n != 0 {
			t.Errorf("danbooru has %d negative counts; the real one has none", n)
		}
	})

	t.Run("long-tailed counts", func(t *testing.T) {
		db := sqlitetest.OpenRO(t, site("danbooru.donmai.us"))
		if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tags WHERE post_count >= 1000000`); n < 1 {
			t.Error("no tag with a count in the millions")
		}
		all := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tags`)
		if small := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tags WHERE post_count < 100`); small*2 < all {
			t.Errorf("only %d of %d counts below 100: the tail is not long", small, all)
		}
	})

	t.Run("konachan.com and .net are identical", func(t *testing.T) {
		a, _ := os.ReadFile(site("konachan.com"))
		b, _ := os.ReadFile(site("konachan.net"))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Error("konachan.net differs from konachan.com")
		}
	})

	t.Run("danbooru and safebooru are near-duplicates", func(t *testing.T) {
		d, s := sqlitetest.OpenRO(t, site("danbooru.donmai.us")), sqlitetest.OpenRO(t, site("safebooru.donmai.us"))
		dn := sqlitetest.QueryInt(t, d, `SELECT count(*) FROM tags`)
		sn := sqlitetest.QueryInt(t, s, `SELECT count(*) FROM tags`)
		if sn < dn || sn > dn+2 {
			t.Errorf("safebooru has %d rows, danbooru %d", sn, dn)
		}
		dn2, sn2 := names(t, d, `SELECT name FROM tags`), names(t, s, `SELECT name FROM tags`)
		same := 0
		for n := range dn2 {
			if sn2[n] {
				same++
			}
		}
		if int64(same) != dn {
			t.Errorf("%d of danbooru's %d names are on safebooru", same, dn)
		}
		// Counts drift on about 1% of rows (snapshots of different days).
		dc := names(t, d, `SELECT name || '=' || post_count FROM tags`)
		drift := 0
		for n := range names(t, s, `SELECT name || '=' || post_count FROM tags`) {
			if !dc[n] {
				drift++
			}
		}
		if f := float64(drift) / float64(dn); f < 0.002 || f > 0.03 {
			t.Errorf("%d of %d safebooru counts differ from danbooru's", drift, dn)
		}
		da := names(t, d, `SELECT alias || '>' || tag FROM tag_aliases`)
		sa := names(t, s, `SELECT alias || '>' || tag FROM tag_aliases`)
		if len(da) != len(sa) {
			t.Errorf("alias lists differ: %d vs %d", len(da), len(sa))
		}
	})

	t.Run("shared vocabulary", func(t *testing.T) {
		dan := names(t, sqlitetest.OpenRO(t, site("danbooru.donmai.us")), `SELECT name FROM tags`)
		for domain, min := range map[string]float64{"gelbooru.com": 0.5, "rule34.xxx": 0.3, "booru.allthefallen.moe": 0.5} {
			other := names(t, sqlitetest.OpenRO(t, site(domain)), `SELECT name FROM tags`)
			in := 0
			for n := range other {
				if dan[n] {
					in++
				}
			}
			if f := float64(in) / float64(len(other)); f < min {
				t.Errorf("%s: %.2f of its tags are danbooru tags, want ≥ %.2f", domain, f, min)
			}
		}
		// Sites that spell tags differently still meet after normalisation.
		zero := names(t, sqlitetest.OpenRO(t, site("zerochan.net")), `SELECT lower(replace(tag, ' ', '_')) FROM tags`)
		in := 0
		for n := range zero {
			if dan[n] {
				in++
			}
		}
		if in < len(zero)/5 {
			t.Errorf("only %d of %d zerochan tags are danbooru tags once normalised", in, len(zero))
		}
	})

	t.Run("orphan aliases in the documented proportions", func(t *testing.T) {
		for _, tc := range []struct {
			domain                      string
			missingAlias, missingTarget float64
		}{
			{"e621.net", 63157.0 / 70547, 12369.0 / 70547},
			{"gelbooru.com", 18672.0 / 19090, 12014.0 / 19090},
			{"zerochan.net", 506744.0 / 507454, 4774.0 / 507454},
			{"rule34.xxx", 1767.0 / 8836, 1145.0 / 8836},
		} {
			db := sqlitetest.OpenRO(t, site(tc.domain))
			col := "name"
			if tc.domain == "zerochan.net" {
				col = "tag"
			}
			all := float64(sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tag_aliases`))
			ma := float64(sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tag_aliases WHERE alias NOT IN (SELECT `+col+` FROM tags)`)) / all
			mt := float64(sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tag_aliases WHERE tag NOT IN (SELECT `+col+` FROM tags)`)) / all
			if d := ma - tc.missingAlias; d > 0.08 || d < -0.08 {
				t.Errorf("%s: %.3f of aliases missing from tags, want %.3f", tc.domain, ma, tc.missingAlias)
			}
			if d := mt - tc.missingTarget; d > 0.08 || d < -0.08 {
				t.Errorf("%s: %.3f of targets missing from tags, want %.3f", tc.domain, mt, tc.missingTarget)
			}
		}
	})

	t.Run("alias sinks and conflicts", func(t *testing.T) {
		for domain, sink := range map[string]string{"e621.net": "invalid_tag", "gelbooru.com": "bad_tag"} {
			db := sqlitetest.OpenRO(t, site(domain))
			if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tags WHERE name = ?`, sink); n != 1 {
				t.Errorf("%s: %d %s rows", domain, n, sink)
			}
			if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tag_aliases WHERE tag = ?`, sink); n == 0 {
				t.Errorf("%s: no alias points at %s", domain, sink)
			}
		}
		var conflicts int64
		for _, domain := range []string{"danbooru.donmai.us", "e621.net", "zerochan.net"} {
			conflicts += sqlitetest.QueryInt(t, sqlitetest.OpenRO(t, site(domain)), `SELECT count(*) FROM (SELECT alias FROM tag_aliases GROUP BY alias HAVING count(DISTINCT tag) > 1)`)
		}
		if conflicts == 0 {
			t.Error("no alias with two targets: the builder's first-win path is not exercised")
		}
		ap := sqlitetest.OpenRO(t, site("anime-pictures.net"))
		n := sqlitetest.QueryInt(t, ap, `SELECT count(*) FROM tags WHERE alias != 0`)
		if want := int64(41); n < want/2 || n > want*2 {
			t.Errorf("anime-pictures: %d rows with an alias id, want about %d", n, want)
		}
		if bad := sqlitetest.QueryInt(t, ap, `SELECT count(*) FROM tags a WHERE a.alias != 0 AND NOT EXISTS (SELECT 1 FROM tags b WHERE b.id = a.alias AND b.alias = 0)`); bad != 0 {
			t.Errorf("anime-pictures: %d alias ids that are not a canonical row", bad)
		}
	})

	t.Run("deprecated and type strings", func(t *testing.T) {
		if n := sqlitetest.QueryInt(t, sqlitetest.OpenRO(t, site("danbooru.donmai.us")), `SELECT count(*) FROM tags WHERE is_deprecated = 1`); n == 0 {
			t.Error("danbooru: no is_deprecated rows")
		}
		gel := names(t, sqlitetest.OpenRO(t, site("gelbooru.com")), `SELECT DISTINCT type FROM tags`)
		for _, want := range []string{"general", "artist", "copyright", "character", "deprecated"} {
			if !gel[want] {
				t.Errorf("gelbooru: no type %q (have %v)", want, gel)
			}
		}
		zt := names(t, sqlitetest.OpenRO(t, site("zerochan.net")), `SELECT DISTINCT type FROM tags`)
		for _, want := range []string{"mangaka", "character", "theme", "series"} {
			if !zt[want] {
				t.Errorf("zerochan: no type %q", want)
			}
		}
		e := names(t, sqlitetest.OpenRO(t, site("e621.net")), `SELECT DISTINCT category FROM tags`)
		if len(e) < 6 {
			t.Errorf("e621: only categories %v", e)
		}
	})

	t.Run("translations", func(t *testing.T) {
		sk := sqlitetest.OpenRO(t, site("chan.sankakucomplex.com"))
		for _, col := range []string{"trans_ja", "trans_zh-CN", "trans_en", "trans_ko"} {
			if n := sqlitetest.QueryInt(t, sk, `SELECT count(*) FROM tags WHERE "`+col+`" IS NOT NULL`); n == 0 {
				t.Errorf("sankaku: %s is never filled", col)
			}
		}
		if n := sqlitetest.QueryInt(t, sk, `SELECT count(*) FROM tags WHERE trans_ja LIKE '%、%' OR trans_ja LIKE '%,%' OR trans_ja LIKE '%､%'`); n == 0 {
			t.Error("sankaku: no comma-joined trans_ja to split")
		}
		if n := sqlitetest.QueryInt(t, sqlitetest.OpenRO(t, site("en.pixiv.net")), `SELECT count(*) FROM tags WHERE trans_ja IS NOT NULL`); n == 0 {
			t.Error("en.pixiv.net: trans_ja is never filled")
		}
		if n := sqlitetest.QueryInt(t, sqlitetest.OpenRO(t, site("anime-pictures.net")), `SELECT count(*) FROM tags WHERE tag_jp IS NOT NULL AND tag_ru IS NOT NULL`); n == 0 {
			t.Error("anime-pictures: tag_jp / tag_ru never filled")
		}
	})

	t.Run("tag text", func(t *testing.T) {
		all := map[string]bool{}
		for _, domain := range []string{"danbooru.donmai.us", "e621.net", "rule34.xxx", "pixiv.net", "zerochan.net"} {
			col := "name"
			if domain == "zerochan.net" {
				col = "tag"
			}
			for n := range names(t, sqlitetest.OpenRO(t, site(domain)), `SELECT `+col+` FROM tags`) {
				all[n] = true
			}
		}
		has := map[string]func(string) bool{
			"underscores": func(s string) bool { return strings.Count(s, "_") >= 1 },
			"qualifiers":  func(s string) bool { return strings.HasSuffix(s, ")") && strings.Contains(s, "_(") },
			"Japanese": func(s string) bool {
				return strings.ContainsFunc(s, func(r rune) bool { return unicode.In(r, unicode.Hiragana, unicode.Katakana) })
			},
			"Cyrillic": func(s string) bool {
				return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) })
			},
			"kaomoji":             func(s string) bool { return s == "^_^" || s == "(o_o)" || s == ":d" || s == ">_<" },
			"category prefixes":   func(s string) bool { return strings.HasPrefix(s, "artist:") || strings.HasPrefix(s, "copyright:") },
			"mixed case":          func(s string) bool { return s != strings.ToLower(s) && !strings.Contains(s, " ") },
			"zerochan Title Case": func(s string) bool { return strings.Contains(s, " ") && s != strings.ToLower(s) },
		}
		for what, f := range has {
			found := false
			for n := range all {
				if f(n) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("no tag with %s", what)
			}
		}
	})
}

// names runs a one-column query and returns its values as a set.
func names(t *testing.T, db *sql.DB, q string) map[string]bool {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out[v.String] = true
	}
	return out
}
