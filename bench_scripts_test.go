package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// bench/run.sh and bench/guard.sh take minutes and are run by hand; these
// tests run what can be checked quickly: the dry run's plan of the growth
// curve, the parsing of a build log into phases, and guard.sh's usage.

func TestBenchRunPlan(t *testing.T) {
	needTools(t, "bash", "sqlite3", "/usr/bin/time")
	root := repoRoot(t)
	inputs := t.TempDir()
	if err := os.Mkdir(filepath.Join(inputs, "in-1.0"), 0o755); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	out := mustRun(t, root, sandboxEnv(t, "BENCH_DRY=1", "BENCH_WORK="+work, "BENCH_INPUTS="+inputs,
		"BENCH_OUT="+filepath.Join(work, "B.md")), "bash", "bench/run.sh")

	count := func(re string) int { return len(regexp.MustCompile(re).FindAllString(out, -1)) }
	for _, c := range []struct {
		what, re string
		want     int
	}{
		{"scale-0.25 builds", `(?m)^\+ /usr/bin/time -v \S+/tagdb build .*out-0\.25/cc4\.sqlite`, 3},
		{"scale-1 builds", `(?m)^\+ /usr/bin/time -v \S+/tagdb build .*out-1\.0/cc4\.sqlite`, 3},
		{"scale-2 builds", `(?m)^\+ /usr/bin/time -v \S+/tagdb build .*out-2\.0/cc4\.sqlite`, 1},
		{"scale-4 builds", `(?m)^\+ /usr/bin/time -v \S+/tagdb build .*out-4\.0/cc4\.sqlite`, 1},
		{"builds with the 1 GiB budget", `tagdb build .*--memory-limit 1024MiB`, 8},
		{"ceiling runs at 0.25", `sqlite3 -bail \S+/ceil-0\.25/`, 3},
		{"ceiling runs at 1", `sqlite3 -bail \S+/ceil-1\.0/`, 3},
		{"ceiling runs above 1", `sqlite3 -bail \S+/ceil-[24]\.0/`, 0},
		{"validate runs at 4", `tagdb validate --db \S+/out-4\.0/`, 1},
		{"generated inputs", `tagdb gen --out \S+/in-(0\.25|2\.0|4\.0) `, 3},
		{"inputs generated although given", `tagdb gen --out \S+/in-1\.0 `, 0},
		{"given inputs used", regexp.QuoteMeta(filepath.Join(inputs, "in-1.0") + "/sources.yml"), 3},
		{"search benchmarks at 1", `TAGDB_BENCH_DB=\S+/out-1\.0/cc4\.sqlite go -C \S+ test .*-bench`, 1},
		{"search benchmarks elsewhere", `TAGDB_BENCH_DB=\S+/out-(0\.25|2\.0|4\.0)/`, 0},
	} {
		if got := count(c.re); got != c.want {
			t.Errorf("%s: %d lines match %s, want %d\n%s", c.what, got, c.re, c.want, out)
		}
	}
}

func TestBenchRunPhases(t *testing.T) {
	needTools(t, "bash")
	root := repoRoot(t)
	dir := t.TempDir()
	log := filepath.Join(dir, "build.log")
	err := os.WriteFile(log, []byte(strings.Join([]string{
		"== prepare out.sqlite",
		"prepare out.sqlite: done in 5.4s (Go heap 6 MiB, from the system 16 MiB)",
		"site-tags/e621.net: 6698 rows in 50ms (125k rows/s)",
		"read sources: done in 16.9s (Go heap 22 MiB, from the system 41 MiB)",
		"merge: done in 540ms (Go heap 26 MiB, from the system 41 MiB)",
		"tags and statuses written in 42.7s",
		"write: done in 1m10.2s (Go heap 13 MiB, from the system 41 MiB)",
		"indexes: 11 created in 1m17.3s",
		"finish: done in 1m47.3s (Go heap 5 MiB, from the system 41 MiB)",
	}, "\n")+"\n"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	script := `source bench/run.sh; W=$1; PHASES=$1/phases.tsv; phases 1.0 1 "$2"; cat "$PHASES"`
	got := mustRun(t, root, sandboxEnv(t), "bash", "-c", script, "bash", dir, log)
	want := "1.0\t1\tprepare\t5.40\n1.0\t1\tread\t16.90\n1.0\t1\tmerge\t0.54\n1.0\t1\twrite\t70.20\n" +
		"1.0\t1\tindexes\t77.30\n1.0\t1\tfinish\t30.00\n"
	if got != want {
		t.Errorf("phases:\n%s\nwant:\n%s", got, want)
	}
}

func TestBenchGuardUsage(t *testing.T) {
	needTools(t, "bash")
	root := repoRoot(t)
	out, err := runIn(t, root, sandboxEnv(t, "BENCH_WORK="+t.TempDir()), "bash", "bench/guard.sh", "bogus")
	if err == nil || !strings.Contains(out, "usage: bench/guard.sh [record|compare]") {
		t.Errorf("guard.sh bogus: err %v, output:\n%s", err, out)
	}
	out, err = runIn(t, root, sandboxEnv(t, "BENCH_WORK="+t.TempDir()), "bash", "-n", "bench/guard.sh")
	if err != nil {
		t.Errorf("bash -n bench/guard.sh: %v\n%s", err, out)
	}
}
