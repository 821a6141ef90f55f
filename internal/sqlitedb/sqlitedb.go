package sqlitedb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Mode says what a connection is for.
type Mode int

const (
	// ReadWrite is for migrations and small edits: default durability.
	ReadWrite Mode = iota
	// ReadOnly opens an existing file without ever writing to it.
	ReadOnly
	// Bulk is for a build into a temporary file that is discarded on failure:
	// no journal, no fsync, a large page cache. Never use it on a file a user owns.
	Bulk
)

// Open opens path in the given mode.
func Open(ctx context.Context, path string, mode Mode) (*sql.DB, error) {
	if mode == ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	dsn := DSN(path, mode)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Writers get one connection, so PRAGMAs, temp tables and transactions
	// all apply to the same SQLite connection. Readers may scan in parallel.
	conns := 1
	if mode == ReadOnly {
		conns = 4
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// DSN builds the modernc connection string for path and mode.
func DSN(path string, mode Mode) string {
	q := url.Values{}
	switch mode {
	case ReadOnly:
		q.Set("mode", "ro")
		q.Add("_pragma", "query_only(1)")
	case Bulk:
		q.Add("_pragma", "journal_mode(OFF)")
		q.Add("_pragma", "synchronous(OFF)")
		q.Add("_pragma", "cache_size(-262144)") // 256 MiB
		q.Add("_pragma", "temp_store(FILE)")
		q.Add("_pragma", "locking_mode(EXCLUSIVE)")
	default:
		q.Add("_pragma", "busy_timeout(5000)")
	}
	// url.PathEscape would turn '/' into %2F; SQLite URIs want a plain path with
	// only '?' and '#' escaped.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + p + "?" + q.Encode()
}

// QuoteIdent quotes an SQL identifier. Identifiers that come from input files
// (site column names such as trans_zh-CN, table names) always pass through here.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// EachRow calls fn for every row of a query's result (rows, err as
// QueryContext returns them) and closes it: the one row loop of the readers.
func EachRow(rows *sql.Rows, err error, fn func(*sql.Rows) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
