package builder

import (
	"context"
	"database/sql"
	"fmt"
)

// mergeStatus writes one source unit's tags, statuses and usage counts into the
// output, in manifest order, so that a later source overrides an earlier one
// exactly as the Python builder's row-by-row upserts did (last writer wins
// for type, alias and preferred tag; counts only grow). Within the unit the
// last row for a (tag, format) wins. ts stamps inserted and updated rows.
func mergeStatus(ctx context.Context, db *sql.DB, st *unitStats, ts string) error {
	if st.stHi < st.stLo {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	steps := []struct {
		what, sql string
	}{
		{"tags", `
		INSERT INTO main.TAGS (tag_id, source_tag, tag, created_at, updated_at)
		SELECT x.id, x.source_tag, x.tag, ?1, ?1
		FROM (SELECT id, tag, source_tag, min(ord) AS o FROM (
		          SELECT tag_id AS id, tag, source_tag, ord FROM stage.st WHERE ord BETWEEN ?2 AND ?3
		          UNION ALL
		          SELECT pref_id, alias_of, alias_src, ord FROM stage.st WHERE ord BETWEEN ?2 AND ?3 AND pref_id IS NOT NULL)
		      GROUP BY id) x
		WHERE NOT EXISTS (SELECT 1 FROM main.TAGS t WHERE t.tag_id = x.id)
		ORDER BY x.id`},
		{"statuses", `
		INSERT INTO main.TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id, deprecated,
		                             source_created_at, created_at, updated_at)
		SELECT s.tag_id, s.format, s.type,
		       CASE WHEN s.pref_id IS NULL THEN 0 ELSE 1 END, coalesce(s.pref_id, s.tag_id),
		       s.deprecated, s.created_at, ?1, ?1
		FROM (SELECT tag_id, format, type, pref_id, deprecated, created_at, max(ord) AS o
		      FROM stage.st WHERE ord BETWEEN ?2 AND ?3 GROUP BY tag_id, format) s
		WHERE true
		ON CONFLICT (tag_id, format_id) DO UPDATE SET
		    type_id = excluded.type_id, alias = excluded.alias, preferred_tag_id = excluded.preferred_tag_id,
		    deprecated = excluded.deprecated, source_created_at = excluded.source_created_at,
		    updated_at = excluded.updated_at
		WHERE type_id IS NOT excluded.type_id OR alias IS NOT excluded.alias
		   OR preferred_tag_id IS NOT excluded.preferred_tag_id OR deprecated IS NOT excluded.deprecated
		   OR source_created_at IS NOT excluded.source_created_at`},
		{"usage counts", `
		INSERT INTO main.TAG_USAGE_COUNTS (tag_id, format_id, count, created_at, updated_at)
		SELECT s.tag_id, s.format, s.c, coalesce(s.updated_at, ?1), coalesce(s.updated_at, ?1)
		FROM (SELECT tag_id, format, max(cnt) AS c, updated_at
		      FROM stage.st WHERE ord BETWEEN ?2 AND ?3 AND cnt IS NOT NULL GROUP BY tag_id, format) s
		WHERE true
		ON CONFLICT (tag_id, format_id) DO UPDATE SET count = excluded.count, updated_at = excluded.updated_at
		WHERE excluded.count > count`},
	}
	for _, s := range steps {
		res, err := tx.ExecContext(ctx, s.sql, ts, st.stLo, st.stHi)
		if err != nil {
			return fmt.Errorf("merge %s: %w", s.what, err)
		}
		n, _ := res.RowsAffected()
		st.changed += n
	}
	return tx.Commit()
}

// mergeTranslations runs after every unit's tags are in, so a translation
// attaches to its tag whichever source brought the tag (fixes W4).
func mergeTranslations(ctx context.Context, db *sql.DB, st *unitStats, ts string, ev *collector) error {
	if st.trHi < st.trLo {
		return nil
	}
	res, err := db.ExecContext(ctx, `
		INSERT OR IGNORE INTO main.TAG_TRANSLATIONS (tag_id, language, translation, created_at, updated_at)
		SELECT t.tag_id, r.lang, r.text, ?1, ?1
		FROM stage.tr r JOIN main.TAGS t ON t.tag = r.tag
		WHERE r.ord BETWEEN ?2 AND ?3
		ORDER BY r.ord`, ts, st.trLo, st.trHi)
	if err != nil {
		return fmt.Errorf("merge translations: %w", err)
	}
	n, _ := res.RowsAffected()
	st.changed += n
	rows, err := db.QueryContext(ctx, `
		SELECT r.tag, count(*) FROM stage.tr r
		WHERE r.ord BETWEEN ?1 AND ?2 AND NOT EXISTS (SELECT 1 FROM main.TAGS t WHERE t.tag = r.tag)
		GROUP BY r.tag ORDER BY min(r.ord)`, st.trLo, st.trHi)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var tag string
		var n int64
		if err := rows.Scan(&tag, &n); err != nil {
			return err
		}
		st.translationMiss += n
		ev.noteMiss(tag, n)
	}
	return rows.Err()
}
