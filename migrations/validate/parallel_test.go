package validate

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// pool opens a fresh file with the read-only pool tagdb validate uses.
func pool(t *testing.T, setup ...string) *sql.DB {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.sqlite")
	w, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append([]string{`CREATE TABLE t (x)`}, setup...) {
		if _, err := w.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	w.Close()
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Two tasks that each wait for the other finish only if they run at once.
func TestRunTasksInParallel(t *testing.T) {
	db := pool(t)
	a, b := make(chan struct{}), make(chan struct{})
	meet := func(mine, other chan struct{}) func(context.Context, *sql.Conn) error {
		return func(ctx context.Context, c *sql.Conn) error {
			close(mine)
			select {
			case <-other:
				return nil
			case <-time.After(10 * time.Second):
				return errors.New("the other task never started")
			}
		}
	}
	tasks := []task{{name: "a", cost: 1, run: meet(a, b)}, {name: "b", cost: 2, run: meet(b, a)}}
	if err := runTasks(context.Background(), db, 2, tasks, nil); err != nil {
		t.Fatal(err)
	}
}

// The biggest task starts first; with one connection the order is by cost.
func TestRunTasksBiggestFirst(t *testing.T) {
	db := pool(t)
	var order []string
	rec := func(name string) func(context.Context, *sql.Conn) error {
		return func(context.Context, *sql.Conn) error { order = append(order, name); return nil }
	}
	tasks := []task{{"small", 1, rec("small")}, {"big", 100, rec("big")}, {"medium", 10, rec("medium")}}
	if err := runTasks(context.Background(), db, 1, tasks, nil); err != nil {
		t.Fatal(err)
	}
	if want := []string{"big", "medium", "small"}; !reflect.DeepEqual(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
}

// A failing task stops the others, and its error, not the cancellation it
// caused, is returned.
func TestRunTasksFirstError(t *testing.T) {
	db := pool(t)
	tasks := []task{
		{name: "waits", cost: 2, run: func(ctx context.Context, c *sql.Conn) error {
			<-ctx.Done()
			return ctx.Err()
		}},
		{name: "fails", cost: 1, run: func(context.Context, *sql.Conn) error { return errors.New("boom") }},
	}
	err := runTasks(context.Background(), db, 2, tasks, nil)
	if err == nil || !strings.Contains(err.Error(), "fails: boom") {
		t.Errorf("err = %v", err)
	}
}

// A caller's cancellation is returned even when no task ran: results of
// tasks that never ran must not read as "nothing found".
func TestRunTasksCancelled(t *testing.T) {
	db := pool(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	tasks := []task{{name: "t", cost: 1, run: func(context.Context, *sql.Conn) error { ran = true; return nil }}}
	if err := runTasks(ctx, db, 1, tasks, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v (task ran: %v)", err, ran)
	}
}

func TestWorkers(t *testing.T) {
	db := pool(t) // 4 connections
	one := pool(t)
	one.SetMaxOpenConns(1)
	for _, tt := range []struct {
		db          *sql.DB
		want, tasks int
		out         int
	}{
		{db, 2, 10, 2}, {db, 8, 10, 4}, {db, 3, 2, 2}, {one, 8, 10, 1}, {db, 2, 0, 1},
	} {
		if got := workers(tt.db, tt.want, tt.tasks); got != tt.out {
			t.Errorf("workers(want %d, %d tasks) = %d, want %d", tt.want, tt.tasks, got, tt.out)
		}
	}
}

// Only valid common values are skipped row by row; a common bad value stays
// in the scan's condition and is counted.
func TestPrepareISOCommonValues(t *testing.T) {
	db := pool(t,
		`CREATE TABLE d (id INTEGER PRIMARY KEY, c DATETIME)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
		 INSERT INTO d (id, c) SELECT i, CASE WHEN i % 3 = 0 THEN '2024-02-30' WHEN i > 2000 THEN '2026-01-01 00:00:00' ELSE '2024-05-05 05:05:05' END FROM n`)
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sc := &ruleScan{table: "d"}
	r := rule{table: "d", isoCol: "c"}
	if err := sc.prepareISO(context.Background(), c, &r); err != nil {
		t.Fatal(err)
	}
	// Both valid values are common in some window: the later one only in
	// the last third of the rowids.
	want := []any{"2024-05-05 05:05:05", "2026-01-01 00:00:00"}
	if !reflect.DeepEqual(r.args, want) {
		t.Errorf("skipped values %v, want %v", r.args, want)
	}
	var n int64
	if err := c.QueryRowContext(context.Background(), `SELECT count(*) FROM d WHERE `+r.where, r.args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1000 {
		t.Errorf("%d offenders, want 1000", n)
	}
}
