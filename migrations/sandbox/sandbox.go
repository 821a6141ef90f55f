package sandbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// DefaultMaxGrowth is how much one migration may grow a database unless
// Limits say otherwise: room for an index or a rebuilt table on a published
// file, far below what fills a runner's disk or memory.
const DefaultMaxGrowth = 1 << 30

// Limits bound what one migration may do.
type Limits struct {
	// MaxGrowth is how many bytes one migration may add to the main and to
	// the temp database each (0: DefaultMaxGrowth).
	MaxGrowth int64
}

// DeniedPragmas may be read but not set: set, they would write
// outside the file (temp_store_directory, data_store_directory), lift the
// bounds (max_page_count, the heap and cache limits, mmap_size, temp_store),
// or edit or misstate the schema (writable_schema, schema_version,
// trusted_schema, cell_size_check, page_size, journal_mode, locking_mode,
// query_only). Migrations need none of them.
var DeniedPragmas = []string{
	"cache_size", "cache_spill", "cell_size_check", "data_store_directory", "hard_heap_limit", "journal_mode",
	"locking_mode", "max_page_count", "mmap_size", "page_size", "query_only", "schema_version", "soft_heap_limit",
	"temp_store", "temp_store_directory", "threads", "trusted_schema", "writable_schema",
}

// deniedFunctions are SQL functions that load code or install pointers.
var deniedFunctions = []string{"load_extension", "fts3_tokenizer"}

// Sandbox is the confinement of one database's connections. Use one per
// database: it remembers the last thing it refused, for Explain.
type Sandbox struct {
	limits Limits

	mu      sync.Mutex
	refused string // what the authorizer last refused, as a sentence
}

// New returns a sandbox with the given limits.
func New(l Limits) *Sandbox {
	if l.MaxGrowth <= 0 {
		l.MaxGrowth = DefaultMaxGrowth
	}
	return &Sandbox{limits: l}
}

// Open opens the scratch database at path (created when missing) for
// migrations to run in: defensive mode, one connection, no fsync (the file
// is thrown away). Install Setup on the connections that run migrations.
func Open(ctx context.Context, path string) (*sql.DB, error) {
	dsn := sqlitedb.DSN(path, sqlitedb.ReadWrite) + "&_defensive=1&_pragma=synchronous(OFF)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// One connection: the limits and the authorizer are per connection.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Setup confines conn: no attached databases, the size bound measured from
// the database's size now, and the authorizer. It fits
// migrations.WithConnSetup and may run on the same connection again (the
// provider takes it once per run).
func (s *Sandbox) Setup(ctx context.Context, conn *sql.Conn) error {
	// Our own PRAGMAs below are ones the authorizer refuses: lift it first.
	if err := register(conn, nil); err != nil {
		return err
	}
	if _, err := sqlite.Limit(conn, sqlite3.SQLITE_LIMIT_ATTACHED, 0); err != nil {
		return fmt.Errorf("sandbox: limit attached databases: %w", err)
	}
	for _, schemaName := range []string{"main", "temp"} {
		var pageSize, pages int64
		if err := conn.QueryRowContext(ctx, `PRAGMA `+schemaName+`.page_size`).Scan(&pageSize); err != nil {
			return fmt.Errorf("sandbox: %s page size: %w", schemaName, err)
		}
		if err := conn.QueryRowContext(ctx, `PRAGMA `+schemaName+`.page_count`).Scan(&pages); err != nil {
			return fmt.Errorf("sandbox: %s page count: %w", schemaName, err)
		}
		limit := pages + max(s.limits.MaxGrowth/pageSize, 1)
		// PRAGMA arguments cannot be bound; limit is an integer.
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA %s.max_page_count = %d`, schemaName, limit)); err != nil {
			return fmt.Errorf("sandbox: %s size limit: %w", schemaName, err)
		}
	}
	return register(conn, s.authorize)
}

func register(conn *sql.Conn, fn sqlite.AuthorizerFn) error {
	err := conn.Raw(func(dc any) error {
		r, ok := dc.(sqlite.AuthorizerRegisterer)
		if !ok {
			return fmt.Errorf("the SQLite driver (%T) offers no authorizer", dc)
		}
		return r.RegisterAuthorizer(fn)
	})
	if err != nil {
		return fmt.Errorf("sandbox: authorizer: %w", err)
	}
	return nil
}

// authorize is the SQLite authorizer: it runs while a statement is prepared
// and refuses it as a whole.
func (s *Sandbox) authorize(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
	var why string
	switch action {
	case sqlite.AuthAttach:
		why = "ATTACH is refused: a migration may not open or create another database file"
	case sqlite.AuthDetach:
		why = "DETACH is refused: a migration may not attach databases"
	case sqlite.AuthPragma:
		// arg2 is the value being set, "" for a read.
		if arg2 != "" && contains(DeniedPragmas, arg1) {
			why = fmt.Sprintf("PRAGMA %s = %s is refused: it reaches outside the database, lifts the check's limits or edits the schema behind SQLite's back", strings.ToLower(arg1), arg2)
		}
	case sqlite.AuthFunction:
		if contains(deniedFunctions, arg2) {
			why = fmt.Sprintf("%s() is refused: a migration may not load code", strings.ToLower(arg2))
		}
	}
	if why == "" {
		return sqlite.AuthorizerOK
	}
	s.mu.Lock()
	s.refused = why
	s.mu.Unlock()
	return sqlite.AuthorizerDeny
}

func contains(list []string, name string) bool {
	for _, n := range list {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// Explain says which rule of the sandbox err (from a statement run under it)
// comes from, "" when none: what the authorizer refused, the attach limit
// or the size bound.
func (s *Sandbox) Explain(err error) string {
	if err == nil {
		return ""
	}
	var se *sqlite.Error
	code := 0
	if errors.As(err, &se) {
		code = se.Code() & 0xff
	}
	msg := err.Error()
	switch {
	case code == sqlite3.SQLITE_AUTH || strings.Contains(msg, "not authorized"):
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.refused != "" {
			return "sandbox: " + s.refused
		}
		return "sandbox: the statement is refused"
	case strings.Contains(msg, "too many attached databases"):
		return "sandbox: ATTACH is refused: a migration may not open or create another database file"
	case code == sqlite3.SQLITE_FULL || strings.Contains(msg, "database or disk is full"):
		return fmt.Sprintf("sandbox: the migration grew the database by more than %s, the limit for one migration", size(s.limits.MaxGrowth))
	}
	return ""
}

// size renders a byte count for the messages.
func size(n int64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
