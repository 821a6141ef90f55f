package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and regenerated fixtures under testdata/")

// Update reports whether the test run asked to rewrite golden files and other
// committed fixtures (go test -update). Tests that regenerate something other
// than one output file (a sample database, a reference file) check it.
func Update() bool { return *update }

// Assert compares got with the file at path. With -update it first writes got
// there (creating the folder), so a run with -update passes and leaves the
// new file for review.
func Assert(t testing.TB, got []byte, path string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (check the change, then go test -update rewrites it):\n%s",
			path, FirstDiff(string(want), string(got)))
	}
}

// AssertString is Assert for text.
func AssertString(t testing.TB, got, path string) {
	t.Helper()
	Assert(t, []byte(got), path)
}

// FirstDiff describes the first line where want and got differ, with line
// number, or returns "" when they are equal. A whole-file dump of a large
// golden file would hide the one line that matters.
func FirstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	line := func(l []string, i int) string {
		if i >= len(l) {
			return "(end of file)"
		}
		return strconv.Quote(l[i])
	}
	for i := 0; i < len(wl) || i < len(gl); i++ {
		if w, g := line(wl, i), line(gl, i); w != g {
			return fmt.Sprintf("line %d:\nwant %s\n got %s", i+1, w, g)
		}
	}
	return ""
}
