package tagsdb

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/tabular"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/normalize"
)

// DefaultBatchSize is the number of rows per batch when Options.BatchSize is 0.
const DefaultBatchSize = 4096

// Options says how to read a tags_db source.
type Options struct {
	// Events receives skipped rows; nil drops them.
	Events record.Events
	// BatchSize is the number of rows per Next call (DefaultBatchSize if 0).
	BatchSize int
}

// required lists, per table, the columns the reader cannot do without.
// TAG_STATUS.deprecated and source_created_at (added to the schema on
// 2025-12-18) and TAG_USAGE_COUNTS.updated_at are used when present.
func required() map[string][]string {
	return map[string][]string{
		"TAGS":             {"tag_id", "tag", "source_tag"},
		"TAG_STATUS":       {"tag_id", "format_id", "type_id", "alias", "preferred_tag_id"},
		"TAG_TRANSLATIONS": {"tag_id", "language", "translation"},
		"TAG_USAGE_COUNTS": {"tag_id", "format_id", "count"},
	}
}

// tableOrder fixes the order of checks and messages.
func tableOrder() []string {
	return []string{"TAGS", "TAG_STATUS", "TAG_TRANSLATIONS", "TAG_USAGE_COUNTS"}
}

// Open checks the database at path and starts streaming its rows.
func Open(ctx context.Context, path string, opts Options) (record.Source, error) {
	if opts.Events == nil {
		opts.Events = record.Discard{}
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	db, err := sqlitedb.OpenUntrusted(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := sqlitedb.CheckTables(ctx, db, path, tableOrder()...); err != nil {
		db.Close()
		return nil, err
	}
	s := &source{ctx: ctx, db: db, path: path, events: opts.Events, buf: make([]record.Row, opts.BatchSize)}
	if err := s.inspect(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// source streams the phases: status rows, orphan usage counts (reports only),
// translations.
type source struct {
	ctx    context.Context
	db     *sql.DB
	path   string
	events record.Events
	buf    []record.Row

	tables        map[string]string // canonical name → name in the file
	hasDeprecated bool
	hasCreated    bool
	hasUpdated    bool

	phase int
	rows  *sql.Rows
	done  bool
	// err is the error that ended the stream; Next keeps returning it, so
	// that a failed read never looks like a clean end.
	err error
}

const (
	phaseStatus = iota
	phaseOrphanUsage
	phaseTranslations
	phaseEnd
)

// inspect runs the integrity check and finds the tables and optional columns.
func (s *source) inspect() error {
	rows, err := s.db.QueryContext(s.ctx, `PRAGMA quick_check`)
	if err != nil {
		return fmt.Errorf("%s: not a readable SQLite database: %w", s.path, err)
	}
	var problems []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			rows.Close()
			return fmt.Errorf("%s: quick_check: %w", s.path, err)
		}
		if msg != "ok" && len(problems) < 5 {
			problems = append(problems, msg)
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("%s: not a readable SQLite database: %w", s.path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: corrupt database (PRAGMA quick_check): %s", s.path, strings.Join(problems, "; "))
	}

	s.tables = make(map[string]string)
	var missing []string
	for _, t := range tableOrder() {
		var name string
		err := s.db.QueryRowContext(s.ctx,
			`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE`, t).Scan(&name)
		if err == sql.ErrNoRows {
			missing = append(missing, t)
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: read schema: %w", s.path, err)
		}
		s.tables[t] = name
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: not a tag database: missing table(s) %s", s.path, strings.Join(missing, ", "))
	}

	req := required()
	for _, t := range tableOrder() {
		cols, err := s.columns(s.tables[t])
		if err != nil {
			return err
		}
		var lacking []string
		for _, c := range req[t] {
			if !cols[c] {
				lacking = append(lacking, c)
			}
		}
		if len(lacking) > 0 {
			return fmt.Errorf("%s: table %s lacks column(s) %s", s.path, t, strings.Join(lacking, ", "))
		}
		switch t {
		case "TAG_STATUS":
			s.hasDeprecated, s.hasCreated = cols["deprecated"], cols["source_created_at"]
		case "TAG_USAGE_COUNTS":
			s.hasUpdated = cols["updated_at"]
		}
	}
	return nil
}

// columns returns the lowercased column names of table.
func (s *source) columns(table string) (map[string]bool, error) {
	rows, err := s.db.QueryContext(s.ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, fmt.Errorf("%s: read columns of %s: %w", s.path, table, err)
	}
	defer rows.Close()
	cols := make(map[string]bool)
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("%s: read columns of %s: %w", s.path, table, err)
		}
		cols[strings.ToLower(n)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: read columns of %s: %w", s.path, table, err)
	}
	return cols, nil
}

// q quotes the file's own name of a canonical table.
func (s *source) q(table string) string { return sqlitedb.QuoteIdent(s.tables[table]) }

// canonCTE resolves every tag text to the source_tag of its smallest tag_id:
// tags_v4 may hold one text under several ids.
func (s *source) canonCTE() string {
	return `canon AS (
    SELECT c.tag AS tag, t.source_tag AS source_tag
    FROM (SELECT tag, MIN(tag_id) AS tag_id FROM ` + s.q("TAGS") + ` GROUP BY tag) c
    JOIN ` + s.q("TAGS") + ` t ON t.tag_id = c.tag_id
)`
}

// statusQuery joins each TAG_STATUS row to its tag text, alias target text and
// the usage count of its (tag text, format). With duplicate texts the largest
// count wins, as the merge would pick it anyway; SQLite takes updated_at from
// the row holding that MAX.
func (s *source) statusQuery() string {
	deprecated, created, updated := "0", "NULL", "NULL"
	if s.hasDeprecated {
		deprecated = "s.deprecated"
	}
	if s.hasCreated {
		created = "CAST(s.source_created_at AS TEXT)"
	}
	if s.hasUpdated {
		updated = "CAST(u.updated_at AS TEXT)"
	}
	return `WITH ` + s.canonCTE() + `,
usage AS (
    SELECT t.tag AS tag, u.format_id AS format_id, MAX(u.count) AS count, ` + updated + ` AS updated_at
    FROM ` + s.q("TAG_USAGE_COUNTS") + ` u JOIN ` + s.q("TAGS") + ` t ON t.tag_id = u.tag_id
    GROUP BY t.tag, u.format_id
)
SELECT s.rowid, s.tag_id, t.tag, c.source_tag, s.format_id, s.type_id, s.alias,
       s.preferred_tag_id, p.tag, ` + deprecated + `, ` + created + `, us.count, us.updated_at
FROM ` + s.q("TAG_STATUS") + ` s
LEFT JOIN ` + s.q("TAGS") + ` t ON t.tag_id = s.tag_id
LEFT JOIN canon c ON c.tag = t.tag
LEFT JOIN ` + s.q("TAGS") + ` p ON p.tag_id = s.preferred_tag_id
LEFT JOIN usage us ON us.tag = t.tag AND us.format_id = s.format_id
ORDER BY s.rowid`
}

// orphanUsageQuery finds usage counts whose (tag text, format) has no status
// row: they have nothing to attach to.
func (s *source) orphanUsageQuery() string {
	return `WITH st AS (
    SELECT DISTINCT t.tag AS tag, s.format_id AS format_id
    FROM ` + s.q("TAG_STATUS") + ` s JOIN ` + s.q("TAGS") + ` t ON t.tag_id = s.tag_id
)
SELECT u.rowid, u.tag_id, u.format_id
FROM ` + s.q("TAG_USAGE_COUNTS") + ` u
LEFT JOIN ` + s.q("TAGS") + ` t ON t.tag_id = u.tag_id
LEFT JOIN st ON st.tag = t.tag AND st.format_id = u.format_id
WHERE st.tag IS NULL
ORDER BY u.rowid`
}

func (s *source) translationQuery() string {
	return `WITH ` + s.canonCTE() + `
SELECT tr.rowid, tr.tag_id, t.tag, c.source_tag, tr.language, tr.translation
FROM ` + s.q("TAG_TRANSLATIONS") + ` tr
LEFT JOIN ` + s.q("TAGS") + ` t ON t.tag_id = tr.tag_id
LEFT JOIN canon c ON c.tag = t.tag
ORDER BY tr.rowid`
}

func (s *source) Next() ([]record.Row, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.done {
		return nil, io.EOF
	}
	if err := s.ctx.Err(); err != nil {
		return nil, s.fail(err)
	}
	rows, err := record.FillBatch(s.buf, s.nextRow)
	if err == io.EOF {
		s.done = true
	}
	return rows, err
}

// nextRow fills r from the current phase's query, starting each phase's
// query in turn; false with a nil error means the record gave no row (or a
// phase ended). It returns io.EOF after the last phase.
func (s *source) nextRow(r *record.Row) (bool, error) {
	if s.phase >= phaseEnd {
		return false, io.EOF
	}
	if s.rows == nil {
		var query string
		switch s.phase {
		case phaseStatus:
			query = s.statusQuery()
		case phaseOrphanUsage:
			query = s.orphanUsageQuery()
		case phaseTranslations:
			query = s.translationQuery()
		}
		rows, err := s.db.QueryContext(s.ctx, query)
		if err != nil {
			return false, s.fail(err)
		}
		s.rows = rows
	}
	if !s.rows.Next() {
		err := s.rows.Err()
		s.rows.Close()
		s.rows = nil
		if err != nil {
			return false, s.fail(err)
		}
		s.phase++
		return false, nil
	}
	*r = record.Row{Aliases: r.Aliases[:0], Translations: r.Translations[:0]}
	var ok bool
	var err error
	switch s.phase {
	case phaseStatus:
		ok, err = s.statusRow(r)
	case phaseOrphanUsage:
		err = s.orphanUsage()
	case phaseTranslations:
		ok, err = s.translationRow(r)
	}
	if err != nil {
		return false, s.fail(err)
	}
	return ok, nil
}

func (s *source) fail(err error) error {
	s.done = true
	if s.rows != nil {
		s.rows.Close()
		s.rows = nil
	}
	s.err = fmt.Errorf("%s: %w", s.path, err)
	return s.err
}

func (s *source) Close() error {
	s.done = true
	if s.rows != nil {
		s.rows.Close()
		s.rows = nil
	}
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}

// badTag skips (and reports) a row whose tag is missing from TAGS, a
// placeholder, or empty: the checks every table's rows share.
func (s *source) badTag(pos string, tagID sql.NullInt64, tag sql.NullString) bool {
	switch {
	case !tag.Valid:
		s.skip(pos, fmt.Sprintf("tag_id %s is not in TAGS", idText(tagID)))
	case isPlaceholder(tag.String):
		s.skip(pos, "placeholder tag "+tag.String)
	case strings.TrimSpace(tag.String) == "":
		s.skip(pos, "empty tag")
	default:
		return false
	}
	return true
}

func (s *source) skip(pos, reason string) {
	s.events.Skipped(record.Skip{Pos: pos, Reason: reason})
}

// statusRow turns the current status query row into r.
func (s *source) statusRow(r *record.Row) (bool, error) {
	var (
		rowid                int64
		tagID, prefID        sql.NullInt64
		tag, sourceTag, pref sql.NullString
		formatID, typeID     sql.NullInt64
		alias, deprecated    any
		created, updated     sql.NullString
		count                any
	)
	if err := s.rows.Scan(&rowid, &tagID, &tag, &sourceTag, &formatID, &typeID, &alias,
		&prefID, &pref, &deprecated, &created, &count, &updated); err != nil {
		return false, fmt.Errorf("TAG_STATUS: %w", err)
	}
	pos := "TAG_STATUS rowid " + strconv.FormatInt(rowid, 10)
	switch {
	case s.badTag(pos, tagID, tag):
		return false, nil
	case !formatID.Valid:
		s.skip(pos, "format_id is NULL")
		return false, nil
	case formatID.Int64 < 0 || formatID.Int64 > math.MaxInt32:
		s.skip(pos, fmt.Sprintf("format_id %d is out of range", formatID.Int64))
		return false, nil
	}
	r.Pos, r.Tag, r.SourceTag, r.Normalized = pos, tag.String, sourceTag.String, true
	r.Format, r.Type = int(formatID.Int64), record.UnknownType
	if typeID.Valid && typeID.Int64 >= math.MinInt32 && typeID.Int64 <= math.MaxInt32 {
		r.Type = int(typeID.Int64)
	}
	if truthy(alias) {
		switch {
		case !pref.Valid:
			s.skip(pos, fmt.Sprintf("preferred_tag_id %s is not in TAGS", idText(prefID)))
			return false, nil
		case isPlaceholder(pref.String):
			s.skip(pos, "preferred tag is a placeholder: "+pref.String)
			return false, nil
		case pref.String == tag.String:
			// Two ids of one text: after resolving to text the row points at
			// itself, which the CHECK constraint forbids. It is the canonical.
			s.skip(pos, fmt.Sprintf("alias of %q, a duplicate of itself: kept as canonical", pref.String))
		default:
			r.AliasOf = pref.String
		}
	} else if prefID != tagID && pref.String != tag.String {
		s.skip(pos, fmt.Sprintf("alias=0 but preferred_tag_id is %s: kept as canonical", idText(prefID)))
	}
	r.Deprecated = truthy(deprecated)
	if created.Valid {
		r.CreatedAt = tabular.Timestamp(created.String)
	}
	if count != nil {
		n, ok := intValue(count)
		switch {
		case !ok:
			s.skip(pos, fmt.Sprintf("count is not a number: %q", fmt.Sprint(count)))
		case n < 0:
			s.skip(pos, fmt.Sprintf("count is negative: %q", strconv.FormatInt(n, 10)))
		default:
			r.Count, r.HasCount = n, true
			if updated.Valid {
				r.UpdatedAt = tabular.Timestamp(updated.String)
			}
		}
	}
	return true, nil
}

// orphanUsage reports the current orphan usage row.
func (s *source) orphanUsage() error {
	var rowid int64
	var tagID, formatID sql.NullInt64
	if err := s.rows.Scan(&rowid, &tagID, &formatID); err != nil {
		return fmt.Errorf("TAG_USAGE_COUNTS: %w", err)
	}
	s.skip("TAG_USAGE_COUNTS rowid "+strconv.FormatInt(rowid, 10),
		fmt.Sprintf("usage count of tag_id %s has no TAG_STATUS row in format %s", idText(tagID), idText(formatID)))
	return nil
}

// translationRow turns the current translation query row into r.
func (s *source) translationRow(r *record.Row) (bool, error) {
	var (
		rowid                int64
		tagID                sql.NullInt64
		tag, sourceTag       sql.NullString
		language, translated sql.NullString
	)
	if err := s.rows.Scan(&rowid, &tagID, &tag, &sourceTag, &language, &translated); err != nil {
		return false, fmt.Errorf("TAG_TRANSLATIONS: %w", err)
	}
	pos := "TAG_TRANSLATIONS rowid " + strconv.FormatInt(rowid, 10)
	switch {
	case s.badTag(pos, tagID, tag):
		return false, nil
	case !language.Valid:
		s.skip(pos, "language is NULL")
		return false, nil
	case !translated.Valid || strings.TrimSpace(translated.String) == "":
		s.skip(pos, "empty translation")
		return false, nil
	}
	lang, ok := normalize.LanguageCode(language.String)
	if !ok {
		s.skip(pos, fmt.Sprintf("unknown language %q", language.String))
		return false, nil
	}
	r.Pos, r.Tag, r.SourceTag, r.Normalized = pos, tag.String, sourceTag.String, true
	r.Format, r.Type = record.NoFormat, record.UnknownType
	r.Translations = append(r.Translations, record.Translation{Lang: lang, Text: translated.String})
	return true, nil
}

func idText(id sql.NullInt64) string {
	if !id.Valid {
		return "NULL"
	}
	return strconv.FormatInt(id.Int64, 10)
}

// isPlaceholder matches the legacy __missing_tag_id_N__ tags exactly (the
// Python repair used LIKE, where "_" is a wildcard: docs/python-differences.md, W13).
func isPlaceholder(tag string) bool {
	rest, ok := strings.CutPrefix(tag, "__missing_tag_id_")
	if !ok {
		return false
	}
	digits, ok := strings.CutSuffix(rest, "__")
	if !ok || digits == "" {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// truthy reads a SQLite BOOLEAN, which may be stored as an integer, a real or
// text ("1", "true").
func truthy(v any) bool {
	switch v := v.(type) {
	case int64:
		return v != 0
	case float64:
		return v != 0
	case bool:
		return v
	case string:
		return isTrueText(v)
	case []byte:
		return isTrueText(string(v))
	}
	return false
}

func isTrueText(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "t", "yes":
		return true
	}
	return false
}

// intValue reads an INTEGER column that may hold a real or text.
func intValue(v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case float64:
		if v != math.Trunc(v) || v < math.MinInt64 || v >= math.MaxInt64 {
			return 0, false
		}
		return int64(v), true
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return n, err == nil
	case []byte:
		n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
		return n, err == nil
	}
	return 0, false
}
