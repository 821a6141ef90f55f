package prefixtop

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
)

// tagRow is one generated tag: its statuses (alias or not, by format) and
// counts (by format).
type tagRow struct {
	id     int64
	tag    string
	alias  map[int]bool
	counts map[int]int64
}

// genTags draws tags from a small alphabet with upper-case letters (NOCASE
// folds them), a two-byte letter and a space, so prefixes nest deeply and
// collide; some tags have no status, some only alias rows, some no count,
// a few huge or negative counts.
func genTags(r *rand.Rand, n int) []tagRow {
	alphabet := []string{"a", "b", "A", "B", "é", " ", "c"}
	seen := map[string]bool{}
	var out []tagRow
	for id := int64(1); len(out) < n; id += 1 + int64(r.IntN(3)) {
		var b strings.Builder
		for range 1 + r.IntN(6) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		tag := b.String()
		if seen[tag] {
			continue
		}
		seen[tag] = true
		t := tagRow{id: id, tag: tag, alias: map[int]bool{}, counts: map[int]int64{}}
		for f := 1; f <= 2; f++ {
			switch r.IntN(4) {
			case 0:
			case 1:
				t.alias[f] = true
			default:
				t.alias[f] = false
			}
			switch r.IntN(12) {
			case 0:
			case 1:
				t.counts[f] = -int64(r.IntN(5))
			case 2:
				t.counts[f] = 1<<33 + int64(r.IntN(3))
			default:
				t.counts[f] = int64(r.IntN(40)) // ties on purpose
			}
		}
		out = append(out, t)
	}
	return out
}

func writeTags(t *testing.T, tags []tagRow) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlitedb.Open(ctx, filepath.Join(t.TempDir(), "t.sqlite"), sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := migrations.Apply(ctx, db, migrations.Options{}); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, tg := range tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (?, ?, ?)`, tg.id, tg.tag, tg.tag); err != nil {
			t.Fatal(err)
		}
		for f, alias := range tg.alias {
			pref := tg.id
			if alias {
				pref = tags[0].id
				if pref == tg.id {
					pref = tags[1].id
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id) VALUES (?, ?, 0, ?, ?)`,
				tg.id, f, alias, pref); err != nil {
				t.Fatal(err)
			}
		}
		for f, c := range tg.counts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) VALUES (?, ?, ?)`, tg.id, f, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return db
}

// bruteForce is the table by definition: for every character prefix of a
// folded tag, every tag starting with it, ranked.
func bruteForce(tags []tagRow, depth int, keep func(string, int) bool) []Row {
	prefixes := map[string]bool{}
	for _, tg := range tags {
		k := Fold(tg.tag)
		for i := range k {
			if i > 0 {
				prefixes[k[:i]] = true
			}
		}
		prefixes[k] = true
	}
	var out []Row
	for p := range prefixes {
		n := 0
		var hits []hit
		for _, tg := range tags {
			if !strings.HasPrefix(Fold(tg.tag), p) {
				continue
			}
			n++
			ok := false
			for _, a := range tg.alias {
				ok = ok || !a
			}
			if !ok {
				continue
			}
			h := hit{id: tg.id}
			first := true
			for _, c := range tg.counts {
				if first || c > h.count {
					h.count = c
				}
				first = false
			}
			hits = append(hits, h)
		}
		if !keep(p, n) {
			continue
		}
		sort.Slice(hits, func(i, j int) bool { return hits[i].before(hits[j]) })
		for i, h := range hits[:min(len(hits), depth)] {
			out = append(out, Row{Prefix: p, Rank: i + 1, TagID: h.id, Count: h.count})
		}
	}
	slices.SortFunc(out, func(a, b Row) int {
		if c := strings.Compare(a.Prefix, b.Prefix); c != 0 {
			return c
		}
		return a.Rank - b.Rank
	})
	return out
}

func TestComputeMatchesDefinition(t *testing.T) {
	ctx := context.Background()
	for _, seed := range []uint64{1, 2, 3} {
		r := rand.New(rand.NewPCG(seed, seed))
		tags := genTags(r, 300)
		db := writeTags(t, tags)
		for _, tc := range []struct {
			name  string
			depth int
			keep  func(string, int) bool
		}{
			{"every prefix, depth 3", 3, func(string, int) bool { return true }},
			{"prefixes of 20+ tags, depth 5", 5, func(_ string, n int) bool { return n >= 20 }},
			{"one prefix, deep", 1000, func(p string, _ int) bool { return p == "a" }},
		} {
			t.Run(fmt.Sprintf("seed%d/%s", seed, tc.name), func(t *testing.T) {
				got, st, err := Compute(ctx, db, tc.depth, tc.keep)
				if err != nil {
					t.Fatal(err)
				}
				want := bruteForce(tags, tc.depth, tc.keep)
				if !slices.Equal(got, want) {
					t.Fatalf("got %d rows, want %d\n got %v\nwant %v", len(got), len(want), head(got), head(want))
				}
				if st.Tags != len(tags) || st.Rows != len(got) {
					t.Errorf("stats %+v for %d tags, %d rows", st, len(tags), len(got))
				}
				for _, row := range got {
					if !utf8.ValidString(row.Prefix) {
						t.Errorf("prefix %q cuts a character", row.Prefix)
					}
				}
			})
		}
	}
}

func head(rs []Row) []Row { return rs[:min(len(rs), 12)] }

func TestFillReplacesRows(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 9))
	tags := genTags(r, 6*MinTags) // each first letter starts more than MinTags
	db := writeTags(t, tags)
	// A stale row from an earlier build must go.
	if _, err := db.ExecContext(ctx, `INSERT INTO TAG_PREFIX_TOP VALUES ('zzz', 1, ?, 5)`, tags[0].id); err != nil {
		t.Fatal(err)
	}
	st, err := Fill(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	// Compute itself is checked against the definition above.
	want, _, err := Compute(ctx, db, Depth, func(_ string, n int) bool { return n >= MinTags })
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 || st.Rows != len(want) {
		t.Fatalf("filled %d rows, want %d (> 0)", st.Rows, len(want))
	}
	var got []Row
	rows, err := db.QueryContext(ctx, `SELECT prefix, rank, tag_id, count FROM TAG_PREFIX_TOP ORDER BY prefix, rank`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var row Row
		if err := rows.Scan(&row.Prefix, &row.Rank, &row.TagID, &row.Count); err != nil {
			t.Fatal(err)
		}
		got = append(got, row)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("table holds %v, want %v", head(got), head(want))
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"": "", "abc": "abc", "XD": "xd", "Émile ABC": "Émile abc", "a_B(C)": "a_b(c)"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
