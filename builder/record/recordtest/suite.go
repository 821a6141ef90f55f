package recordtest

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/builder/record"
)

// Adapter is one record.Source implementation under test.
type Adapter struct {
	// Open opens the input a case wrote into dir, reading batch rows per
	// Next and reporting to ev. It opens the same file for every case (a
	// case writes what the adapter reads).
	Open func(ctx context.Context, dir string, batch int, ev record.Events) (record.Source, error)
	// Ordered lists the position prefixes ("line ", "tags rowid ") under
	// which the adapter promises file order: the numbers after one prefix
	// must increase from row to row.
	Ordered []string
	// Cases are the inputs. Run adds the hostile inputs every reader must
	// refuse (hostile.go) when Input is set; only the adapter's tests know how
	// to write valid files.
	Cases []Case
	// Input is the file Open reads, relative to a case's folder.
	Input string
	// SQLiteTables, for an adapter that reads an SQLite file at Input, are
	// the tables it reads: Run adds cases where each is a view.
	SQLiteTables []string
	// Parquet says the file at Input is Parquet: Run adds files whose
	// footer claims more than the file holds.
	Parquet bool
}

// Case is one input and its outcome.
type Case struct {
	Name string
	// Files are written into the case's folder before Open: path relative
	// to the folder → content.
	Files map[string]string
	// Setup, if set, writes inputs that are not text (an SQLite file, a
	// Parquet file) into dir after Files.
	Setup func(t testing.TB, dir string)

	// OpenErr, if set, says Open fails with an error containing it.
	OpenErr string
	// ReadErr, if set, says a Next fails with an error containing it (a
	// position, for an error in the middle of a file). Rows then lists the
	// rows before the error; a reader with larger batches may return only
	// the first of them (the failed batch is not returned).
	ReadErr string
	// Rows are the rows as RowString renders them, in order.
	Rows []string
	// Skips are the rows reported as skipped, as "POS: REASON"; nil for
	// none.
	Skips []string
}

// batchSizes are the batch sizes every case is read with: one row per batch
// (every boundary), a small odd size, and more than any case has.
var batchSizes = []int{1, 3, 4096}

// Run checks every case of a against the rules of record.Source.
//
// Every case checks that reading leaves its input folder as it was: no file
// changed, none created (an SQLite -shm, -wal or -journal), none removed.
func Run(t *testing.T, a Adapter) {
	base := firstClean(a.Cases)
	cases := append(append([]Case(nil), a.Cases...), hostileCases(a, base)...)
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			dir := t.TempDir()
			writeCase(t, tc, dir)
			before := Snapshot(t, dir)
			for _, n := range batchSizes {
				t.Run("batch"+strconv.Itoa(n), func(t *testing.T) { checkCase(t, a, tc, dir, n) })
			}
			if tc.OpenErr == "" && len(tc.Rows) > 1 {
				t.Run("cancel", func(t *testing.T) { checkCancel(t, a, dir) })
			}
			if tc.OpenErr == "" && len(tc.Rows) > 0 {
				t.Run("cancelled before open", func(t *testing.T) { checkCancelledOpen(t, a, dir) })
			}
			CheckUnchanged(t, before, Snapshot(t, dir))
		})
	}
}

// checkCase reads the case's input with batch rows per Next.
func checkCase(t *testing.T, a Adapter, tc Case, dir string, batch int) {
	ev := &Events{}
	src, err := openWithin(t, a, context.Background(), dir, batch, ev)
	if tc.OpenErr != "" {
		if err == nil {
			src.Close()
			t.Fatalf("Open succeeded, want an error containing %q", tc.OpenErr)
		}
		checkErr(t, "Open", err, tc.OpenErr, dir)
		return
	}
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	rows, readErr := drain(t, src, batch)
	if tc.ReadErr != "" {
		if readErr == nil {
			t.Errorf("Next never failed, want an error containing %q", tc.ReadErr)
		} else {
			checkErr(t, "Next", readErr, tc.ReadErr, dir)
			// The error stays: a caller that calls again must not read
			// io.EOF, which would say the input ended cleanly.
			if _, again := src.Next(); again == nil || errors.Is(again, io.EOF) {
				t.Errorf("Next after the error = %v, want the error again", again)
			}
		}
	} else if readErr != nil {
		t.Errorf("Next: %v", readErr)
	} else {
		for i := range 2 {
			if b, err := src.Next(); !errors.Is(err, io.EOF) || len(b) != 0 {
				t.Errorf("Next call %d after io.EOF = %d rows, %v; want io.EOF", i+1, len(b), err)
			}
		}
	}
	if err := src.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := src.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if tc.ReadErr != "" && batch > 1 && len(rows) <= len(tc.Rows) {
		// Rows read into the batch that failed are not returned, so with
		// batches of more than one row fewer of the rows before the error
		// arrive; with one row per batch, all of them do.
		DiffLines(t, "rows before the error", rows, tc.Rows[:len(rows)])
	} else {
		DiffLines(t, "rows", rows, tc.Rows)
	}
	DiffLines(t, "skipped rows", ev.SkipLines(), tc.Skips)
	checkOrder(t, a.Ordered, rows)
}

// drain reads src to its end or first error, checking each batch and
// rendering rows as they arrive: a batch is valid only until the next call.
func drain(t *testing.T, src record.Source, batch int) ([]string, error) {
	var rows []string
	for {
		b, err := src.Next()
		if errors.Is(err, io.EOF) {
			if len(b) != 0 {
				t.Errorf("Next returned %d rows with io.EOF", len(b))
			}
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		if len(b) == 0 || len(b) > batch {
			t.Errorf("Next returned a batch of %d rows, want 1 to %d", len(b), batch)
		}
		for _, r := range b {
			if r.Pos == "" {
				t.Errorf("row without a position: %s", RowString(r))
			}
			rows = append(rows, RowString(r))
		}
	}
}

// checkCancel cancels the context after the first batch: the next Next must
// fail with an error that wraps context.Canceled and names the input.
func checkCancel(t *testing.T, a Adapter, dir string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src, err := a.Open(ctx, dir, 1, record.Discard{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer src.Close()
	if _, err := src.Next(); err != nil {
		t.Fatalf("first Next: %v", err)
	}
	cancel()
	_, err = src.Next()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Next after cancel = %v, want context.Canceled", err)
	}
	checkErr(t, "Next after cancel", err, "", dir)
	if err := src.Close(); err != nil {
		t.Errorf("Close after cancel: %v", err)
	}
}

// openTimeout is how long Open may take on any case input: they are all
// small, so a longer Open is one that blocks (a FIFO, an endless query).
const openTimeout = 30 * time.Second

// openWithin calls a.Open, failing t if it does not return in openTimeout.
func openWithin(t *testing.T, a Adapter, ctx context.Context, dir string, batch int, ev record.Events) (record.Source, error) {
	t.Helper()
	type result struct {
		src record.Source
		err error
	}
	done := make(chan result, 1)
	go func() {
		src, err := a.Open(ctx, dir, batch, ev)
		done <- result{src, err}
	}()
	select {
	case r := <-done:
		return r.src, r.err
	case <-time.After(openTimeout):
		t.Fatalf("Open did not return within %v", openTimeout)
		return nil, nil
	}
}

// checkCancelledOpen opens with a context that has already ended: Open or
// the first Next must fail with an error that wraps context.Canceled and
// names the input, before reading anything.
func checkCancelledOpen(t *testing.T, a Adapter, dir string) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src, err := openWithin(t, a, ctx, dir, 1, record.Discard{})
	if err == nil {
		defer src.Close()
		var b []record.Row
		b, err = src.Next()
		if len(b) != 0 {
			t.Errorf("Next with an ended context returned %d rows", len(b))
		}
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("reading with an ended context = %v, want context.Canceled", err)
	}
	checkErr(t, "reading with an ended context", err, "", dir)
}

// checkErr checks that err contains want and names a file in dir.
func checkErr(t *testing.T, what string, err error, want, dir string) {
	t.Helper()
	msg := err.Error()
	if !strings.Contains(msg, want) {
		t.Errorf("%s: %v, want an error containing %q", what, err, want)
	}
	if !strings.Contains(msg, dir) {
		t.Errorf("%s: %v does not name the input in %s", what, err, dir)
	}
}

// checkOrder checks that, under each prefix, position numbers increase.
func checkOrder(t *testing.T, prefixes []string, rows []string) {
	t.Helper()
	last := map[string]int64{}
	for _, r := range rows {
		for _, p := range prefixes {
			rest, ok := strings.CutPrefix(r, p)
			if !ok {
				continue
			}
			digits, _, _ := strings.Cut(rest, " ")
			n, err := strconv.ParseInt(digits, 10, 64)
			if err != nil {
				t.Errorf("row %s: position %q%q has no number", r, p, digits)
				continue
			}
			if prev, seen := last[p]; seen && n <= prev {
				t.Errorf("row %s comes after %s%d: positions out of order", r, p, prev)
			}
			last[p] = n
		}
	}
}
