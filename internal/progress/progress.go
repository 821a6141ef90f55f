package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Mode is how progress is drawn.
type Mode int

const (
	// Off draws nothing.
	Off Mode = iota
	// Terminal redraws one line in place.
	Terminal
	// Lines prints a line every Interval (CI logs, files).
	Lines
	// Actions is Lines plus ::group:: sections for the Actions log viewer.
	Actions
)

// Detect picks the mode for w: Actions when GITHUB_ACTIONS=true, Terminal for
// a character device (also behind writers with an Unwrap method), Lines
// otherwise.
func Detect(w io.Writer, getenv func(string) string) Mode {
	if w == nil {
		return Off
	}
	if getenv != nil && getenv("GITHUB_ACTIONS") == "true" {
		return Actions
	}
	// A wrapper (the command line's token redactor) says what it writes to.
	for {
		u, ok := w.(interface{ Unwrap() io.Writer })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return Terminal
		}
	}
	return Lines
}

// Reporter writes progress for one run.
type Reporter struct {
	w        io.Writer
	mode     Mode
	interval time.Duration
	now      func() time.Time
	mu       sync.Mutex
}

// New returns a Reporter writing to w in mode.
func New(w io.Writer, mode Mode) *Reporter {
	iv := 10 * time.Second
	if mode == Terminal {
		iv = 250 * time.Millisecond
	}
	return &Reporter{w: w, mode: mode, interval: iv, now: time.Now}
}

// Printf writes one plain line (ending the live line first on a terminal).
func (r *Reporter) Printf(format string, a ...any) {
	if r == nil || r.mode == Off {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.w, format+"\n", a...)
}

// Group opens a collapsible section in Actions logs (a header line elsewhere).
func (r *Reporter) Group(title string) {
	if r == nil || r.mode == Off {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mode == Actions {
		fmt.Fprintf(r.w, "::group::%s\n", title)
		return
	}
	fmt.Fprintf(r.w, "== %s\n", title)
}

// EndGroup closes the section Group opened.
func (r *Reporter) EndGroup() {
	if r == nil || r.mode != Actions {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintln(r.w, "::endgroup::")
}

// Task is one unit of work with a row counter. total may be 0 when unknown;
// with a total the line shows an ETA.
type Task struct {
	r     *Reporter
	name  string
	unit  string // what is counted: "rows", or "bytes" for transfers
	total int64
	start time.Time
	mu    sync.Mutex
	done  int64
	stop  chan struct{}
	wg    sync.WaitGroup
}

// Start begins a task counting rows and, unless the mode is Off, a ticker
// that redraws it.
func (r *Reporter) Start(name string, total int64) *Task { return r.start(name, "rows", total) }

// StartBytes is Start for a task counting bytes (a download, a copy).
func (r *Reporter) StartBytes(name string, total int64) *Task { return r.start(name, "bytes", total) }

func (r *Reporter) start(name, unit string, total int64) *Task {
	t := &Task{r: r, name: name, unit: unit, total: total, stop: make(chan struct{})}
	if r == nil || r.mode == Off {
		return t
	}
	t.start = r.now()
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		tick := time.NewTicker(r.interval)
		defer tick.Stop()
		for {
			select {
			case <-t.stop:
				return
			case <-tick.C:
				t.draw()
			}
		}
	}()
	return t
}

// Add counts n more rows (or bytes); a negative n takes back what a failed
// attempt counted.
func (t *Task) Add(n int64) {
	t.mu.Lock()
	t.done += n
	t.mu.Unlock()
}

// SetTotal sets the expected number of rows once it is known.
func (t *Task) SetTotal(total int64) {
	t.mu.Lock()
	t.total = total
	t.mu.Unlock()
}

// Done ends the task and prints its final line with the summary.
func (t *Task) Done(summary string) {
	if t.r == nil || t.r.mode == Off {
		return
	}
	close(t.stop)
	t.wg.Wait()
	t.mu.Lock()
	done := t.done
	t.mu.Unlock()
	el := t.r.now().Sub(t.start)
	line := fmt.Sprintf("%s: %s %s in %s (%s %s/s)", t.name, human(done), t.unit, el.Round(10*time.Millisecond), human(rate(done, el)), t.unit)
	if summary != "" {
		line += "; " + summary
	}
	t.r.taskLine(line, "\n")
}

func (t *Task) draw() {
	t.mu.Lock()
	done, total := t.done, t.total
	t.mu.Unlock()
	el := t.r.now().Sub(t.start)
	rps := rate(done, el)
	line := fmt.Sprintf("%s: %s %s, %s %s/s, %s", t.name, human(done), t.unit, human(rps), t.unit, el.Round(time.Second))
	if total > 0 {
		pct := float64(done) * 100 / float64(total)
		if pct > 100 {
			pct = 100
		}
		line = fmt.Sprintf("%s: %s/%s %s (%.0f%%), %s %s/s, %s", t.name, human(done), human(total), t.unit, pct, human(rps), t.unit, el.Round(time.Second))
		if rps > 0 && done < total {
			eta := time.Duration(float64(total-done) / float64(rps) * float64(time.Second))
			line += ", ETA " + eta.Round(time.Second).String()
		}
	}
	t.r.taskLine(line, "")
}

// taskLine writes a task's progress line: on a terminal it replaces the line
// drawn last (end "\n" keeps it, "" lets the next draw replace it); elsewhere
// each line stands on its own.
func (r *Reporter) taskLine(line, end string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mode == Terminal {
		fmt.Fprintf(r.w, "\r\033[K%s%s", line, end)
		return
	}
	fmt.Fprintln(r.w, line)
}

func rate(n int64, d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(float64(n) / d.Seconds())
}

func human(n int64) string {
	switch {
	case n >= 10_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 100_000:
		return fmt.Sprintf("%.0fk", float64(n)/1e3)
	default:
		return fmt.Sprintf("%d", n)
	}
}
