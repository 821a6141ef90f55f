package validate

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/tagdb/tagdb-action/internal/prefixtop"
)

// prefixTopRecomputeTags is the TAGS size up to which even a quick validation
// recomputes TAG_PREFIX_TOP; above it only the full one does (at scale 1.0,
// 5M tags, the recomputation reads three tables: seconds).
const prefixTopRecomputeTags = 1 << 19

// prefixTopCheck checks TAG_PREFIX_TOP (docs/reader-contract.md): row by row,
// that each prefix's ranks run 1, 2, 3, … in ranking order, that its tags
// start with it and qualify, and that each count is the tag's ranking count;
// when recompute is set, also that every prefix holds exactly its top tags,
// which only a recomputation from TAGS can tell (a tag missing from a list).
type prefixTopCheck struct {
	v         *validator
	recompute bool
	bad       map[string]int // problem kind -> rows
	kinds     []string       // in the order first seen
	ex        map[string][]string
	diff      []string // prefixes whose rows differ from the recomputation, examples
	ndiff     int
	broken    string // why the table could not be checked
}

func (v *validator) prefixTopTask() (*prefixTopCheck, *task) {
	// Without its table (a file from before migration 0006) or the tables it
	// is computed from, the schema check has said what is missing.
	for _, t := range []string{prefixtop.Table, "TAGS", "TAG_STATUS", "TAG_USAGE_COUNTS"} {
		if v.got.Table(t) == nil {
			return nil, nil
		}
	}
	tags := v.rowEstimate("TAGS")
	p := &prefixTopCheck{v: v, recompute: !v.opts.Quick || tags <= prefixTopRecomputeTags,
		bad: map[string]int{}, ex: map[string][]string{}}
	cost := 1e5
	if p.recompute {
		cost += tags + v.rowEstimate("TAG_STATUS") + v.rowEstimate("TAG_USAGE_COUNTS")
	}
	return p, &task{name: "rows " + prefixtop.Table, cost: cost, run: p.run}
}

// prefixTopRowsSQL names each row that breaks a row rule, with the rule.
const prefixTopRowsSQL = `SELECT p.prefix, p.rank, p.tag_id, CASE
  WHEN p.prefix = '' OR p.prefix GLOB '*[A-Z]*' THEN 'prefix empty or not lower-cased as NOCASE folds it'
  WHEN p.rank < 1 OR (p.rank > 1 AND prev.rank IS NULL) THEN 'ranks not 1, 2, 3, … in a prefix'
  WHEN p.rank > 1 AND NOT (prev.count > p.count OR (prev.count = p.count AND prev.tag_id < p.tag_id)) THEN 'not in ranking order (count, then tag_id)'
  WHEN t.tag_id IS NULL THEN NULL
  WHEN substr(t.tag, 1, length(p.prefix)) != p.prefix COLLATE NOCASE THEN 'tag does not start with the prefix'
  WHEN NOT EXISTS (SELECT 1 FROM TAG_STATUS s WHERE s.tag_id = p.tag_id AND s.alias = 0) THEN 'tag without a non-alias status row'
  WHEN p.count IS NOT coalesce((SELECT max(u.count) FROM TAG_USAGE_COUNTS u WHERE u.tag_id = p.tag_id), 0) THEN 'count is not the tag''s highest usage count'
END AS why
FROM TAG_PREFIX_TOP p
LEFT JOIN TAG_PREFIX_TOP prev ON prev.prefix = p.prefix AND prev.rank = p.rank - 1
LEFT JOIN TAGS t ON t.tag_id = p.tag_id`

func (p *prefixTopCheck) run(ctx context.Context, c *sql.Conn) error {
	err := p.check(ctx, c)
	if err != nil && ctx.Err() == nil && (isDamage(err) || isSQLError(err)) {
		// A column missing from a table or a damaged page: the table cannot
		// be checked, which is itself a finding.
		p.broken = err.Error()
		return nil
	}
	return err
}

func (p *prefixTopCheck) check(ctx context.Context, c *sql.Conn) error {
	rows, err := c.QueryContext(ctx, prefixTopRowsSQL)
	if err != nil {
		return err
	}
	defer rows.Close()
	var stored []prefixtop.Row
	for rows.Next() {
		var r prefixtop.Row
		var why sql.NullString
		if err := rows.Scan(&r.Prefix, &r.Rank, &r.TagID, &why); err != nil {
			return err
		}
		if why.Valid {
			if p.bad[why.String] == 0 {
				p.kinds = append(p.kinds, why.String)
			}
			p.bad[why.String]++
			if len(p.ex[why.String]) < p.v.opts.Examples {
				p.ex[why.String] = append(p.ex[why.String], fmt.Sprintf("prefix %q rank %d tag_id %d", r.Prefix, r.Rank, r.TagID))
			}
		}
		if p.recompute {
			stored = append(stored, r)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !p.recompute || len(stored) == 0 || len(p.kinds) > 0 {
		return nil
	}
	return p.compare(ctx, c, stored)
}

// compare recomputes the lists of the stored prefixes, as deep as the
// deepest one, and names the prefixes whose tags differ.
func (p *prefixTopCheck) compare(ctx context.Context, c *sql.Conn, stored []prefixtop.Row) error {
	keep := map[string]bool{}
	depth := 0
	for _, r := range stored {
		keep[r.Prefix] = true
		depth = max(depth, r.Rank)
	}
	want, _, err := prefixtop.Compute(ctx, c, depth, func(prefix string, _ int) bool { return keep[prefix] })
	if err != nil {
		return err
	}
	slices.SortFunc(stored, func(a, b prefixtop.Row) int {
		if c := strings.Compare(a.Prefix, b.Prefix); c != 0 {
			return c
		}
		return a.Rank - b.Rank
	})
	ids := func(rs []prefixtop.Row) map[string][]int64 {
		m := map[string][]int64{}
		for _, r := range rs {
			m[r.Prefix] = append(m[r.Prefix], r.TagID)
		}
		return m
	}
	got, exp := ids(stored), ids(want)
	for _, r := range stored {
		if r.Rank != 1 {
			continue
		}
		if g, e := got[r.Prefix], exp[r.Prefix]; !slices.Equal(g, e) {
			p.ndiff++
			if len(p.diff) < p.v.opts.Examples {
				p.diff = append(p.diff, fmt.Sprintf("%q holds tag_ids %v, its top tags are %v", r.Prefix, g, e))
			}
		}
	}
	return nil
}

func (p *prefixTopCheck) report(r *Report) {
	if p.broken != "" {
		r.problem("%s: cannot be checked: %s", prefixtop.Table, p.broken)
	}
	for _, k := range p.kinds {
		r.problem("%s: %s in %s (readers' autocomplete shows these rows as they are): %s", prefixtop.Table, k,
			rowsWord(p.bad[k]), strings.Join(p.ex[k], "; "))
	}
	if p.ndiff > 0 {
		r.problem("%s: %d prefixes differ from a recomputation from TAGS, TAG_STATUS and TAG_USAGE_COUNTS (rebuild the table or empty it): %s",
			prefixtop.Table, p.ndiff, strings.Join(p.diff, "; "))
	}
}
