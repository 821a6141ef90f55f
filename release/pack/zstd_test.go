package pack

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/golden"
)

// multiJobFixture writes tag-list-like text that spans three of the
// sections the zstd encoder compresses in parallel (4 windows each, the
// library's job size), so that section boundaries, the overlap prefixes and
// the ordered flush are all exercised.
func multiJobFixture(t *testing.T, dir string) (path string, content []byte) {
	t.Helper()
	const section = 4 * zstdWindow
	path = fixture(t, dir, 2*section+2<<20)
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, content
}

// TestZstdSameBytesWhateverTheWorkers guards the reproducible releases: the
// same input must give the same asset and SHA256SUMS line on a one-core
// runner, on a four-core runner and on a second run on the same machine
// (workers pick sections in a different order each time). The golden file
// pins the bytes themselves: it changes only when the encoder does (a new
// klauspost/compress or new options), which changes every published
// checksum and so deserves a deliberate `go test -update`.
func TestZstdSameBytesWhateverTheWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("compresses 34 MiB eight times")
	}
	dir := t.TempDir()
	src, _ := multiJobFixture(t, dir)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var pinned strings.Builder
	for _, m := range []Method{Zstd, ZstdFast} {
		var first string
		for i, procs := range []int{2, 1, 4, 2} {
			runtime.GOMAXPROCS(procs)
			out, err := Compress(context.Background(), src, filepath.Join(dir, fmt.Sprintf("out-%s-%d.zst", m, i)), m)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = out.SHA256
				fmt.Fprintf(&pinned, "%s  %s\n", first, m)
			} else if out.SHA256 != first {
				t.Errorf("%s: run %d with GOMAXPROCS=%d gave sha256 %s, run 0 with GOMAXPROCS=2 gave %s", m, i, procs, out.SHA256, first)
			}
		}
	}
	golden.Check(t, "zstd-multijob.sha256.golden", []byte(pinned.String()))
}

// TestZstdStandardFrame checks the published file with the reference
// implementation, as a user downloading the release would: one frame with a
// content checksum that `zstd -d` verifies and decodes to the input, for a
// tag-shaped SQLite database and for text spanning three parallel sections.
func TestZstdStandardFrame(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a SQLite file and compresses 34 MiB")
	}
	zstdCLI, err := exec.LookPath("zstd")
	if err != nil {
		t.Skip("zstd command not installed")
	}
	text, _ := multiJobFixture(t, t.TempDir())
	inputs := []struct{ name, path string }{
		{"sqlite", benchDB(t, 1)},
		{"three-sections", text},
	}
	for _, in := range inputs {
		orig, err := os.ReadFile(in.path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []Method{Zstd, ZstdFast} {
			t.Run(in.name+"/"+string(m), func(t *testing.T) {
				dst := filepath.Join(t.TempDir(), "out.zst")
				if _, err := Compress(context.Background(), in.path, dst, m); err != nil {
					t.Fatal(err)
				}
				info, err := exec.Command(zstdCLI, "-lv", dst).CombinedOutput()
				if err != nil {
					t.Fatalf("zstd -lv %s: %v\n%s", dst, err, info)
				}
				for _, want := range []string{"# Zstandard Frames: 1\n", "Window Size: 4.00 MiB", "Check: XXH64"} {
					if !strings.Contains(string(info), want) {
						t.Errorf("zstd -lv %s does not say %q:\n%s", dst, want, info)
					}
				}
				var stdout, stderr bytes.Buffer
				cmd := exec.Command(zstdCLI, "-d", "-q", "-c", dst)
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("zstd -d %s: %v\n%s", dst, err, stderr.Bytes())
				}
				if !bytes.Equal(stdout.Bytes(), orig) {
					t.Errorf("zstd -d gave %d bytes that differ from the %d-byte input", stdout.Len(), len(orig))
				}
			})
		}
	}
}
