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
// past the budget. SQLite's side is bounded by the page cache size alone:
// this SQLite is built without memory statistics, which its soft heap limit
// needs, and each sorter list may grow to the cache size.
type memoryBudget struct {
	limit   int64
	prevGo  int64
	restore bool
}

const (
	mib = 1 << 20
	// sqliteMergeCache is SQLite's page cache while Go holds the merge
	// state: sorted appends touch few pages.
	sqliteMergeCache = 64 * mib
	// runtimeSlack is what neither side accounts for: the program, stacks,
	// the readers' buffers, SQLite's allocator overhead while appending, and
	// the heap Go has freed but not yet returned. Measured on the scale-1.0
	// build: with 96 MiB the write phase peaked at 1000 MiB RSS of a 1024
	// MiB budget, too close.
	runtimeSlack = 160 * mib
	// sqliteIndexCache caps the page cache of the index phase.
	sqliteIndexCache = 256 * mib
	// indexMemFactor is SQLite's peak memory while indexing over its cache
	// size, measured on full-size builds (about 4.2 with two sort threads:
	// the cache, one sorter list per thread, allocator slack), rounded up.
	indexMemFactor = 4.5
)

func newMemoryBudget(ctx context.Context, db *sql.DB, limit int64) (*memoryBudget, error) {
	b := &memoryBudget{limit: limit}
	if limit <= 0 {
		return b, nil
	}
	if limit < 4*sqliteMergeCache+runtimeSlack {
		return nil, fmt.Errorf("memory limit %d MiB is too small (at least %d MiB)", limit/mib, (4*sqliteMergeCache+runtimeSlack)/mib)
	}
	b.prevGo = debug.SetMemoryLimit(limit - sqliteMergeCache - runtimeSlack)
	b.restore = true
	return b, setCache(ctx, db, sqliteMergeCache)
}

func setCache(ctx context.Context, db *sql.DB, bytes int64) error {
	q := fmt.Sprintf(`PRAGMA main.cache_size = -%d`, bytes/1024)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("%s: %w", q, err)
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
	share := max(b.limit-goHeld-runtimeSlack, 2*sqliteMergeCache)
	cache := min(sqliteIndexCache, int64(float64(share)/indexMemFactor))
	pr.Printf("memory: Go holds %d MiB; SQLite gets %d MiB (page cache %d MiB) of the %d MiB budget", goHeld/mib, share/mib, cache/mib, b.limit/mib)
	return setCache(ctx, db, cache)
}

// restoreGo puts back Go's memory limit; safe to call twice.
func (b *memoryBudget) restoreGo() {
	if b.restore {
		debug.SetMemoryLimit(b.prevGo)
		b.restore = false
	}
}
