package builder

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/tagdb/tagdb-action/internal/progress"
)

// spillTree is miniTree with enough rows that the merge state spans several
// chunks of every kind and the tag table grows past its first size.
func spillTree(t *testing.T) string {
	var dan, e6, ja strings.Builder
	dan.WriteString("1girl,0,600,\"1girls,sole_female\"\nlong_hair,0,400,longhair\ncat_ears,0,50,nekomimi\n")
	for i := range 70_000 {
		fmt.Fprintf(&dan, "tag_%d,%d,%d,\"alias_%d\"\n", i, i%5, 70_000-i, i)
	}
	for i := 0; i < 70_000; i += 3 {
		fmt.Fprintf(&e6, "tag_%d,%d,%d,\n", i, i%7, i)
	}
	for i := 0; i < 70_000; i += 4 {
		fmt.Fprintf(&ja, "tag_%d,訳%d\n", i, i)
	}
	return writeTree(t, map[string]string{
		"sources.yml": miniManifest,
		"dan.csv":     dan.String(),
		"e6.csv":      e6.String(),
		"ja.csv":      ja.String(),
		"free.csv":    "solo,0,300,\nlong_hair,0,100,\n",
	})
}

// lockedLog is a build log a test can read while the build writes it.
type lockedLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedLog) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

var spilledLine = regexp.MustCompile(`memory: (\d+) MiB of the merge state was spilled to disk`)

// TestSpillSameBytes: a merge state that spills to disk, in part or from the
// first chunk, gives the same file and the same id map as one held in
// memory, with and without a base.
func TestSpillSameBytes(t *testing.T) {
	dir := spillTree(t)
	plainOut := filepath.Join(t.TempDir(), "plain.sqlite")
	plain := build(t, dir, "all", plainOut, func(o *Options) { o.IDMap = plainOut + ".ids.zst" })
	for _, c := range []struct {
		name  string
		after int64
		base  bool
	}{
		{"all spilled", 1, false},
		{"past 2 MiB", 2 << 20, false},
		{"all spilled, on a base", 1, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, wantMap := plain.SHA256, plainOut+".ids.zst"
			base := ""
			if c.base {
				base = plainOut
				unspilled := filepath.Join(t.TempDir(), "unspilled.sqlite")
				wantMap = unspilled + ".ids.zst"
				want = build(t, dir, "all", unspilled, func(o *Options) { o.Base, o.IDMap = base, wantMap }).SHA256
			}
			log := &lockedLog{}
			out := filepath.Join(t.TempDir(), "spilled.sqlite")
			gotMap := filepath.Join(t.TempDir(), "spilled.ids.zst") // assertNoTemps lists out's folder
			// The spill file is gone before the indexes are built.
			var atFinish []string
			sawFinish := false
			finish := onLog{"== finish", func() {
				sawFinish = true
				atFinish, _ = filepath.Glob(out + ".state-*")
			}}
			res := build(t, dir, "all", out, func(o *Options) {
				o.spillAfter, o.Base, o.IDMap = c.after, base, gotMap
				o.Progress = progress.New(io.MultiWriter(log, finish), progress.Lines)
			})
			if !sawFinish {
				t.Errorf("the log never said == finish:\n%s", log)
			}
			if len(atFinish) > 0 {
				t.Errorf("the spill file is still there when the finish step starts: %q", atFinish)
			}
			m := spilledLine.FindStringSubmatch(log.String())
			if m == nil {
				t.Fatalf("the build did not say it spilled:\n%s", log)
			}
			if res.SHA256 != want {
				t.Errorf("spilled build: sha256 %s, in memory %s", res.SHA256, want)
			}
			got, err := os.ReadFile(gotMap)
			if err != nil {
				t.Fatal(err)
			}
			if w, err := os.ReadFile(wantMap); err != nil {
				t.Fatal(err)
			} else if !bytes.Equal(got, w) {
				t.Errorf("spilled build: id map of %d bytes differs from the one in memory (%d bytes)", len(got), len(w))
			}
			assertNoTemps(t, out)
		})
	}
}

// TestSpillGoneAfterFailure: the spill file goes with the rest of a failed
// build's temporary files, whatever step fails.
func TestSpillGoneAfterFailure(t *testing.T) {
	dir := spillTree(t)
	boom := errors.New("boom")
	for _, c := range []struct {
		name string
		mod  func(o *Options, cancel context.CancelFunc)
	}{
		{"post-process error", func(o *Options, _ context.CancelFunc) {
			o.PostProcess = func(context.Context, *sql.DB) error { return boom }
		}},
		{"cancelled once spilling", func(o *Options, cancel context.CancelFunc) {
			o.Progress = progress.New(onLog{"what follows goes to", cancel}, progress.Lines)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, old := relOutDir(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			o := testOptions(t, dir, "all", out, func(o *Options) { o.spillAfter = 1 })
			c.mod(&o, cancel)
			if _, err := Build(ctx, o); err == nil {
				t.Fatal("the build did not fail")
			}
			relAssertOnlyOut(t, out, old)
		})
	}
}

// onLog calls fn when a build's log says the text.
type onLog struct {
	text string
	fn   func()
}

func (c onLog) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(c.text)) {
		c.fn()
	}
	return len(p), nil
}

// assertNoTemps checks that only out is left in its folder.
func assertNoTemps(t *testing.T, out string) {
	t.Helper()
	ents, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() != filepath.Base(out) {
			t.Errorf("left beside the output: %s", e.Name())
		}
	}
}

// TestMemoryLimitTooSmall: the refusal names the figure a build needs.
func TestMemoryLimitTooSmall(t *testing.T) {
	_, err := newMemoryBudget(context.Background(), nil, minBudget-mib)
	want := fmt.Sprintf("memory limit %d MiB is too small: a build needs at least %d MiB", minBudget/mib-1, minBudget/mib)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want %q", err, want)
	}
}

// TestMappedWindow: the mapped state may use what the rest of the process
// leaves of the budget, less half the margin, and always half the margin.
func TestMappedWindow(t *testing.T) {
	const budget = 1024 * mib
	for _, tc := range []struct {
		name                        string
		total, file, limit, reserve int64
		want                        int64
	}{
		{"no budget: the fixed window", 900 * mib, 100 * mib, 0, 0, spillWindow / 2},
		{"no budget, a sort running: the fixed window", 900 * mib, 100 * mib, 0, sortReserve, spillWindow / 2},
		{"room left in the budget", 700 * mib, 100 * mib, budget, 0, budget - spillWindow/2 - 600*mib},
		{"a sort running keeps its room", 700 * mib, 100 * mib, budget, sortReserve, budget - spillWindow/2 - 600*mib - sortReserve},
		{"two sorts running", 700 * mib, 100 * mib, budget, 2 * sortReserve, budget - spillWindow/2 - 600*mib - 2*sortReserve},
		{"the rest of the process fills the budget", 1100 * mib, 50 * mib, budget, 0, spillWindow / 2},
		{"a sort never takes the least window", 900 * mib, 50 * mib, budget, sortReserve, spillWindow / 2},
		{"mapped pages do not count against themselves", 1000 * mib, 400 * mib, budget, 0, budget - spillWindow/2 - 600*mib},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mappedWindow(tc.total, tc.file, tc.limit, tc.reserve); got != tc.want {
				t.Errorf("mappedWindow(%d MiB, %d MiB, %d MiB, %d MiB) = %d MiB, want %d MiB", tc.total/mib, tc.file/mib, tc.limit/mib, tc.reserve/mib, got/mib, tc.want/mib)
			}
		})
	}
}

// TestScanRecs: a read-only walk gives every record in order with its index,
// from chunks on the heap, mapped chunks and a mix, and sees a change made
// through At before it.
func TestScanRecs(t *testing.T) {
	for _, tc := range []struct {
		name string
		heap int64 // the state's share of Go's heap; -1: no limit
	}{
		{"on the heap", -1},
		{"all spilled", 1},
		{"first chunks on the heap, the rest spilled", 3 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := newChunkSource(tc.heap, filepath.Join(t.TempDir(), "state"), nil)
			defer src.release()
			c := chunked[statusRec]{src: src, cold: true}
			n := 5<<chunkBits + 123 // full chunks and a partial one
			for i := range n {
				c.Append(statusRec{tag: uint32(i), pref: uint32(3 * i), format: uint8(i % 7)})
			}
			if tc.heap > 0 && src.OnDisk() == 0 {
				t.Fatal("nothing was spilled")
			}
			c.At(n - 2).pref = 7 // through the mapping, when spilled
			next := 0
			scanRecs(src, &c, func(i int, r *statusRec) {
				if i != next {
					t.Fatalf("record %d after %d", i, next-1)
				}
				next++
				want := statusRec{tag: uint32(i), pref: uint32(3 * i), format: uint8(i % 7)}
				if i == n-2 {
					want.pref = 7
				}
				if *r != want {
					t.Fatalf("record %d = %+v, want %+v", i, *r, want)
				}
			})
			if next != n {
				t.Fatalf("%d records, want %d", next, n)
			}
		})
	}
}
