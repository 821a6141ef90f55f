package progress

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuf) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func TestModes(t *testing.T) {
	for _, tc := range []struct {
		mode       Mode
		want, not  []string
		intervalMs int
	}{
		{mode: Actions, want: []string{"::group::load", "::endgroup::", "src: 3/10 rows (30%)", "src: 3 rows in"}},
		{mode: Lines, want: []string{"== load", "src: 3/10 rows (30%)", "ETA"}, not: []string{"::group::"}},
		{mode: Terminal, want: []string{"\r\033[K", "src: 3 rows in"}},
		{mode: Off, not: []string{"src"}},
	} {
		var buf lockedBuf
		r := New(&buf, tc.mode)
		r.interval = 5 * time.Millisecond
		r.Group("load")
		task := r.Start("src", 10)
		task.Add(3)
		time.Sleep(30 * time.Millisecond)
		task.Done("ok")
		r.EndGroup()
		out := buf.String()
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("mode %d: output lacks %q:\n%s", tc.mode, w, out)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("mode %d: output has %q:\n%s", tc.mode, n, out)
			}
		}
	}
}

func TestDetect(t *testing.T) {
	env := func(k string) string {
		if k == "GITHUB_ACTIONS" {
			return "true"
		}
		return ""
	}
	if got := Detect(&bytes.Buffer{}, env); got != Actions {
		t.Errorf("Detect in Actions = %v", got)
	}
	if got := Detect(&bytes.Buffer{}, func(string) string { return "" }); got != Lines {
		t.Errorf("Detect on a buffer = %v", got)
	}
	// /dev/null is a character device, as a terminal is; a wrapper that
	// says what it writes to (the token redactor) keeps it a terminal.
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer null.Close()
	noEnv := func(string) string { return "" }
	if got := Detect(null, noEnv); got != Terminal {
		t.Errorf("Detect on %s = %v", os.DevNull, got)
	}
	if got := Detect(unwrapper{unwrapper{null}}, noEnv); got != Terminal {
		t.Errorf("Detect behind two wrappers = %v", got)
	}
	if got := Detect(unwrapper{&bytes.Buffer{}}, noEnv); got != Lines {
		t.Errorf("Detect on a wrapped buffer = %v", got)
	}
}

type unwrapper struct{ w io.Writer }

func (u unwrapper) Write(p []byte) (int, error) { return u.w.Write(p) }
func (u unwrapper) Unwrap() io.Writer           { return u.w }

func TestStartBytes(t *testing.T) {
	var buf lockedBuf
	r := New(&buf, Lines)
	r.interval = 5 * time.Millisecond
	task := r.StartBytes("get", 100)
	task.Add(70)
	task.Add(-20) // a retried attempt takes its bytes back
	time.Sleep(30 * time.Millisecond)
	task.Done("")
	out := buf.String()
	for _, w := range []string{"get: 50/100 bytes (50%)", "bytes/s", "get: 50 bytes in"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "rows") {
		t.Errorf("a byte count is drawn as rows:\n%s", out)
	}
}
