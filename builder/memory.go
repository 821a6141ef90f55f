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
	// minBudget is the least budget a build can work in: SQLite's page
	// caches, the slack, and the resident window of a spilled merge state.
	// Below it even a spilling build would not fit.
	minBudget = 4*sqliteMergeCache + runtimeSlack + spillWindow
)

// stateShare is how much of Go's share the merge state's big tables (chunks,
// arenas, hash tables, sort keys: chunkSource) may take from the heap before
// they spill: 9/16 of it, 450 MiB of the default budget. The rest of Go's
// share is for what is allocated around them (the readers' batches, the
// base's id map) and the collector's headroom; and once the state spills,
// the budget Go does not use is what the spilled pages may keep resident
// (mappedWindow), so the share is kept well below Go's whole limit.
func stateShare(limit int64) int64 {
	return (limit - sqliteMergeCache - runtimeSlack) * 9 / 16
}

func newMemoryBudget(ctx context.Context, db *sql.DB, limit int64) (*memoryBudget, error) {
	b := &memoryBudget{limit: limit}
	if limit <= 0 {
		return b, nil
	}
	if limit < minBudget {
		return nil, fmt.Errorf("memory limit %d MiB is too small: a build needs at least %d MiB, even with its merge state spilled to disk", limit/mib, minBudget/mib)
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
//
// Go still allocates in the finish step: TAG_PREFIX_TOP ranks every tag
// (4 bytes per tag id, and the walk) while it reads them all. That room is
// set aside for Go from SQLite's part, and Go's soft limit is lowered to what
// it holds plus that room: with the limit left where the merge needed it, the
// collector let Go's heap grow past its part while SQLite had the rest, and a
// scale-2 build peaked at 1214 MiB of a 1024 MiB budget in this step.
func (b *memoryBudget) forSQLite(ctx context.Context, db *sql.DB, tags int64, pr *progress.Reporter) error {
	debug.FreeOSMemory()
	if b.limit <= 0 {
		return nil
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	goHeld := int64(ms.Sys - ms.HeapReleased)
	goRoom := finishGoRoom + 8*tags
	share := max(b.limit-goHeld-goRoom-runtimeSlack, 2*sqliteMergeCache)
	cache := min(sqliteIndexCache, int64(float64(share)/indexMemFactor))
	if b.restore {
		debug.SetMemoryLimit(goHeld + goRoom)
	}
	pr.Printf("memory: Go holds %d MiB and keeps %d MiB of room; SQLite gets %d MiB (page cache %d MiB) of the %d MiB budget",
		goHeld/mib, goRoom/mib, share/mib, cache/mib, b.limit/mib)
	return setCache(ctx, db, cache)
}

// finishGoRoom is the room Go keeps in the finish step besides 8 bytes per
// tag: the rows it reads, validation's queries, the reports.
const finishGoRoom = 64 * mib

// stateSource is where the merge state's memory comes from: Go's heap up to
// the state's share of the budget (heap > 0 overrides it; tests use a tiny
// one), then a spill file at path. The spill's resident pages get what the
// rest of the process leaves of the budget (mappedWindow).
func (b *memoryBudget) stateSource(path string, heap int64, pr *progress.Reporter) *chunkSource {
	pass := int64(0)
	switch {
	case heap > 0:
		pass = 64 << 10 // a tiny state gets tiny sorting passes too: many of them
	case b.limit > 0:
		heap = stateShare(b.limit)
	default:
		heap = -1
	}
	src := newChunkSource(heap, path, pr)
	src.rssLimit = max(b.limit, 0)
	src.pass = pass
	src.onSpill = func() {
		// Past its share the state no longer grows on the heap, and the
		// runtime would keep freed memory up to its limit: an eighth of
		// Go's share (100 MiB of the default budget) is better used to keep
		// the spilled pages resident.
		if b.restore {
			goShare := b.limit - sqliteMergeCache - runtimeSlack
			debug.SetMemoryLimit(goShare - goShare/8)
		}
	}
	return src
}

// restoreGo puts back Go's memory limit; safe to call twice.
func (b *memoryBudget) restoreGo() {
	if b.restore {
		debug.SetMemoryLimit(b.prevGo)
		b.restore = false
	}
}
