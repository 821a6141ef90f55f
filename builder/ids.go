package builder

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// maxTagID is the reader contract's ceiling: ids from 1e9 up belong to the
// client's user overlay database (consumer-contract §1.5.4).
const maxTagID = 1_000_000_000

// seedIDs loads the ids that must never change: the output's own TAGS (the
// copied base) and every --reserve-ids database. The same tag under two ids, or
// one id for two tags, means the inputs do not share a history: an error,
// because going on would silently renumber someone's tags.
func seedIDs(ctx context.Context, db *sql.DB, reserve []string) error {
	if _, err := db.ExecContext(ctx, `INSERT INTO stage.idmap (tag, tag_id) SELECT tag, tag_id FROM main.TAGS`); err != nil {
		return fmt.Errorf("load base ids: %w", err)
	}
	for _, path := range reserve {
		if err := reserveFrom(ctx, db, path); err != nil {
			return fmt.Errorf("--reserve-ids %s: %w", path, err)
		}
	}
	return nil
}

func reserveFrom(ctx context.Context, db *sql.DB, path string) error {
	if _, err := db.ExecContext(ctx, `ATTACH DATABASE ? AS reserve`, path); err != nil {
		return err
	}
	defer db.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE reserve`)
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reserve.sqlite_master WHERE type = 'table' AND name = 'TAGS'`).Scan(&n); err != nil {
		return fmt.Errorf("not a readable SQLite database: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("has no TAGS table")
	}
	var tag string
	var a, b int64
	err := db.QueryRowContext(ctx, `SELECT r.tag, r.tag_id, m.tag_id FROM reserve.TAGS r JOIN stage.idmap m ON m.tag = r.tag
		WHERE m.tag_id != r.tag_id LIMIT 1`).Scan(&tag, &a, &b)
	if err == nil {
		return fmt.Errorf("tag %q has id %d there but %d in the base: the databases do not share one id history", tag, a, b)
	} else if err != sql.ErrNoRows {
		return err
	}
	var other string
	err = db.QueryRowContext(ctx, `SELECT r.tag_id, r.tag, m.tag FROM reserve.TAGS r JOIN stage.idmap m ON m.tag_id = r.tag_id
		WHERE m.tag != r.tag LIMIT 1`).Scan(&a, &tag, &other)
	if err == nil {
		return fmt.Errorf("id %d is %q there but %q in the base: the databases do not share one id history", a, tag, other)
	} else if err != sql.ErrNoRows {
		return err
	}
	_, err = db.ExecContext(ctx, `INSERT OR IGNORE INTO stage.idmap (tag, tag_id) SELECT tag, tag_id FROM reserve.TAGS`)
	return err
}

// assignIDs numbers every staged tag name that has no id yet, after the highest
// known id, in code-point order of the tag (SQLite's BINARY collation compares
// UTF-8 bytes, which orders like code points). It returns how many were new.
func assignIDs(ctx context.Context, db *sql.DB) (int64, error) {
	var max int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(tag_id), 0) FROM stage.idmap`).Scan(&max); err != nil {
		return 0, err
	}
	res, err := db.ExecContext(ctx, `
		INSERT INTO stage.idmap (tag, tag_id)
		SELECT tag, ? + row_number() OVER (ORDER BY tag)
		FROM (SELECT tag FROM stage.st
		      UNION SELECT alias_of FROM stage.st WHERE alias_of IS NOT NULL
		      UNION SELECT tag FROM stage.keys) u
		WHERE NOT EXISTS (SELECT 1 FROM stage.idmap m WHERE m.tag = u.tag)
		ORDER BY tag`, max)
	if err != nil {
		return 0, fmt.Errorf("assign tag ids: %w", err)
	}
	n, _ := res.RowsAffected()
	if max+n >= maxTagID {
		return 0, fmt.Errorf("assign tag ids: %d tags would need ids up to %d, past the reader limit %d", n, max+n, maxTagID-1)
	}
	return n, nil
}

// sqlList renders a fixed list of SQL string literals (never user input).
func sqlList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}

// resolveStagedIDs writes each staged row's tag id (and its alias target's)
// into the stage once, so the merge joins on integers instead of looking tag
// text up in a B-tree several times per row.
func resolveStagedIDs(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `
		UPDATE stage.st SET
		    tag_id = (SELECT m.tag_id FROM stage.idmap m WHERE m.tag = st.tag),
		    pref_id = CASE WHEN alias_of IS NULL THEN NULL
		                   ELSE (SELECT m.tag_id FROM stage.idmap m WHERE m.tag = st.alias_of) END`)
	if err != nil {
		return fmt.Errorf("resolve staged ids: %w", err)
	}
	return nil
}
