package builder

import (
	"context"
	"database/sql"
	"fmt"
)

// Stats summarise a finished database for the summary, the manifest and the
// dataset card.
type Stats struct {
	Tags         int64           `json:"total_tags"`
	Statuses     int64           `json:"total_tag_status"`
	Translations int64           `json:"total_translations"`
	UsageCounts  int64           `json:"total_usage_counts"`
	Formats      []FormatStats   `json:"formats"`
	Languages    []LanguageStats `json:"languages"`
}

// FormatStats counts one format's rows.
type FormatStats struct {
	ID         int    `json:"format_id"`
	Name       string `json:"format_name"`
	Tags       int64  `json:"tags"`
	Canonical  int64  `json:"canonical"`
	Aliases    int64  `json:"aliases"`
	Deprecated int64  `json:"deprecated"`
	WithCount  int64  `json:"with_count"`
}

// LanguageStats counts translations per language.
type LanguageStats struct {
	Language     string `json:"language"`
	Translations int64  `json:"translations"`
	Tags         int64  `json:"tags"`
}

func collectStats(ctx context.Context, db *sql.DB) (Stats, error) {
	var s Stats
	for _, q := range []struct {
		dst *int64
		sql string
	}{
		{&s.Tags, `SELECT count(*) FROM TAGS`},
		{&s.Statuses, `SELECT count(*) FROM TAG_STATUS`},
		{&s.Translations, `SELECT count(*) FROM TAG_TRANSLATIONS`},
		{&s.UsageCounts, `SELECT count(*) FROM TAG_USAGE_COUNTS`},
	} {
		if err := db.QueryRowContext(ctx, q.sql).Scan(q.dst); err != nil {
			return s, fmt.Errorf("statistics: %w", err)
		}
	}
	rows, err := db.QueryContext(ctx, `
		SELECT f.format_id, f.format_name, count(*), sum(s.alias = 0), sum(s.alias = 1), sum(s.deprecated = 1),
		       (SELECT count(*) FROM TAG_USAGE_COUNTS u WHERE u.format_id = f.format_id)
		FROM TAG_STATUS s JOIN TAG_FORMATS f ON f.format_id = s.format_id
		GROUP BY f.format_id ORDER BY f.format_id`)
	if err != nil {
		return s, fmt.Errorf("statistics: %w", err)
	}
	for rows.Next() {
		var f FormatStats
		if err := rows.Scan(&f.ID, &f.Name, &f.Tags, &f.Canonical, &f.Aliases, &f.Deprecated, &f.WithCount); err != nil {
			rows.Close()
			return s, err
		}
		s.Formats = append(s.Formats, f)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT language, count(*), count(DISTINCT tag_id) FROM TAG_TRANSLATIONS GROUP BY language ORDER BY language`)
	if err != nil {
		return s, fmt.Errorf("statistics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l LanguageStats
		if err := rows.Scan(&l.Language, &l.Translations, &l.Tags); err != nil {
			return s, err
		}
		s.Languages = append(s.Languages, l)
	}
	return s, rows.Err()
}
