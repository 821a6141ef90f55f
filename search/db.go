package search

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/tagdb/tagdb-action/internal/prefixtop"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// DB is a read-only tag database opened for queries. It is safe for
// concurrent use: it keeps a small pool of read-only connections.
type DB struct {
	db *sql.DB

	formatName map[int]string // TAG_FORMATS
	formatID   map[string]int
	formatList []int                    // all format ids, ascending
	populated  map[int]bool             // formats with at least one status row
	typeName   map[[2]int]string        // (format_id, type_id) -> type name
	typeIDs    map[string]map[int][]int // type name -> format_id -> type_ids
	typeNames  []string

	hasTagFTS, hasTranslationFTS bool
	countRows                    int64    // about how many TAG_USAGE_COUNTS rows there are
	strategy                     strategy // tests force a ranking strategy

	match, load, translations *sql.Stmt

	// prefixDepth is how many tags TAG_PREFIX_TOP holds per prefix (0: no
	// table, or an empty one): Prefix reads it for limits up to that.
	prefixDepth int

	// stmts caches the prepared statements of the queries built per filter:
	// preparing one costs about as much as running it on a short prefix.
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// maxCachedStmts bounds the statement cache: filters are combinations of a
// few formats and types, so a program uses a handful; one that builds
// unbounded variants still prepares each, without caching.
const maxCachedStmts = 256

// Open opens the tag database at path read-only and loads the small master
// tables (formats, type names) into memory. The file must carry the reader
// indexes of the current schema; `tagdb migrate` adds them to an older one.
func Open(ctx context.Context, path string) (*DB, error) {
	// The file is never written: mode=ro plus query_only. The larger page
	// cache and the memory map matter for lookups on a multi-gigabyte file,
	// where each query touches a few dozen random pages.
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	dsn := sqlitedb.DSN(path, sqlitedb.ReadOnly) + "&_pragma=cache_size(-32768)&_pragma=mmap_size(2147418112)"
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Read-only connections never contend for a lock, so concurrent callers
	// (an autocomplete box and a prompt check) each get their own.
	n := min(runtime.GOMAXPROCS(0), 4)
	sdb.SetMaxOpenConns(n)
	sdb.SetMaxIdleConns(n)
	d := &DB{db: sdb, stmts: map[string]*sql.Stmt{}}
	if err := d.init(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return d, nil
}

// Close releases the connections.
func (d *DB) Close() error {
	d.mu.Lock()
	for _, st := range d.stmts {
		st.Close()
	}
	d.stmts = nil
	d.mu.Unlock()
	for _, st := range []*sql.Stmt{d.match, d.load, d.translations} {
		if st != nil {
			st.Close()
		}
	}
	return d.db.Close()
}

// query runs a query built at run time through the statement cache and calls
// fn for every row.
func (d *DB) query(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	d.mu.Lock()
	st := d.stmts[query]
	d.mu.Unlock()
	if st == nil {
		var err error
		if st, err = d.db.PrepareContext(ctx, query); err != nil {
			return err
		}
		d.mu.Lock()
		if old := d.stmts[query]; old != nil {
			st.Close()
			st = old
		} else if len(d.stmts) < maxCachedStmts {
			d.stmts[query] = st
		} else {
			defer st.Close()
		}
		d.mu.Unlock()
	}
	return stmtEach(ctx, st, args, fn)
}

func (d *DB) init(ctx context.Context) error {
	if err := d.db.PingContext(ctx); err != nil {
		return err
	}
	have := map[string]bool{}
	err := queryEach(ctx, d.db, `SELECT name FROM sqlite_master WHERE type = 'index'`, nil, func(r *sql.Rows) error {
		var name string
		err := r.Scan(&name)
		have[name] = true
		return err
	})
	if err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	// Without these reader indexes (migrations/0005) the queries would read
	// whole tables: refuse the file rather than answer in seconds what
	// should take a millisecond.
	var missing []string
	for _, name := range []string{"ix_tags_tag_nocase", "ix_tags_source_tag_nocase",
		"ix_translations_translation_nocase", "ix_usage_counts_count", "ix_usage_counts_tag_format_count"} {
		if !have[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing reader indexes %s (a file from an older schema?): run `tagdb migrate --db FILE` on a copy first",
			strings.Join(missing, ", "))
	}
	d.formatName, d.formatID = map[int]string{}, map[string]int{}
	err = queryEach(ctx, d.db, `SELECT format_id, format_name FROM TAG_FORMATS ORDER BY format_id`, nil, func(r *sql.Rows) error {
		var id int
		var name string
		if err := r.Scan(&id, &name); err != nil {
			return err
		}
		d.formatName[id], d.formatID[name] = name, id
		d.formatList = append(d.formatList, id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read TAG_FORMATS: %w", err)
	}
	d.typeName, d.typeIDs = map[[2]int]string{}, map[string]map[int][]int{}
	err = queryEach(ctx, d.db, `SELECT m.format_id, m.type_id, n.type_name
		FROM TAG_TYPE_FORMAT_MAPPING m JOIN TAG_TYPE_NAME n ON n.type_name_id = m.type_name_id
		ORDER BY m.format_id, m.type_id`, nil, func(r *sql.Rows) error {
		var f, t int
		var name string
		if err := r.Scan(&f, &t, &name); err != nil {
			return err
		}
		d.typeName[[2]int{f, t}] = name
		if d.typeIDs[name] == nil {
			d.typeIDs[name] = map[int][]int{}
		}
		d.typeIDs[name][f] = append(d.typeIDs[name][f], t)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read TAG_TYPE_FORMAT_MAPPING: %w", err)
	}
	err = queryEach(ctx, d.db, `SELECT type_name FROM TAG_TYPE_NAME ORDER BY type_name`, nil, func(r *sql.Rows) error {
		var name string
		err := r.Scan(&name)
		d.typeNames = append(d.typeNames, name)
		return err
	})
	if err != nil {
		return fmt.Errorf("read TAG_TYPE_NAME: %w", err)
	}
	err = queryEach(ctx, d.db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)`,
		[]any{tagFTSTable, translationFTSTable}, func(r *sql.Rows) error {
			var name string
			if err := r.Scan(&name); err != nil {
				return err
			}
			d.hasTagFTS = d.hasTagFTS || name == tagFTSTable
			d.hasTranslationFTS = d.hasTranslationFTS || name == translationFTSTable
			return nil
		})
	if err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	if d.prefixDepth, err = readPrefixDepth(ctx, d.db); err != nil {
		return fmt.Errorf("read %s: %w", prefixtop.Table, err)
	}
	d.populated = map[int]bool{}
	for _, id := range d.formatList {
		var has bool
		if err := d.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM TAG_STATUS WHERE format_id = ?)`, id).Scan(&has); err != nil {
			return fmt.Errorf("read TAG_STATUS: %w", err)
		}
		d.populated[id] = has
	}
	// max(rowid) is read from the end of the B-tree; a count(*) would scan.
	if err := d.db.QueryRowContext(ctx, `SELECT coalesce(max(rowid), 0) FROM TAG_USAGE_COUNTS`).Scan(&d.countRows); err != nil {
		return fmt.Errorf("read TAG_USAGE_COUNTS: %w", err)
	}
	for _, s := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&d.match, matchSQL},
		{&d.load, loadSQL},
		{&d.translations, translationsSQL},
	} {
		if *s.dst, err = d.db.PrepareContext(ctx, s.query); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
	}
	return nil
}

// formatNames lists the known format names in id order, for error messages.
func (d *DB) formatNames() []string {
	out := make([]string, 0, len(d.formatList))
	for _, id := range d.formatList {
		out = append(out, d.formatName[id])
	}
	return out
}

// Formats lists the database's formats (TAG_FORMATS.format_name) by id.
func (d *DB) Formats() []string { return d.formatNames() }

// Types lists the type names (TAG_TYPE_NAME.type_name), sorted.
func (d *DB) Types() []string { return append([]string(nil), d.typeNames...) }

// HasSubstringIndex reports whether the file carries the trigram index made
// by CreateSubstringIndex.
func (d *DB) HasSubstringIndex() bool { return d.hasTagFTS }

// queryEach runs query and calls fn for every row.
func queryEach(ctx context.Context, db *sql.DB, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, query, args...)
	return sqlitedb.EachRow(rows, err, fn)
}

// stmtEach is queryEach for a prepared statement.
func stmtEach(ctx context.Context, st *sql.Stmt, args []any, fn func(*sql.Rows) error) error {
	rows, err := st.QueryContext(ctx, args...)
	return sqlitedb.EachRow(rows, err, fn)
}
