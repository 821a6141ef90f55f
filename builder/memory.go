package builder

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/tagdb/tagdb-action/internal/progress"
)

// memoryBudget splits a build's memory between Go and SQLite by phase.
// Reading and merging hold the whole merge state in Go while SQLite only
// appends (a small page cache is enough); the index builds after that are
// SQLite sorts, which run faster with more memory, while Go holds almost
// nothing. Go's soft limit makes the collector work harder instead of growing
// past the budget; SQLite's soft heap limit makes its cache and sorter spill
// to disk earlier.
type memoryBudget struct {
	limit          int64
	prevGo         int64
	prevSQLite     int64
	restoreSQLite  bool
	restoreGoLimit bool
}

const (
	mib = 1 << 20
	// sqliteMergeCache is SQLite's share while Go holds the merge state:
	// sorted appends touch few pages.
	sqliteMergeCache = 64 * mib
	// runtimeSlack is what neither limit covers: the program, stacks, the
	// readers' buffers.
	runtimeSlack = 48 * mib
	// sqliteIndexCache caps the page cache of the index phase; the sorters
	// take their memory from the same heap limit.
	sqliteIndexCache = 256 * mib
)

func newMemoryBudget(ctx context.Context, db *sql.DB, limit int64) (*memoryBudget, error) {
	b := &memoryBudget{limit: limit}
	if limit <= 0 {
		return b, nil
	}
	if limit < 4*sqliteMergeCache {
		return nil, fmt.Errorf("memory limit %d MiB is too small (at least %d MiB)", limit/mib, 4*sqliteMergeCache/mib)
	}
	b.prevGo = debug.SetMemoryLimit(limit - 2*sqliteMergeCache - runtimeSlack)
	b.restoreGoLimit = true
	if err := db.QueryRowContext(ctx, `PRAGMA soft_heap_limit`).Scan(&b.prevSQLite); err != nil {
		return nil, err
	}
	b.restoreSQLite = true
	return b, b.setSQLite(ctx, db, sqliteMergeCache, 2*sqliteMergeCache)
}

// setSQLite sets the page cache of the build's connection and SQLite's
// process-wide soft heap limit.
func (b *memoryBudget) setSQLite(ctx context.Context, db *sql.DB, cache, heap int64) error {
	for _, q := range []string{
		fmt.Sprintf(`PRAGMA main.cache_size = -%d`, cache/1024),
		fmt.Sprintf(`PRAGMA soft_heap_limit = %d`, heap),
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// forSQLite hands the memory Go no longer needs to SQLite for the index
// builds. Without a limit it only returns Go's freed memory to the system.
func (b *memoryBudget) forSQLite(ctx context.Context, db *sql.DB, pr *progress.Reporter) error {
	debug.FreeOSMemory()
	if b.limit <= 0 {
		return nil
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	goHeld := int64(ms.Sys - ms.HeapReleased)
	heap := max(b.limit-goHeld-runtimeSlack, 2*sqliteMergeCache)
	cache := min(sqliteIndexCache, heap/2)
	pr.Printf("memory: Go holds %d MiB; SQLite gets %d MiB (page cache %d MiB) of the %d MiB budget", goHeld/mib, heap/mib, cache/mib, b.limit/mib)
	return b.setSQLite(ctx, db, cache, heap)
}

// restore puts back the limits the build found; call it while db is open.
// It is safe to call twice.
func (b *memoryBudget) restore(ctx context.Context, db *sql.DB) {
	if b.restoreGoLimit {
		debug.SetMemoryLimit(b.prevGo)
		b.restoreGoLimit = false
	}
	if b.restoreSQLite && db != nil {
		db.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA soft_heap_limit = %d`, b.prevSQLite))
		b.restoreSQLite = false
	}
}
