//go:build unix

package main

// Faults that need a real process (issue 6): a full disk, SIGKILL, SIGINT and
// SIGTERM in the middle of a build. They run the tagdb binary built once by
// TestBuildFaults, never the in-process run, because what is tested is what
// the operating system does to a process.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// relBigRows is the size of the generated tag list the signal cases
// interrupt: large enough that a build is still running a moment after its
// temporary file appears, small enough that the rerun to completion stays
// within a few seconds on a loaded 2-core machine.
const relBigRows = 60000

func TestBuildFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tagdb binary and runs builds in subprocesses")
	}
	bin := filepath.Join(t.TempDir(), "tagdb")
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool to build the binary: %v", err)
	}
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("full disk", func(t *testing.T) { relFullDisk(t, bin) })
	t.Run("SIGKILL then rerun", func(t *testing.T) { relKilled(t, bin) })
	t.Run("SIGINT", func(t *testing.T) { relInterrupted(t, bin, syscall.SIGINT) })
	t.Run("SIGTERM", func(t *testing.T) { relInterrupted(t, bin, syscall.SIGTERM) })
}

// relCommand is a tagdb build subprocess with a fixed build time.
func relCommand(bin string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH="+relEpoch)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

func relExitCode(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	t.Fatalf("run: %v", err)
	return -1
}

func relFullDisk(t *testing.T, bin string) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	sample, err := filepath.Abs(sampleManifest)
	if err != nil {
		t.Fatal(err)
	}
	// An unlimited build first: the base of the cases below, and the size the
	// limits are fractions of (so they follow the schema as it grows).
	ref := filepath.Join(t.TempDir(), "ref.sqlite")
	cmd, _, stderr := relCommand(bin, "build", "--quiet", "--sources", sample, "--out", ref)
	if err := cmd.Run(); err != nil {
		t.Fatalf("reference build: %v\n%s", err, stderr)
	}
	st, err := os.Stat(ref)
	if err != nil {
		t.Fatal(err)
	}
	refBytes, err := os.ReadFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	kib := st.Size() / 1024
	for _, c := range []struct {
		name  string
		limit int64 // KiB, as bash's ulimit -f counts
		base  bool
	}{
		{"while migrating", kib / 8, false},
		{"while indexing", kib * 2 / 3, false},
		{"near the end", kib * 9 / 10, false},
		{"copying the base", kib / 2, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "tagdb.sqlite")
			reports := filepath.Join(t.TempDir(), "reports")
			args := []string{"build", "--quiet", "--sources", sample, "--out", out, "--report-dir", reports}
			keep := map[string][]byte{}
			if c.base {
				// An earlier release at --out and the base beside it: both must
				// keep their bytes.
				base := filepath.Join(dir, "base.sqlite")
				relWrite(t, base, refBytes)
				relWrite(t, out, []byte("previous release"))
				keep[base], keep[out] = refBytes, []byte("previous release")
				args = append(args, "--base", base)
			}
			// XFSZ is ignored so that a write past the limit fails with EFBIG
			// instead of killing the process, as ENOSPC would on a full disk.
			script := fmt.Sprintf(`trap '' XFSZ; ulimit -f %d; exec "$0" "$@"`, c.limit)
			cmd, stdout, stderr := relCommand("bash", append([]string{"-c", script, bin}, args...)...)
			code := relExitCode(t, cmd.Run())
			msg := strings.ReplaceAll(stderr.String(), dir, "<dir>")
			t.Logf("limit %d KiB: exit %d: %s", c.limit, code, msg)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", code, stdout, msg)
			}
			for _, want := range []string{"tagdb build: writing the new database beside <dir>/tagdb.sqlite: ",
				"(is the disk full, or a file size limit reached? <dir>/tagdb.sqlite was not changed)"} {
				if !strings.Contains(msg, want) {
					t.Errorf("stderr lacks %q", want)
				}
			}
			if c.base && !strings.Contains(msg, "file too large") {
				t.Errorf("stderr does not give the cause (file too large)")
			}
			relAssertDir(t, dir, keep)
			if got := relList(t, reports); len(got) > 0 {
				t.Errorf("reports written by a failed build: %q", got)
			}
		})
	}
}

// relAssertDir checks that dir holds exactly the files of keep, with their
// bytes.
func relAssertDir(t *testing.T, dir string, keep map[string][]byte) {
	t.Helper()
	var want []string
	for p, b := range keep {
		want = append(want, filepath.Base(p))
		got, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if !bytes.Equal(got, b) {
			t.Errorf("%s was modified", p)
		}
	}
	sort.Strings(want)
	if got := relList(t, dir); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, want)
	}
}

// relBigTree writes a manifest over a generated tag list of relBigRows rows
// (each with an alias) and returns the manifest path.
func relBigTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var b bytes.Buffer
	for i := 0; i < relBigRows; i++ {
		fmt.Fprintf(&b, "tag_%06d,%d,%d,alias_%06d\n", i, i%6, relBigRows-i, i)
	}
	relWrite(t, filepath.Join(dir, "big.csv"), b.Bytes())
	manifest := filepath.Join(dir, "sources.yml")
	relWrite(t, manifest, []byte("sources:\n  - {id: big, kind: tagcomplete_csv, path: big.csv, format: danbooru, license: MIT}\n"))
	return manifest
}

// relStartMidway starts a build of manifest into out and returns once the
// build's temporary database holds the migrated schema (over 64 KiB), so a
// signal lands in the middle of the work: reading, merging or writing.
func relStartMidway(t *testing.T, bin, manifest, out string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd, _, stderr := relCommand(bin, "build", "--quiet", "--sources", manifest, "--profile", "mit", "--out", out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	prefix := fmt.Sprintf("%s.tmp-%d-", out, cmd.Process.Pid)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		matches, _ := filepath.Glob(prefix + "*")
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && st.Size() > 64<<10 {
				return cmd, stderr
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatalf("no temporary database %s* with data after 30 s\n%s", prefix, stderr)
	return nil, nil
}

func relKilled(t *testing.T, bin string) {
	manifest := relBigTree(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "tagdb.sqlite")
	cmd, _ := relStartMidway(t, bin, manifest, out)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait() // reap it: a zombie still counts as a running process
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the build was not killed midway: %v", cmd.ProcessState)
	}
	left := relList(t, dir)
	if len(left) == 0 {
		t.Fatal("a SIGKILLed build left no temporary files: the test did not kill it midway")
	}
	for _, name := range left {
		if name == "tagdb.sqlite" {
			t.Fatal("a SIGKILLed build produced the output")
		}
	}
	t.Logf("left by the killed run: %q", left)

	cmd, stdout, stderr := relCommand(bin, "build", "--quiet", "--sources", manifest, "--profile", "mit", "--out", out)
	if err := cmd.Run(); err != nil {
		t.Fatalf("rerun after SIGKILL: %v\n%s%s", err, stdout, stderr)
	}
	if got := relList(t, dir); strings.Join(got, " ") != "tagdb.sqlite" {
		t.Errorf("after the rerun the output folder holds %q, want only tagdb.sqlite", got)
	}
	db, err := sqlitedb.Open(context.Background(), out, sqlitedb.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM TAGS`).Scan(&n); err != nil || n != 2*relBigRows {
		t.Errorf("rerun output has %d tags (%v), want %d", n, err, 2*relBigRows)
	}
}

func relInterrupted(t *testing.T, bin string, sig syscall.Signal) {
	manifest := relBigTree(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "tagdb.sqlite")
	// An earlier release at --out, which the interrupted build must not touch.
	previous := relGoodBuild(t)
	relWrite(t, out, previous)
	cmd, stderr := relStartMidway(t, bin, manifest, out)
	sent := time.Now()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running 10 s after %v", sig)
	}
	took := time.Since(sent)
	code := relExitCode(t, err)
	msg := strings.ReplaceAll(stderr.String(), dir, "<dir>")
	t.Logf("%v: exit %d after %v: %s", sig, code, took.Round(time.Millisecond), msg)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if took > 3*time.Second {
		t.Errorf("took %v to stop after %v", took, sig)
	}
	want := "tagdb build: interrupted: <dir>/tagdb.sqlite is unchanged and the temporary files are removed ("
	if !strings.Contains(msg, want) {
		t.Errorf("stderr lacks %q", want)
	}
	relAssertDir(t, dir, map[string][]byte{out: previous})
}
