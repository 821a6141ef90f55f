package parquetview

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"

	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// Row is one canonical tag of the exported format.
type Row struct {
	TagID          int64    `parquet:"tag_id"`
	Tag            string   `parquet:"tag"`
	FormatName     string   `parquet:"format_name"`
	TypeName       string   `parquet:"type_name"`
	Count          *int64   `parquet:"count,optional"`
	DeprecatedTags []string `parquet:"deprecated_tags,list"`
	LangJA         []string `parquet:"lang_ja,list"`
	LangZH         []string `parquet:"lang_zh,list"`
}

// Options bound the files.
type Options struct {
	RowsPerFile  int64 // default 100,000
	RowsPerGroup int64 // default 20,000: a reader never holds more than this
}

// Export writes dir/<format>-NNNNN.parquet from the database at dbPath and
// returns the files written. A format with no rows writes nothing. Each file is
// written atomically (files.Atomic), so a failed export leaves no partial one.
func Export(ctx context.Context, dbPath, dir, format string, o Options) ([]string, error) {
	if o.RowsPerFile <= 0 {
		o.RowsPerFile = 100_000
	}
	if o.RowsPerGroup <= 0 {
		o.RowsPerGroup = 20_000
	}
	db, err := sqlitedb.Open(ctx, dbPath, sqlitedb.ReadOnly)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var formatID int
	if err := db.QueryRowContext(ctx, `SELECT format_id FROM TAG_FORMATS WHERE format_name = ?`, format).Scan(&formatID); err != nil {
		if err == sql.ErrNoRows {
			return nil, fmt.Errorf("parquet export: %s has no format %q", dbPath, format)
		}
		return nil, fmt.Errorf("parquet export: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `
		SELECT p.tag_id, t.tag,
		  coalesce((SELECT tn.type_name FROM TAG_STATUS s2
		      JOIN TAG_TYPE_FORMAT_MAPPING m ON m.format_id = s2.format_id AND m.type_id = s2.type_id
		      JOIN TAG_TYPE_NAME tn ON tn.type_name_id = m.type_name_id
		      WHERE s2.tag_id = p.tag_id AND s2.format_id = ?1), 'unknown'),
		  (SELECT u.count FROM TAG_USAGE_COUNTS u WHERE u.tag_id = p.tag_id AND u.format_id = ?1),
		  (SELECT json_group_array(tag) FROM (SELECT a.tag FROM TAG_STATUS s3 JOIN TAGS a ON a.tag_id = s3.tag_id
		      WHERE s3.preferred_tag_id = p.tag_id AND s3.format_id = ?1 AND s3.alias = 1 ORDER BY s3.tag_id)),
		  (SELECT json_group_array(translation) FROM (SELECT translation FROM TAG_TRANSLATIONS
		      WHERE tag_id = p.tag_id AND language = 'ja' ORDER BY translation_id)),
		  (SELECT json_group_array(translation) FROM (SELECT translation FROM TAG_TRANSLATIONS
		      WHERE tag_id = p.tag_id AND (language = 'zh' OR language LIKE 'zh-%') ORDER BY translation_id))
		FROM (SELECT DISTINCT preferred_tag_id AS tag_id FROM TAG_STATUS WHERE format_id = ?1) p
		JOIN TAGS t ON t.tag_id = p.tag_id
		ORDER BY p.tag_id`, formatID)
	if err != nil {
		return nil, fmt.Errorf("parquet export: %w", err)
	}
	defer rows.Close()

	var (
		written []string
		f       *files.Atomic
		w       *parquet.GenericWriter[Row]
		inFile  int64
		final   string
		buf     = make([]Row, 0, 1024)
	)
	closeFile := func() error {
		if w == nil {
			return nil
		}
		if len(buf) > 0 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
		if err := w.Close(); err != nil {
			return err
		}
		if err := f.Commit(); err != nil {
			return err
		}
		written = append(written, final)
		w, f, inFile = nil, nil, 0
		return nil
	}
	fail := func(err error) ([]string, error) {
		if f != nil {
			f.Abort() // a no-op once committed
		}
		return written, fmt.Errorf("parquet export %s: %w", format, err)
	}
	for rows.Next() {
		var r Row
		var count sql.NullInt64
		var aliases, ja, zh string
		if err := rows.Scan(&r.TagID, &r.Tag, &r.TypeName, &count, &aliases, &ja, &zh); err != nil {
			return fail(err)
		}
		r.FormatName = format
		if count.Valid {
			c := count.Int64
			r.Count = &c
		}
		for _, l := range []struct {
			src string
			dst *[]string
		}{{aliases, &r.DeprecatedTags}, {ja, &r.LangJA}, {zh, &r.LangZH}} {
			if err := json.Unmarshal([]byte(l.src), l.dst); err != nil {
				return fail(err)
			}
		}
		if w == nil {
			final = filepath.Join(dir, fmt.Sprintf("%s-%05d.parquet", format, len(written)))
			if f, err = files.Create(final, 0o666); err != nil {
				return fail(err)
			}
			w = parquet.NewGenericWriter[Row](f, parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(o.RowsPerGroup))
		}
		buf = append(buf, r)
		inFile++
		if len(buf) == cap(buf) {
			if _, err := w.Write(buf); err != nil {
				return fail(err)
			}
			buf = buf[:0]
		}
		if inFile >= o.RowsPerFile {
			if err := closeFile(); err != nil {
				return fail(err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if err := closeFile(); err != nil {
		return fail(err)
	}
	return written, nil
}
