package builder

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tagdb/tagdb-action/internal/prefixtop"
	"github.com/tagdb/tagdb-action/internal/progress"
)

// fillPrefixTop recomputes TAG_PREFIX_TOP (autocomplete's top tags per
// common prefix) from the written TAGS, TAG_STATUS and TAG_USAGE_COUNTS. It
// runs after the indexes exist: it reads TAGS through ix_tags_tag_nocase, in
// the order the prefixes nest. A base file's rows are replaced, never
// extended: the merge may have changed any count.
func fillPrefixTop(ctx context.Context, db *sql.DB, pr *progress.Reporter) error {
	start := time.Now()
	st, err := prefixtop.Fill(ctx, db)
	if err != nil {
		return fmt.Errorf("fill %s: %w", prefixtop.Table, err)
	}
	pr.Printf("%s: %d prefixes, %d rows from %d tags in %s", prefixtop.Table, st.Prefixes, st.Rows, st.Tags,
		time.Since(start).Round(10*time.Millisecond))
	return nil
}
