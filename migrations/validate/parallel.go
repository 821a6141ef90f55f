package validate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
)

// SQLite's primary result codes (sqlite3.h).
const (
	sqliteError   = 1 // an SQL error: no such table or column
	sqliteCorrupt = 11
	sqliteNotADB  = 26
)

// task is one unit of the data checks: a query (or a few) that reads one
// table or one table's b-trees. Tasks are independent, so they run on as many
// connections as there are cores; each writes only its own results.
type task struct {
	name string
	cost float64 // expected work, used only to start the biggest tasks first
	run  func(ctx context.Context, c *sql.Conn) error
}

// workers is how many connections Run uses at once: one per core, no more
// than the pool allows (a one-connection pool runs everything in turn).
func workers(db *sql.DB, want, tasks int) int {
	n := want
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if limit := db.Stats().MaxOpenConnections; limit > 0 && n > limit {
		n = limit
	}
	if n > tasks {
		n = tasks
	}
	if n < 1 {
		n = 1
	}
	return n
}

// runTasks runs the tasks on n connections of db, biggest first: a shared
// queue ordered by cost is the longest-processing-time rule, which keeps both
// cores busy until the end as long as the last tasks are small. The first
// failure cancels the rest and is returned.
func runTasks(ctx context.Context, db *sql.DB, n int, tasks []task, trace func(string, time.Duration)) error {
	order := make([]int, len(tasks))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return tasks[order[a]].cost > tasks[order[b]].cost })

	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first error
	)
	// fail keeps the first real failure, not the cancellations it causes.
	fail := func(err error) {
		mu.Lock()
		if first == nil || (errors.Is(first, context.Canceled) && !errors.Is(err, context.Canceled)) {
			first = err
		}
		mu.Unlock()
		cancel()
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := db.Conn(ctx)
			if err != nil {
				fail(fmt.Errorf("connect: %w", err))
				return
			}
			defer conn.Close()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(order) {
					return
				}
				t := tasks[order[i]]
				start := time.Now()
				if err := t.run(ctx, conn); err != nil {
					fail(fmt.Errorf("%s: %w", t.name, err))
					return
				}
				if trace != nil {
					trace(t.name, time.Since(start))
				}
			}
		}()
	}
	wg.Wait()
	// A cancelled caller gets its own error even when no task noticed it:
	// results of tasks that never ran must not read as "nothing found".
	if err := parent.Err(); err != nil {
		return err
	}
	return first
}

// isDamage reports whether err is SQLite finding the file damaged (a page
// that does not parse, a file that is not a database). A check that stops on
// it is a finding about the file, reported like any other problem; other
// errors (I/O, memory, a cancelled context) mean validation itself failed.
func isDamage(err error) bool {
	c := sqliteCode(err)
	return c == sqliteCorrupt || c == sqliteNotADB
}

// isSQLError reports an error in a statement itself, such as a column the
// file does not have.
func isSQLError(err error) bool { return sqliteCode(err) == sqliteError }

// sqliteCode is err's primary SQLite result code, 0 for other errors.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return 0
	}
	return se.Code() & 0xff
}
