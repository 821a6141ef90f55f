package tabular

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record"
)

// events records what an adapter reports.
type events struct{ skips []record.Skip }

func (e *events) Skipped(s record.Skip)         { e.skips = append(e.skips, s) }
func (e *events) Conflict(record.AliasConflict) {}

func (e *events) strings() []string {
	out := make([]string, len(e.skips))
	for i, s := range e.skips {
		out[i] = s.Pos + ": " + s.Reason
	}
	return out
}

// rowString renders a row on one line, listing only what is set, so that
// expectations read like the data.
func rowString(r record.Row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q", r.Pos, r.Tag)
	if r.Normalized {
		fmt.Fprintf(&b, " norm src=%q", r.SourceTag)
	}
	if r.Format == record.NoFormat {
		b.WriteString(" nofmt")
	} else {
		fmt.Fprintf(&b, " f%d", r.Format)
	}
	if r.Type != record.UnknownType {
		fmt.Fprintf(&b, " t%d", r.Type)
	}
	if r.HasCount {
		fmt.Fprintf(&b, " c%d", r.Count)
	}
	if r.Deprecated {
		b.WriteString(" dep")
	}
	if len(r.Aliases) > 0 {
		fmt.Fprintf(&b, " aliases=%q", r.Aliases)
	}
	if r.AliasOf != "" {
		fmt.Fprintf(&b, " of=%q", r.AliasOf)
	}
	if r.CreatedAt != "" {
		fmt.Fprintf(&b, " created=%q", r.CreatedAt)
	}
	if r.UpdatedAt != "" {
		fmt.Fprintf(&b, " updated=%q", r.UpdatedAt)
	}
	for _, t := range r.Translations {
		fmt.Fprintf(&b, " %s=%q", t.Lang, t.Text)
	}
	return b.String()
}

// readAll opens path as kind and drains it, rendering rows as they arrive
// (batches are reused, so rows must not be kept).
func readAll(t testing.TB, kind Kind, path string, opts Options) (rows []string, ev *events, err error) {
	t.Helper()
	ev = &events{}
	opts.Events = ev
	src, err := Open(context.Background(), kind, path, opts)
	if err != nil {
		return nil, ev, err
	}
	defer src.Close()
	for {
		batch, err := src.Next()
		if errors.Is(err, io.EOF) {
			return rows, ev, nil
		}
		if err != nil {
			return rows, ev, err
		}
		if len(batch) == 0 {
			return rows, ev, errors.New("Next returned an empty batch without io.EOF")
		}
		for _, r := range batch {
			rows = append(rows, rowString(r))
		}
	}
}

func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// repoRoot is the module root, two levels above this package.
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// sharedData returns /work/shared/data (../shared/data from the repo root), or
// skips the test when it is absent.
func sharedData(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(repoRoot(t), "..", "shared", "data", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	return p
}

func diffLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	n := max(len(got), len(want))
	bad := false
	for i := 0; i < n; i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			if !bad {
				t.Errorf("%s differ:", what)
				bad = true
			}
			t.Errorf("  #%d\n   got: %s\n  want: %s", i, g, w)
		}
	}
}
