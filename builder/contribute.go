package builder

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
)

// Nothing a source loses may pass silently: a source that gives the build no
// usable row fails it (unless the manifest allows it to be empty), and so
// does a source whose row count falls sharply against what the base release
// recorded. Both catch what the per-row limits cannot see: a file read as
// one line, a site whose table is empty, a file of only bad rows below the
// size where --max-bad-rows percentages apply.

// checkContributes fails a unit that gave the build no usable row.
func checkContributes(u *unit) error {
	if u.stats.usable() > 0 || u.spec.AllowEmpty {
		return nil
	}
	msg := fmt.Sprintf("source %q: %s: no usable rows (%d read, %d skipped)", u.name, u.path, u.stats.rowsRead, u.events.skippedCount())
	if first := u.events.firstSkips(3); first != "" {
		msg += "; first: " + first
	}
	return fmt.Errorf("%s; set allow-empty: true on the source in sources.yml if it may be empty", msg)
}

// sourceRows sums the rows each source's units read, by source id: the
// count the provenance records and the shrink check compares. Ids-only units
// are left out, as the provenance leaves them out.
func sourceRows(units []*unit) map[string]int64 {
	rows := map[string]int64{}
	for _, u := range units {
		if !u.keysOnly {
			rows[u.spec.ID] += u.stats.rowsRead
		}
	}
	return rows
}

// maxShrink is the shrink limit in effect: the command line's, else the
// manifest's, else DefaultMaxShrink. Negative: off.
func (o Options) maxShrink() float64 {
	switch {
	case o.MaxShrink != nil:
		return *o.MaxShrink
	case o.Manifest != nil && o.Manifest.MaxShrink != nil:
		return *o.Manifest.MaxShrink
	}
	return DefaultMaxShrink
}

// checkShrink fails a source whose rows fell by more than the limit against
// the base's provenance. Without a base, or for a source the base records no
// count of (a new source, a base from before counts were recorded), there is
// nothing to compare.
func (b *buildRun) checkShrink() error {
	limit := b.o.maxShrink()
	if limit < 0 || len(b.baseRows) == 0 {
		return nil
	}
	rows := sourceRows(b.units)
	ids := make([]string, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		was, now := b.baseRows[id], rows[id]
		if was <= 0 || now >= was {
			continue
		}
		if shrink := float64(was-now) * 100 / float64(was); shrink > limit {
			return fmt.Errorf("source %q: %d rows read, %d in the base release: %.1f%% fewer, more than max-shrink %g%% (if the source really shrank, raise max-shrink in sources.yml or pass --max-shrink)",
				id, now, was, shrink, limit)
		}
	}
	return nil
}

// provenanceRows reads the row count per source the database's provenance
// (DATABASE_METADATA build.provenance) records. A database without one, or
// whose provenance is not readable JSON, records none.
func provenanceRows(ctx context.Context, db *sql.DB) (map[string]int64, error) {
	var v string
	err := db.QueryRowContext(ctx, `SELECT value FROM main.DATABASE_METADATA WHERE key = 'build.provenance'`).Scan(&v)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("provenance: %w", err)
	}
	var list []Provenance
	if json.Unmarshal([]byte(v), &list) != nil {
		return nil, nil // writeProvenance replaces it, as it always has
	}
	rows := map[string]int64{}
	for _, p := range list {
		if p.Rows > 0 {
			rows[p.ID] = p.Rows
		}
	}
	return rows, nil
}
