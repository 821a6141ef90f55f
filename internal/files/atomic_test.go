package files

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dirNames lists a folder's entries, so each case can say exactly what must
// be left in it.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteAtomic(t *testing.T) {
	errFill := errors.New("fill failed")
	tests := []struct {
		name    string
		old     string // existing content of the final path ("" = none)
		fill    func(w io.Writer) error
		asDir   bool // the final path is a non-empty folder: the rename fails
		wantErr bool
		want    string // content of the final path afterwards
	}{
		{name: "new file", fill: func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, want: "new"},
		{name: "replaces", old: "old", fill: func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, want: "new"},
		{name: "empty", old: "old", fill: func(w io.Writer) error { return nil }, want: ""},
		{name: "failing writer keeps old", old: "old", wantErr: true, want: "old",
			fill: func(w io.Writer) error { io.WriteString(w, "half"); return errFill }},
		{name: "failing writer leaves nothing", wantErr: true,
			fill: func(w io.Writer) error { io.WriteString(w, "half"); return errFill }},
		{name: "rename fails", asDir: true, wantErr: true,
			fill: func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.txt")
			want := []string{}
			if tt.old != "" {
				if err := os.WriteFile(path, []byte(tt.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.asDir {
				if err := os.MkdirAll(filepath.Join(path, "x"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if tt.old != "" || tt.asDir || !tt.wantErr {
				want = append(want, "out.txt")
			}
			err := WriteAtomic(path, 0o644, tt.fill)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got := dirNames(t, dir); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("folder holds %v, want %v", got, want)
			}
			if tt.asDir || (tt.wantErr && tt.old == "") {
				return
			}
			if b, _ := os.ReadFile(path); string(b) != tt.want {
				t.Errorf("%s holds %q, want %q", path, b, tt.want)
			}
		})
	}
}

func TestWriteAtomicPassesFillError(t *testing.T) {
	errFill := errors.New("fill failed")
	err := WriteAtomic(filepath.Join(t.TempDir(), "f"), 0o644, func(io.Writer) error { return errFill })
	if !errors.Is(err, errFill) {
		t.Fatalf("err = %v, want the writer's error", err)
	}
	if err := WriteAtomic(filepath.Join(t.TempDir(), "missing", "f"), 0o644, func(io.Writer) error { return nil }); err == nil ||
		!strings.Contains(err.Error(), "missing") {
		t.Fatalf("a missing folder gave %v, want an error naming the path", err)
	}
}

func TestAtomicByName(t *testing.T) {
	// A writer that owns the file by name (as SQLite does) and leaves a
	// journal beside it: Abort removes both, Commit moves the file.
	for _, commit := range []bool{false, true} {
		t.Run(fmt.Sprint("commit=", commit), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "db.sqlite")
			a, err := Create(path, 0o600)
			if err != nil {
				t.Fatal(err)
			}
			if ok, _ := regexp.MatchString(`^db\.sqlite\.tmp-\d+-[0-9a-f]{8}$`, filepath.Base(a.Name())); !ok {
				t.Errorf("temporary name %s", a.Name())
			}
			if err := os.WriteFile(a.Name(), []byte("data"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(a.Name()+"-journal", nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if commit {
				if err := os.Remove(a.Name() + "-journal"); err != nil {
					t.Fatal(err)
				}
				if err := a.Commit(); err != nil {
					t.Fatal(err)
				}
				st, err := os.Stat(path)
				if err != nil || st.Mode().Perm() != 0o600 {
					t.Fatalf("final file: %v, %v", st, err)
				}
				if err := a.Commit(); err == nil {
					t.Error("a second Commit succeeded")
				}
			}
			a.Abort()
			want := ""
			if commit {
				want = "db.sqlite"
			}
			if got := strings.Join(dirNames(t, dir), ","); got != want {
				t.Errorf("folder holds %q, want %q", got, want)
			}
		})
	}
}
