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

// formatCounts is what the merge wrote per format id, counted while writing:
// the merge state holds every row of TAG_STATUS and TAG_USAGE_COUNTS (the
// base's included), so the statistics need no scan of those tables.
type formatCounts struct {
	tags, canonical, aliases, deprecated, withCount [256]int64
	totalTags                                       int64
}

func collectStats(ctx context.Context, db *sql.DB, fc *formatCounts) (Stats, error) {
	s := Stats{Tags: fc.totalTags}
	names := map[int]string{}
	rows, err := db.QueryContext(ctx, `SELECT format_id, format_name FROM TAG_FORMATS`)
	if err != nil {
		return s, fmt.Errorf("statistics: %w", err)
	}
	for rows.Next() {
		var id int
		var name sql.NullString
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return s, err
		}
		names[id] = name.String
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s, err
	}
	for f := range fc.tags {
		s.Statuses += fc.tags[f]
		s.UsageCounts += fc.withCount[f]
		if fc.tags[f] == 0 {
			continue
		}
		if _, ok := names[f]; !ok {
			continue // as the join on TAG_FORMATS did: validation reports such rows
		}
		s.Formats = append(s.Formats, FormatStats{ID: f, Name: names[f], Tags: fc.tags[f], Canonical: fc.canonical[f],
			Aliases: fc.aliases[f], Deprecated: fc.deprecated[f], WithCount: fc.withCount[f]})
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM TAG_TRANSLATIONS`).Scan(&s.Translations); err != nil {
		return s, fmt.Errorf("statistics: %w", err)
	}
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
