package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/tagdb/tagdb-action/internal/prefixtop"
	"github.com/tagdb/tagdb-action/normalize"
)

// Ranked queries (Prefix, Find, Substring) return the top tags by count among
// a candidate set. Two strategies answer them, and each query picks the one
// whose cost it can bound:
//
//   - rankAll ranks every candidate: it reads each candidate's count and
//     sorts. Its cost grows with the number of candidates, so it serves small
//     sets (a prefix of four letters, a rare substring) and is the complete
//     fallback for everything else.
//   - rankStream walks TAG_USAGE_COUNTS in count order through
//     ix_usage_counts_count and keeps the first tags that pass the filter. Its
//     cost grows with how deep the first `limit` hits lie, so it serves large
//     candidate sets (a two-letter prefix, "all of danbooru, e621 and
//     sankaku"), and it gives up after a row budget, leaving the rest to
//     rankAll.
//
// Both order by count (highest first), then tag id.

// findStreamBudget bounds the rows Find's count walk reads before it leaves
// the answer to rankAll.
const findStreamBudget = 1 << 20

// strategy forces one ranking strategy; tests use it to check that both give
// the same answers. The zero value chooses by cost.
type strategy int

const (
	auto strategy = iota
	forceAll
	forceStream
)

// streamCap is the number of candidates from which a count walk beats ranking
// them all. Ranking n candidates costs about n count lookups; a walk for limit
// hits among them reads about limit*countRows/n rows, each tested with one
// lookup: the walk wins above sqrt(limit*countRows) candidates.
func (d *DB) streamCap(limit int) int {
	return max(256, int(math.Sqrt(float64(limit)*float64(max(d.countRows, 1)))))
}

// streamBudget allows a walk four times its expected depth before rankAll
// takes over.
func (d *DB) streamBudget(limit, candidates int) int {
	return max(8192, 4*int(float64(limit)*float64(d.countRows)/float64(max(candidates, 1))))
}

// hit is one ranked tag before its details are loaded.
type hit struct {
	id    int64
	count int64
}

// Prefix returns up to limit tags that start with prefix and pass f, by
// count. The prefix is normalised like a tag ("long_h" → "long h") and
// compared ignoring ASCII case; "%" and "_" have no special meaning.
func (d *DB) Prefix(ctx context.Context, prefix string, limit int, f Filter) ([]Tag, error) {
	lo := normalizePrefix(prefix)
	if lo == "" {
		return nil, fmt.Errorf("prefix %q: empty after normalisation", prefix)
	}
	p, err := d.compile(f)
	if err != nil {
		return nil, fmt.Errorf("prefix %q: %w", prefix, err)
	}
	if p.empty || limit <= 0 {
		return []Tag{}, nil
	}
	if d.usesPrefixTop(p, limit) {
		hits, ok, err := d.prefixTop(ctx, prefixtop.Fold(lo), limit, p.min)
		if err != nil {
			return nil, fmt.Errorf("prefix %q: %w", prefix, err)
		}
		if ok {
			return d.details(ctx, hits)
		}
	}
	// Under NOCASE a string starting with lo sorts at or after lo and before
	// lo+0xFF: no UTF-8 byte is 0xFF, and NOCASE folds ASCII only.
	hi := lo + "\xff"
	rng := []any{lo, hi}
	driver := "SELECT tag_id FROM TAGS WHERE tag >= ? COLLATE NOCASE AND tag < ? COLLATE NOCASE"
	hits, err := d.rankChoose(ctx, p, limit, candidates{
		estimate: driver, estimateArgs: rng,
		driver: driver, driverArgs: rng,
		pred: "EXISTS (SELECT 1 FROM TAGS t WHERE t.tag_id = {id} AND t.tag >= ? COLLATE NOCASE AND t.tag < ? COLLATE NOCASE)", predArgs: rng,
	})
	if err != nil {
		return nil, fmt.Errorf("prefix %q: %w", prefix, err)
	}
	return d.details(ctx, hits)
}

// candidates describes a candidate set twice, once for each strategy: driver
// is a query yielding its tag ids (for rankAll), pred a condition that holds
// for exactly them, with {id} standing for the tag id (for rankStream).
// estimate is a query whose row count approximates the set's size, cheaper
// than driver where it can be. When loose, driver may yield more ids than
// the set holds (an index pre-filter), and rankAll applies pred as well.
type candidates struct {
	estimate, driver, pred             string
	estimateArgs, driverArgs, predArgs []any
	loose                              bool
}

// rankChoose ranks the candidates with the cheaper strategy: it counts them
// (by the estimate) up to streamCap and walks counts only beyond it.
func (d *DB) rankChoose(ctx context.Context, p *plan, limit int, c candidates) ([]hit, error) {
	n, threshold := 0, d.streamCap(limit)
	switch d.strategy {
	case forceStream:
		n = threshold
	case auto:
		args := append(slices.Clip(c.estimateArgs), threshold) // never write into the caller's array
		err := d.query(ctx, "SELECT count(*) FROM (SELECT 1 FROM ("+c.estimate+") LIMIT ?)", args, func(r *sql.Rows) error {
			return r.Scan(&n)
		})
		if err != nil {
			return nil, err
		}
	}
	if n >= threshold {
		budget := d.streamBudget(limit, n)
		if d.strategy == forceStream {
			budget = math.MaxInt
		}
		hits, complete, err := d.rankStream(ctx, p, c.pred, c.predArgs, limit, budget)
		if err != nil || complete {
			return hits, err
		}
	}
	if c.loose {
		return d.rankAll(ctx, p, c.driver, c.driverArgs, c.pred, c.predArgs, limit)
	}
	return d.rankAll(ctx, p, c.driver, c.driverArgs, "", nil, limit)
}

// normalizePrefix normalises a typed prefix like a tag, but keeps a trailing
// separator: "long_" asks for "long " + more, not for "long".
func normalizePrefix(raw string) string {
	s := normalize.Tag(raw)
	if s == "" {
		return ""
	}
	if t := normalize.TrimSpace(raw); strings.HasSuffix(t, "_") || strings.HasSuffix(t, " ") {
		s += " "
	}
	return s
}

// Find returns up to limit tags that pass f, by count: for example the most
// used tags that are canonical on both danbooru and e621
// (Filter{Formats: []string{"danbooru", "e621"}, Mode: AllOf}).
func (d *DB) Find(ctx context.Context, f Filter, limit int) ([]Tag, error) {
	p, err := d.compile(f)
	if err != nil {
		return nil, fmt.Errorf("find: %w", err)
	}
	if p.empty || limit <= 0 {
		return []Tag{}, nil
	}
	var hits []hit
	complete := false
	if d.strategy != forceAll {
		if hits, complete, err = d.rankStream(ctx, p, "", nil, limit, findStreamBudget); err != nil {
			return nil, fmt.Errorf("find: %w", err)
		}
	}
	if !complete {
		driver, args := p.driver()
		if hits, err = d.rankAll(ctx, p, driver, args, "", nil, limit); err != nil {
			return nil, fmt.Errorf("find: %w", err)
		}
	}
	return d.details(ctx, hits)
}

// driver is the smallest candidate set Find can name without a prefix: the
// tags with a translation in the language, or with a status row in the first
// format of an all-of filter, or in one of the formats (and types) of an
// any-of filter, or else every tag.
func (p *plan) driver() (string, []any) {
	switch {
	case p.lang != "":
		return "SELECT DISTINCT tag_id FROM TAG_TRANSLATIONS WHERE language = ?", []any{p.lang}
	case p.all:
		f := p.formats[0]
		return fmt.Sprintf("SELECT tag_id FROM TAG_STATUS s WHERE s.format_id = %d%s", f, p.typeCond(f)), nil
	case p.types != nil || len(p.formats) > 0:
		var alts []string
		for _, f := range p.typeFormats() {
			alts = append(alts, fmt.Sprintf("SELECT tag_id FROM TAG_STATUS s WHERE s.format_id = %d%s", f, p.typeCond(f)))
		}
		return strings.Join(alts, " UNION "), nil
	default:
		return "SELECT tag_id FROM TAGS", nil
	}
}

// rankAll ranks every tag id the driver query yields (a query returning one
// column, tag_id, each id once) and returns the top limit that pass p and check (a condition
// on {id}, or ""). Ranking needs only the count index, so it sorts all
// candidates by count first and checks the conditions on the leading ones
// only, fetching further down when too few pass.
func (d *DB) rankAll(ctx context.Context, p *plan, driver string, driverArgs []any, check string, checkArgs []any, limit int) ([]hit, error) {
	for fetch := 4 * limit; ; fetch *= 8 {
		q, args := p.rankAllSQL(driver, driverArgs, check, checkArgs, fetch)
		var hits []hit
		ranked := 0
		err := d.query(ctx, q, args, func(r *sql.Rows) error {
			var h hit
			var ok bool
			if err := r.Scan(&h.id, &h.count, &ok); err != nil {
				return err
			}
			ranked++
			if ok && len(hits) < limit {
				hits = append(hits, h)
			}
			return nil
		})
		if err != nil || len(hits) == limit || ranked < fetch {
			return hits, err
		}
	}
}

// rankAllSQL is the query of rankAll: the first fetch candidates by count,
// each with whether it passes the filter.
func (p *plan) rankAllSQL(driver string, driverArgs []any, check string, checkArgs []any, fetch int) (string, []any) {
	// Parameters bind in the order their "?" appear in the text: the
	// conditions' (in the outer select list) come first.
	cond, args := p.qualify("x.tag_id")
	if check != "" {
		cond = strings.ReplaceAll(check, "{id}", "x.tag_id") + " AND " + cond
		args = append(slices.Clip(checkArgs), args...)
	}
	q := "SELECT x.tag_id, x.n, " + cond + " FROM (SELECT r.tag_id, coalesce(" + p.countExpr("r.tag_id") + ", 0) AS n FROM (" + driver + ") r"
	args = append(args, driverArgs...)
	if p.min > 0 {
		q += " WHERE n >= ?"
		args = append(args, p.min)
	}
	q += " ORDER BY n DESC, r.tag_id LIMIT ?) x ORDER BY x.n DESC, x.tag_id"
	return q, append(args, fetch)
}

// rankStream walks usage counts from the highest down, in chunks that grow
// fourfold, and keeps the first limit distinct tags that pass p and pred (an
// SQL condition on {id}, or ""). A tag's first row in the walk carries
// its highest count in the filter's formats, which is its ranking count.
//
// complete is false when the walk read budget rows without settling the top
// limit, or when it ran out of counted tags with fewer than limit hits and
// tags without any count could still fill the list: rankAll must then answer.
func (d *DB) rankStream(ctx context.Context, p *plan, pred string, predArgs []any, limit, budget int) (hits []hit, complete bool, err error) {
	q, moreQ, condArgs := p.streamSQL(pred)
	seen := map[int64]bool{}
	chunk := max(2048, 32*limit)
	for off := 0; off < budget; off, chunk = off+chunk, min(chunk*4, 1<<22) {
		done := false
		args := append([]any{p.min, chunk, off}, predArgs...)
		err := d.query(ctx, q, append(args, condArgs...), func(r *sql.Rows) error {
			var h hit
			if err := r.Scan(&h.id, &h.count); err != nil {
				return err
			}
			if seen[h.id] {
				return nil
			}
			// Past the limit only ties with the last hit still matter: they
			// are sorted by id below.
			if len(hits) >= limit && h.count < hits[len(hits)-1].count {
				done = true
				return errStop
			}
			seen[h.id] = true
			hits = append(hits, h)
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			return nil, false, err
		}
		if done {
			return topHits(hits, limit), true, nil
		}
		var more int
		err = d.query(ctx, moreQ, []any{p.min, off + chunk}, func(r *sql.Rows) error { return r.Scan(&more) })
		if err != nil {
			return nil, false, err
		}
		if more == 0 {
			// Every counted tag was seen. Tags without a count rank below
			// them all (count 0) and qualify only when MinCount allows it.
			return topHits(hits, limit), len(hits) >= limit || p.min > 0, nil
		}
	}
	return nil, false, nil
}

// streamSQL returns the queries of rankStream: one chunk of the walk (bound
// values: min count, chunk size, offset, then pred's and the filter's), and
// whether the walk goes on past a position (min count, offset).
func (p *plan) streamSQL(pred string) (chunk, more string, condArgs []any) {
	where := "count >= ?"
	if fs := p.countFormats(); len(fs) > 0 {
		where = "format_id IN (" + intList(fs) + ") AND " + where
	}
	cond, condArgs := p.qualify("c.tag_id")
	if pred != "" {
		cond = strings.ReplaceAll(pred, "{id}", "c.tag_id") + " AND " + cond
	}
	chunk = "SELECT c.tag_id, c.count FROM (SELECT tag_id, count FROM TAG_USAGE_COUNTS WHERE " + where +
		" ORDER BY count DESC LIMIT ? OFFSET ?) c WHERE " + cond
	more = "SELECT count(*) FROM (SELECT 1 FROM TAG_USAGE_COUNTS WHERE " + where + " ORDER BY count DESC LIMIT 1 OFFSET ?)"
	return chunk, more, condArgs
}

// errStop ends a row loop early; it never leaves this package.
var errStop = errors.New("stop")

func topHits(hits []hit, limit int) []hit {
	sort.SliceStable(hits, func(i, j int) bool {
		return hits[i].count > hits[j].count || hits[i].count == hits[j].count && hits[i].id < hits[j].id
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// details loads the ranked tags with their statuses and translations, keeping
// the ranking order and count.
func (d *DB) details(ctx context.Context, hits []hit) ([]Tag, error) {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	byID, err := d.loadTags(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Tag, 0, len(hits))
	for _, h := range hits {
		if t := byID[h.id]; t != nil {
			t.Count = h.count
			out = append(out, *t)
		}
	}
	ptrs := make([]*Tag, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := d.addTranslations(ctx, ptrs); err != nil {
		return nil, err
	}
	return out, nil
}
