package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "db.sqlite")
	if err := os.WriteFile(src, bytes.Repeat([]byte("long_hair,0,123456\n"), 50_000), 0o644); err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`^method=(\S+) in_bytes=950000 out_bytes=(\d+) seconds=\S+ mb_per_s=\S+ sha256=([0-9a-f]{64})\n$`)
	tests := []struct {
		args       []string
		wantMethod string
	}{
		{nil, "zstd"}, // the release default
		{[]string{"-method", "zstd-fast"}, "zstd-fast"},
		{[]string{"-method", "gz"}, "gzip"},
		{[]string{"-method", "none"}, "none"},
	}
	for i, tt := range tests {
		t.Run(tt.wantMethod, func(t *testing.T) {
			dst := filepath.Join(dir, fmt.Sprintf("out%d", i))
			var out, errOut bytes.Buffer
			if err := run(append(tt.args, src, dst), &out, &errOut); err != nil {
				t.Fatalf("run: %v\n%s", err, errOut.String())
			}
			m := line.FindStringSubmatch(out.String())
			if m == nil {
				t.Fatalf("output %q does not match %s", out.String(), line)
			}
			packed, err := os.ReadFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(packed)
			if m[1] != tt.wantMethod || m[2] != fmt.Sprint(len(packed)) || m[3] != hex.EncodeToString(sum[:]) {
				t.Errorf("printed method %s, %s bytes, sha256 %s; want %s and the file's %d bytes, %x", m[1], m[2], m[3], tt.wantMethod, len(packed), sum)
			}
		})
	}
}

func TestRunRejects(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"only-src"}, "want SRC and DST, got 1"},
		{[]string{"-method", "xz", "a", "b"}, `-method: unknown compression "xz"`},
		{[]string{filepath.Join(t.TempDir(), "missing.sqlite"), "b"}, "missing.sqlite"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(tt.args, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
