package datadiff

import (
	"context"
	"database/sql"
	"fmt"
)

// batchSize rows travel from a reader goroutine to the merge at a time: large
// enough that channel hand-offs cost nothing, small enough that the few
// batches in flight stay well under a megabyte.
const batchSize = 2048

type batch[T any] struct {
	rows []T
	err  error
}

// cursor streams the rows of one ordered query. The query runs in its own
// goroutine, so the two files of a comparison are read on two cores while
// the merge consumes them. It checks that the rows really arrive in strictly
// increasing key order: a merge join over unordered input would report
// phantom changes.
type cursor[T any] struct {
	what   string
	ch     <-chan batch[T]
	cancel context.CancelFunc
	cmp    func(a, b *T) int
	rows   []T
	i      int
	prev   T
	seen   bool
	done   bool
	err    error
}

func openCursor[T any](ctx context.Context, db *sql.DB, what, query string, cmp func(a, b *T) int, scan func(*sql.Rows, *T) error) *cursor[T] {
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan batch[T], 2)
	go func() {
		defer close(ch)
		send := func(b batch[T]) bool {
			select {
			case ch <- b:
				return true
			case <-ctx.Done():
				return false
			}
		}
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			send(batch[T]{err: fmt.Errorf("%s: %w", what, err)})
			return
		}
		defer rows.Close()
		buf := make([]T, 0, batchSize)
		for rows.Next() {
			var v T
			if err := scan(rows, &v); err != nil {
				send(batch[T]{err: fmt.Errorf("%s: row %d: %w", what, len(buf)+1, err)})
				return
			}
			if buf = append(buf, v); len(buf) == batchSize {
				if !send(batch[T]{rows: buf}) {
					return
				}
				buf = make([]T, 0, batchSize)
			}
		}
		if err := rows.Err(); err != nil {
			send(batch[T]{err: fmt.Errorf("%s: %w", what, err)})
			return
		}
		if len(buf) > 0 {
			send(batch[T]{rows: buf})
		}
	}()
	c := &cursor[T]{what: what, ch: ch, cancel: cancel, cmp: cmp}
	c.fill()
	return c
}

// fill makes rows[i] the current row, fetching the next batch when needed.
func (c *cursor[T]) fill() {
	for !c.done && c.i >= len(c.rows) {
		b, ok := <-c.ch
		switch {
		case !ok:
			c.done = true
		case b.err != nil:
			c.err, c.done = b.err, true
		default:
			c.rows, c.i = b.rows, 0
		}
	}
	if c.done || c.err != nil {
		return
	}
	cur := &c.rows[c.i]
	if c.seen && c.cmp(&c.prev, cur) >= 0 {
		c.err, c.done = fmt.Errorf("%s: rows are not in strictly increasing key order", c.what), true
	}
}

// peek returns the current row, or nil at the end (or after an error).
func (c *cursor[T]) peek() *T {
	if c.done {
		return nil
	}
	return &c.rows[c.i]
}

// next moves past the current row.
func (c *cursor[T]) next() {
	if c.done {
		return
	}
	c.prev, c.seen = c.rows[c.i], true
	c.i++
	c.fill()
}

// close stops the reader goroutine and returns the first error met.
func (c *cursor[T]) close() error {
	c.cancel()
	for range c.ch {
	}
	return c.err
}
