package sitetags

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/normalize"
)

// openSQLite prepares r to read a tags.sqlite file.
func (r *Reader) openSQLite(ctx context.Context, overrides map[string]string) error {
	path := r.site.Path
	if err := checkSQLiteHeader(path); err != nil {
		return err
	}
	db, err := sqlitedb.OpenUntrusted(ctx, path)
	if err != nil {
		return err
	}
	r.closers = append(r.closers, db.Close)
	if err := sqlitedb.CheckTables(ctx, db, path, "tags", "tag_aliases"); err != nil {
		return err
	}
	cols, err := tableColumns(ctx, db, "tags")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(cols) == 0 {
		return fmt.Errorf("%s: no table named tags, so not a site_tags file", path)
	}
	lay, ok := detect(cols, normalize.LanguageCode)
	if !ok {
		return unknownSchemaError(path, cols)
	}
	r.lay = lay
	r.posPrefix = "tags rowid "
	if err := r.loadSQLiteAliases(ctx, db, cols, overrides); err != nil {
		return err
	}
	// Every column is read through unary +, which SQLite defines as a no-op on
	// any value. It hides the declared type from the driver: modernc parses
	// TEXT in a TIMESTAMP-declared column (which is how pandas declares
	// danbooru's created_at) into a time.Time, losing whether the source had
	// an offset. Identifiers from the file are always quoted.
	sel := make([]string, 0, 8)
	sel = append(sel, "rowid")
	for _, c := range lay.selectList() {
		sel = append(sel, "+"+sqlitedb.QuoteIdent(c))
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + sqlitedb.QuoteIdent("tags") + " ORDER BY rowid"
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("%s: reading table tags: %w", path, err)
	}
	s := &sqliteStream{rows: rows, vals: make([]any, len(sel)-1)}
	s.dest = append(s.dest, &s.n)
	for i := range s.vals {
		s.dest = append(s.dest, &s.vals[i])
	}
	r.rows = s
	return nil
}

type sqliteStream struct {
	rows *sql.Rows
	n    int64
	vals []any
	dest []any
}

func (s *sqliteStream) next() (int64, []any, bool, error) {
	if !s.rows.Next() {
		return 0, nil, false, s.rows.Err()
	}
	if err := s.rows.Scan(s.dest...); err != nil {
		return 0, nil, false, err
	}
	return s.n, s.vals, true, nil
}

func (s *sqliteStream) close() error { return s.rows.Close() }

// sqliteMagic starts every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

// checkSQLiteHeader rejects files that are not SQLite, or are cut short,
// before the driver sees them. The driver would say "file is not a database"
// without the path, or, for a truncated file, stream the first pages and fail
// (or silently stop) somewhere in the middle.
func checkSQLiteHeader(path string) error {
	f, err := files.OpenRegular(path)
	if err != nil {
		return err // names the file
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() == 0 {
		return fmt.Errorf("%s: empty file, not an SQLite database", path)
	}
	var h [100]byte
	if _, err := io.ReadFull(f, h[:]); err != nil || !bytes.Equal(h[:16], []byte(sqliteMagic)) {
		return fmt.Errorf("%s: not an SQLite database (the file does not start with the SQLite header)", path)
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return fmt.Errorf("%s: not a valid SQLite database (page size %d in the header)", path, pageSize)
	}
	// The page count at offset 28 is trustworthy only when the change counter
	// (24) equals the version-valid-for number (92); SQLite's own rule.
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	if pages > 0 && bytes.Equal(h[24:28], h[92:96]) && st.Size() < pages*pageSize {
		return fmt.Errorf("%s: truncated SQLite database: the header says %d pages of %d bytes (%d bytes) but the file has %d bytes",
			path, pages, pageSize, pages*pageSize, st.Size())
	}
	return nil
}

// tableColumns lists a table's columns; none if the table does not exist.
func tableColumns(ctx context.Context, db *sql.DB, table string) ([]column, error) {
	rows, err := db.QueryContext(ctx, "SELECT name, type FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, fmt.Errorf("reading the columns of table %s: %w", table, err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var name, decl sql.NullString
		if err := rows.Scan(&name, &decl); err != nil {
			return nil, fmt.Errorf("reading the columns of table %s: %w", table, err)
		}
		cols = append(cols, column{name: name.String, decl: strings.ToUpper(strings.TrimSpace(decl.String))})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the columns of table %s: %w", table, err)
	}
	return cols, nil
}

func hasColumn(cols []column, name string) bool {
	for _, c := range cols {
		if c.name == name {
			return true
		}
	}
	return false
}

// loadSQLiteAliases reads the alias pairs: tag_aliases when the file has it,
// else the anime-pictures tags.alias id column, else none.
func (r *Reader) loadSQLiteAliases(ctx context.Context, db *sql.DB, tagCols []column, overrides map[string]string) error {
	path := r.site.Path
	aliasCols, err := tableColumns(ctx, db, "tag_aliases")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var x *aliasIndex
	var q string
	switch {
	case len(aliasCols) > 0:
		if !hasColumn(aliasCols, "alias") || !hasColumn(aliasCols, "tag") {
			return fmt.Errorf("%s: table tag_aliases has columns (%s), want alias and tag", path, columnList(aliasCols))
		}
		x = newAliasIndex("tag_aliases rowid ", true)
		q = "SELECT rowid, +" + sqlitedb.QuoteIdent("alias") + ", +" + sqlitedb.QuoteIdent("tag") +
			" FROM " + sqlitedb.QuoteIdent("tag_aliases") + " ORDER BY rowid"
	case r.lay.aliasID:
		if !hasColumn(tagCols, "id") {
			return fmt.Errorf("%s: table tags has an alias column but no id column for it to point at", path)
		}
		x = newAliasIndex("tags rowid ", false)
		tag, alias, id := sqlitedb.QuoteIdent(r.lay.tag), sqlitedb.QuoteIdent("alias"), sqlitedb.QuoteIdent("id")
		// LEFT JOIN so that an alias id with no tags row is reported, not
		// silently dropped. A duplicated id gives several candidates, which
		// resolve like any other conflict.
		q = "SELECT a.rowid, +a." + tag + ", +t." + tag + ", t.rowid IS NOT NULL, +a." + alias +
			" FROM " + sqlitedb.QuoteIdent("tags") + " AS a LEFT JOIN " + sqlitedb.QuoteIdent("tags") +
			" AS t ON t." + id + " = a." + alias +
			" WHERE a." + alias + " IS NOT NULL AND a." + alias + " <> 0 ORDER BY a.rowid, t.rowid"
	default:
		return nil
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("%s: reading aliases: %w", path, err)
	}
	defer rows.Close()
	var n int64
	var alias, canonical, aliasID any
	found := true
	dest := []any{&n, &alias, &canonical}
	if r.lay.aliasID && len(aliasCols) == 0 {
		dest = append(dest, &found, &aliasID)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("%s: reading aliases at %s: %w", path, x.pos(n), err)
		}
		if !found {
			id, _ := text(aliasID)
			r.skip(x.pos(n), fmt.Sprintf("alias id %s has no tags row", id))
			continue
		}
		r.addPair(x, n, alias, canonical)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: reading aliases after %s: %w", path, x.pos(n), err)
	}
	r.resolveAliases(x, overrides)
	return nil
}

func columnList(cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = fmt.Sprintf("%q", c.name)
	}
	return strings.Join(names, ", ")
}
