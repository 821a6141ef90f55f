package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/tagdb/tagdb-action/internal/files"
)

// OpenUntrusted opens an input file that came from outside (a tags_db source,
// a site_tags tags.sqlite) for reading. Every reader of such a file goes
// through it, because the file decides what SQLite does:
//
//   - Only a regular file is opened (a FIFO would block the open forever).
//   - immutable=1 with mode=ro: SQLite takes no locks and creates no -shm,
//     -wal or -journal file in the input's folder. The price is that a -wal or
//     hot -journal beside the file would be ignored, so the file would read
//     as it was before its last writes; such a file is refused with a message
//     saying how to fold the log in, rather than read stale.
//   - trusted_schema=OFF and query_only: SQL functions and virtual tables in
//     the file's schema cannot run with side effects, and no statement writes.
//   - temp_store=MEMORY: sorts and automatic indexes never spill into the
//     temp folder, so no input can fill the disk. Their size is bounded by the
//     input's own rows because CheckTables refuses views (an endless recursive
//     view is the way to make a query produce more rows than the file holds).
//   - Queries run with the caller's context; modernc interrupts a running
//     statement when it is cancelled.
//
// Callers then pass the names of the tables they read to CheckTables.
func OpenUntrusted(ctx context.Context, path string) (*sql.DB, error) {
	if err := files.CheckRegular(path); err != nil {
		return nil, err
	}
	for _, side := range []string{"-wal", "-journal"} {
		st, err := os.Stat(path + side)
		if err == nil && st.Size() > 0 {
			return nil, fmt.Errorf("%s: has a %s file beside it (%s%s) with changes not yet in the database; "+
				"inputs are read without touching their folder, so fold the log in first (sqlite3 %s 'PRAGMA wal_checkpoint(TRUNCATE)' or open and close it once)",
				path, side, path, side, path)
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	db, err := sql.Open("sqlite", untrustedDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

func untrustedDSN(path string) string {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("immutable", "1")
	q.Add("_pragma", "trusted_schema(0)")
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "temp_store(MEMORY)")
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + p + "?" + q.Encode()
}

// CheckTables checks that each named object of the file, where it exists, is
// an ordinary table: not a view (which can run any query, an endless
// recursive one included), not a virtual table (whose module decides what a
// read does) and without generated columns (an expression evaluated per row).
// Names are matched without case, as SQLite resolves them. A missing name is
// not an error here; the caller knows which tables are optional.
func CheckTables(ctx context.Context, db *sql.DB, path string, names ...string) error {
	for _, name := range names {
		var typ, ddl sql.NullString
		err := db.QueryRowContext(ctx,
			`SELECT type, sql FROM sqlite_schema WHERE name = ? COLLATE NOCASE AND type IN ('table', 'view') ORDER BY type = 'table' DESC LIMIT 1`,
			name).Scan(&typ, &ddl)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: reading the schema: %w", path, err)
		}
		switch {
		case typ.String != "table":
			return fmt.Errorf("%s: %s is a %s, not a table: only tables are read from input files", path, name, typ.String)
		case strings.HasPrefix(strings.ToUpper(strings.Join(strings.Fields(ddl.String), " ")), "CREATE VIRTUAL TABLE"):
			return fmt.Errorf("%s: %s is a virtual table: only ordinary tables are read from input files", path, name)
		}
		var gen sql.NullString
		err = db.QueryRowContext(ctx, `SELECT name FROM pragma_table_xinfo(?) WHERE hidden IN (2, 3) LIMIT 1`, name).Scan(&gen)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s: reading the columns of %s: %w", path, name, err)
		}
		if gen.Valid {
			return fmt.Errorf("%s: column %q of table %s is generated: only stored columns are read from input files", path, gen.String, name)
		}
	}
	return nil
}
