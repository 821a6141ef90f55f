package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder stands in for *testing.T to see what Assert reports.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

// assert runs Assert on r in its own goroutine, so that Fatalf's Goexit ends
// only that goroutine.
func assert(r *recorder, got, path string) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		AssertString(r, got, path)
	}()
	<-done
}

func TestAssert(t *testing.T) {
	if Update() {
		t.Skip("with -update Assert writes instead of comparing")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "out.golden")
	if err := os.WriteFile(path, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, got string
		wantErr         string // "" for a pass
		fatal           bool
	}{
		{"equal", path, "a\nb\n", "", false},
		{"changed line", path, "a\nc\n", "line 2:\nwant \"b\"\n got \"c\"", false},
		{"extra line", path, "a\nb\nc\n", "line 3:", false},
		{"missing newline", path, "a\nb", "line 3:", false},
		{"no golden file", filepath.Join(dir, "absent.golden"), "x", "go test -update creates it", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			assert(r, tc.got, tc.path)
			if tc.wantErr == "" {
				if len(r.errors) != 0 {
					t.Fatalf("unexpected failure: %v", r.errors)
				}
				return
			}
			if len(r.errors) != 1 || !strings.Contains(r.errors[0], tc.wantErr) {
				t.Fatalf("errors = %q, want one containing %q", r.errors, tc.wantErr)
			}
			if r.fatal != tc.fatal {
				t.Errorf("fatal = %v, want %v", r.fatal, tc.fatal)
			}
		})
	}
}

func TestFirstDiff(t *testing.T) {
	for _, tc := range []struct{ want, got, diff string }{
		{"", "", ""},
		{"x\n", "x\n", ""},
		{"x\ny", "x\nz", "line 2:\nwant \"y\"\n got \"z\""},
		{"x", "x\n", "line 2:\nwant (end of file)\n got \"\""},
	} {
		if d := FirstDiff(tc.want, tc.got); d != tc.diff {
			t.Errorf("FirstDiff(%q, %q) = %q, want %q", tc.want, tc.got, d, tc.diff)
		}
	}
}
