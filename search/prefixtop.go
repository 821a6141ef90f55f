package search

import (
	"context"
	"database/sql"

	"github.com/tagdb/tagdb-action/internal/prefixtop"
)

// TAG_PREFIX_TOP (migrations/0006) holds, for the prefixes many tags share,
// the answer of Prefix without a filter: the top tags by count among those
// with a non-alias status. Ranking the candidates of such a prefix from TAGS
// costs milliseconds (tens of thousands of count lookups for "a"); reading
// the stored answer costs one index range. A prefix with no rows there has
// few tags, or a file built without the table: Prefix ranks it from TAGS.

// prefixTopSQL reads a prefix's stored answer, best first.
const prefixTopSQL = `SELECT tag_id, count FROM ` + prefixtop.Table + ` WHERE prefix = ? ORDER BY rank LIMIT ?`

// readPrefixDepth returns how many tags the table keeps per prefix: the rows
// of its first prefix, read from the primary key in two searches. A prefix
// holds fewer only when fewer tags qualify, so this never overstates the
// depth; should the first prefix be such a one, the reader just uses the
// table for fewer limits. 0 when the file has no table or an empty one.
func readPrefixDepth(ctx context.Context, db *sql.DB) (int, error) {
	var has bool
	err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)`,
		prefixtop.Table).Scan(&has)
	if err != nil || !has {
		return 0, err
	}
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM `+prefixtop.Table+
		` WHERE prefix = (SELECT prefix FROM `+prefixtop.Table+` ORDER BY prefix LIMIT 1)`).Scan(&n)
	return n, err
}

// usesPrefixTop reports whether the stored answers serve a prefix query: the
// filter may only set MinCount (the stored counts are the ranking counts of
// an empty filter, so MinCount cuts the list), and the table must hold at
// least limit tags per prefix.
func (d *DB) usesPrefixTop(p *plan, limit int) bool {
	return d.strategy == auto && limit <= d.prefixDepth &&
		p.formats == nil && p.types == nil && !p.all && p.lang == "" && !p.aliases
}

// prefixTop returns the stored answer for the folded prefix key, or ok false
// when the table has no rows for it. With limit at most the table's depth,
// the stored rows are the complete answer: a prefix holds fewer than the
// depth only when no more tags qualify.
func (d *DB) prefixTop(ctx context.Context, key string, limit int, min int64) (hits []hit, ok bool, err error) {
	hits = make([]hit, 0, limit)
	err = d.query(ctx, prefixTopSQL, []any{key, limit}, func(r *sql.Rows) error {
		var h hit
		if err := r.Scan(&h.id, &h.count); err != nil {
			return err
		}
		ok = true
		if h.count >= min {
			hits = append(hits, h)
		}
		return nil
	})
	return hits, ok, err
}
