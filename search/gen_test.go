package search

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// genFormat describes how often a synthetic tag appears on one site and how
// the site numbers its types (general, artist, character, copyright, meta).
type genFormat struct {
	id    int
	share float64 // probability that a tag has a status row here
	scale float64 // count multiplier
	types [5]int  // site type_id per category; -1 = the site has no types
}

// genFormats roughly follows the row counts of the real site_tags snapshot
// (docs/site-tags.md, "Snapshot figures"): danbooru/safebooru/sankaku/rule34
// carry most tags.
func genFormats() []genFormat {
	return []genFormat{
		{1, 0.72, 1.0, [5]int{0, 1, 4, 3, 5}},
		{2, 0.30, 0.5, [5]int{0, 1, 4, 3, 7}},
		{4, 0.70, 0.2, [5]int{0, 1, 4, 3, 5}},
		{5, 0.14, 0.05, [5]int{0, 1, 4, 3, 5}},
		{6, 0.78, 0.8, [5]int{0, 1, 4, 3, 8}},
		{8, 0.62, 0.9, [5]int{0, 1, 4, 3, 5}},
		{14, 0.07, 0.1, [5]int{2, 4, 1, 3, 0}},
		{16, 0.06, 0.05, [5]int{0, 1, 4, 3, 5}},
		{17, 0.20, 0.1, [5]int{-1, -1, -1, -1, -1}},
	}
}

// generateDB writes a synthetic tags_v4 database of n tags to path: tags named
// from a made-up vocabulary, per-site status rows with types, Zipf-like usage
// counts, about 4% alias rows (deprecated, pointing at popular tags) and
// ja/zh/ko/ru/en translations. It loads without indexes and creates the reader
// indexes afterwards, then runs ANALYZE, like a real build.
func generateDB(ctx context.Context, path string, n int, seed uint64) error {
	db, err := createDB(ctx, path, sqlitedb.Bulk)
	if err != nil {
		return err
	}
	defer db.Close()
	// Load without the secondary indexes and create them afterwards, as the
	// builder does: much faster than maintaining them row by row.
	indexes, creates, err := secondaryIndexes(ctx, db)
	if err != nil {
		return err
	}
	for _, n := range indexes {
		if _, err := db.ExecContext(ctx, `DROP INDEX `+sqlitedb.QuoteIdent(n)); err != nil {
			return err
		}
	}
	formats := genFormats()
	// Sites without types use type -1; the builder's repair maps it to unknown.
	for _, f := range formats {
		if f.types[0] == -1 {
			if _, err := db.ExecContext(ctx, `INSERT OR IGNORE INTO TAG_TYPE_FORMAT_MAPPING VALUES (?, -1, 0, 'auto-added')`, f.id); err != nil {
				return err
			}
		}
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	words := genVocabulary(r, 6000)
	names := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for len(names) < n {
		name := genName(r, words)
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Rows travel to SQLite as JSON batches: one statement per few thousand
	// rows instead of one per row keeps generation of a large file quick.
	insTag := newBatch(tx, `INSERT INTO TAGS (tag_id, source_tag, tag) SELECT value->>0, value->>1, value->>2 FROM json_each(?)`)
	insStatus := newBatch(tx, `INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id, deprecated)
		SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5 FROM json_each(?)`)
	insCount := newBatch(tx, `INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) SELECT value->>0, value->>1, value->>2 FROM json_each(?)`)
	insTr := newBatch(tx, `INSERT OR IGNORE INTO TAG_TRANSLATIONS (tag_id, language, translation) SELECT value->>0, value->>1, value->>2 FROM json_each(?)`)
	// Names were drawn in popularity order (rank 0 is the most used). Ids go
	// in tag order, as the builder assigns them to new tags, so id order says
	// nothing about counts but much about names, as in a real file.
	rankOf := make([]int, n) // id-1 -> rank
	for i := range rankOf {
		rankOf[i] = i
	}
	sort.Slice(rankOf, func(i, j int) bool { return names[rankOf[i]] < names[rankOf[j]] })
	ids := make([]int, n) // rank -> id-1
	for id, rank := range rankOf {
		ids[rank] = id
	}
	category := func(rank int) int { return int(uint64(rank)*2654435761%100) % 5 }
	// Rows go in id order: that is how a build writes them, and it keeps the
	// B-tree inserts sequential.
	for idx, rank := range rankOf {
		id, name := int64(idx+1), names[rank]
		source := strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(name, `\(`, "("), `\)`, ")"), " ", "_")
		if err := insTag.add(ctx, id, source, name); err != nil {
			return fmt.Errorf("tag %q: %w", name, err)
		}
		popular := 1.0 + 0.6*math.Max(0, 1-float64(rank)/(0.05*float64(n)))
		// About 4% of the less popular names are aliases of a popular tag.
		alias := rank > n/10 && r.Float64() < 0.045
		var target, targetRank int64
		if alias {
			targetRank = int64(r.IntN(n / 3))
			target = int64(ids[targetRank] + 1)
		}
		cat := category(rank)
		if alias {
			cat = category(int(targetRank))
		}
		base := 4e6 / math.Pow(float64(rank+1), 0.85)
		for _, f := range formats {
			if r.Float64() >= math.Min(0.98, f.share*popular) {
				continue
			}
			typ := f.types[cat]
			if alias {
				if err := insStatus.add(ctx, id, f.id, typ, 1, target, 1); err != nil {
					return fmt.Errorf("alias %q: %w", name, err)
				}
				continue
			}
			deprecated := r.IntN(500) == 0
			if err := insStatus.add(ctx, id, f.id, typ, 0, id, deprecated); err != nil {
				return fmt.Errorf("status %q: %w", name, err)
			}
			if c := int64(base * f.scale * (0.5 + r.Float64())); c > 0 {
				if err := insCount.add(ctx, id, f.id, c); err != nil {
					return err
				}
			}
		}
		if alias {
			continue
		}
		for _, lang := range []struct {
			code  string
			share float64
			gen   func() string
		}{
			{"ja", 0.25, func() string { return genRunes(r, katakana, 2, 6) }},
			{"zh", 0.08, func() string { return genRunes(r, hanzi, 2, 4) }},
			{"ko", 0.02, func() string { return genRunes(r, hangul, 2, 4) }},
			{"ru", 0.02, func() string { return genRunes(r, cyrillic, 4, 10) }},
			{"en", 0.03, func() string { return genName(r, words) }},
		} {
			if r.Float64() >= lang.share {
				continue
			}
			for k := 1 + r.IntN(2); k > 0; k-- {
				if err := insTr.add(ctx, id, lang.code, lang.gen()); err != nil {
					return err
				}
			}
		}
	}
	for _, b := range []*batch{insTag, insStatus, insCount, insTr} {
		if err := b.flush(ctx); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, c := range creates {
		if _, err := db.ExecContext(ctx, c); err != nil {
			return err
		}
	}
	_, err = db.ExecContext(ctx, `ANALYZE`)
	return err
}

// batch collects rows for one INSERT ... SELECT FROM json_each(?) statement.
type batch struct {
	tx   *sql.Tx
	sql  string
	rows [][]any
}

func newBatch(tx *sql.Tx, query string) *batch { return &batch{tx: tx, sql: query} }

func (b *batch) add(ctx context.Context, row ...any) error {
	b.rows = append(b.rows, row)
	if len(b.rows) < 5000 {
		return nil
	}
	return b.flush(ctx)
}

func (b *batch) flush(ctx context.Context) error {
	if len(b.rows) == 0 {
		return nil
	}
	j, err := json.Marshal(b.rows)
	if err != nil {
		return err
	}
	b.rows = b.rows[:0]
	if _, err := b.tx.ExecContext(ctx, b.sql, string(j)); err != nil {
		return fmt.Errorf("%.40s...: %w", b.sql, err)
	}
	return nil
}

const (
	katakana = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワンガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポー"
	hanzi    = "长发短金黑白红蓝绿眼睛女孩男人猫耳尾巴衣服裙子帽子手套鞋袜微笑哭泣天空海山花树星月光影剑枪书"
	hangul   = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초"
	cyrillic = "абвгдежзийклмнопрстуфхцчшщыэюя"
)

func genRunes(r *rand.Rand, alphabet string, min, max int) string {
	rs := []rune(alphabet)
	var b strings.Builder
	for k := min + r.IntN(max-min+1); k > 0; k-- {
		b.WriteRune(rs[r.IntN(len(rs))])
	}
	return b.String()
}

// genVocabulary makes pronounceable lowercase words of two to four syllables.
func genVocabulary(r *rand.Rand, n int) []string {
	const cons, vows = "bcdfghjklmnprstvwyz", "aeiou"
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var b strings.Builder
		for k := 2 + r.IntN(3); k > 0; k-- {
			b.WriteByte(cons[r.IntN(len(cons))])
			b.WriteByte(vows[r.IntN(len(vows))])
			if r.IntN(4) == 0 {
				b.WriteByte(cons[r.IntN(len(cons))])
			}
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// genName draws a normalised tag: one to three words, sometimes with a
// parenthesised qualifier (escaped, as TAGS.tag stores it). Word choice is
// skewed towards the front of the vocabulary, so prefixes are unevenly shared
// the way real tags share "long", "hair", "holding".
func genName(r *rand.Rand, words []string) string {
	pick := func() string {
		x := r.Float64()
		return words[int(x*x*float64(len(words)))]
	}
	parts := []string{pick()}
	for k := r.IntN(3); k > 0; k-- {
		parts = append(parts, pick())
	}
	name := strings.Join(parts, " ")
	if r.IntN(8) == 0 {
		name += ` \(` + pick() + `\)`
	}
	return name
}

// TestWriteSyntheticDB writes the synthetic database of the benchmarks at any
// size, for measuring at other scales:
//
//	TAGDB_GEN_OUT=/tmp/2m.sqlite TAGDB_GEN_N=2000000 TAGDB_GEN_FTS=1 go test -run TestWriteSyntheticDB -timeout 1h ./search
//	TAGDB_BENCH_DB=/tmp/2m.sqlite go test -run '^$' -bench . ./search
//
// TAGDB_GEN_FTS=1 adds the trigram index. It is skipped unless TAGDB_GEN_OUT
// is set.
func TestWriteSyntheticDB(t *testing.T) {
	out := os.Getenv("TAGDB_GEN_OUT")
	if out == "" {
		t.Skip("TAGDB_GEN_OUT is not set")
	}
	n, err := strconv.Atoi(os.Getenv("TAGDB_GEN_N"))
	if err != nil || n < 100 {
		t.Fatalf("TAGDB_GEN_N=%q: want a number of tags, at least 100", os.Getenv("TAGDB_GEN_N"))
	}
	start := time.Now()
	ctx := context.Background()
	if err := generateDB(ctx, out, n, 1); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("TAGDB_GEN_FTS") != "" {
		db, err := sqlitedb.Open(ctx, out, sqlitedb.ReadWrite)
		if err != nil {
			t.Fatal(err)
		}
		err = CreateSubstringIndex(ctx, db)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d tags written to %s in %s", n, out, time.Since(start).Round(time.Second))
}
