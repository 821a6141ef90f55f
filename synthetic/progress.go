package synthetic

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress writes plain lines (the generator runs in CI logs and under
// bench/run.sh, where a redrawn line would only garble the output). Workers
// share it, hence the mutex.
type progress struct {
	w  io.Writer
	mu sync.Mutex
}

// progressEvery is how often a long file reports rows/s and an ETA.
const progressEvery = 5 * time.Second

func (p *progress) printf(format string, a ...any) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", a...)
}

type task struct {
	p     *progress
	name  string
	total int
	start time.Time
	last  time.Time
}

func (p *progress) start(name string, total int) *task {
	now := time.Now()
	p.printf("gen: %s: start, %d rows", name, total)
	return &task{p: p, name: name, total: total, start: now, last: now}
}

// at reports that done rows of the file are written.
func (t *task) at(done int) {
	now := time.Now()
	if now.Sub(t.last) < progressEvery || done == 0 {
		return
	}
	t.last = now
	el := now.Sub(t.start).Seconds()
	rate := float64(done) / el
	eta := time.Duration(float64(t.total-done)/rate) * time.Second
	t.p.printf("gen: %s: %d/%d rows (%.0f%%), %s rows/s, ETA %s", t.name, done, t.total,
		100*float64(done)/float64(max(1, t.total)), human(rate), eta.Round(time.Second))
}

func (t *task) done(rows int64) {
	el := time.Since(t.start)
	t.p.printf("gen: %s: done, %d rows in %s (%s rows/s)", t.name, rows, el.Round(time.Millisecond),
		human(float64(rows)/el.Seconds()))
}

// human formats a rate as 950, 12.3k or 1.25M.
func human(x float64) string {
	switch {
	case x >= 1e6:
		return fmt.Sprintf("%.2fM", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.1fk", x/1e3)
	}
	return fmt.Sprintf("%.0f", x)
}
