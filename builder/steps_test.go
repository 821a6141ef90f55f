package builder

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

// newTestRun is newBuild with testOptions.
func newTestRun(t *testing.T, dir, profile, out string, mod func(*Options)) *buildRun {
	t.Helper()
	b, err := newBuild(testOptions(t, dir, profile, out, mod))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runSteps runs the steps of b up to (not including) the one named stop,
// failing the test on an error; close is left to the caller.
func runSteps(t *testing.T, b *buildRun, stop string) {
	t.Helper()
	for _, s := range b.steps() {
		if s.name == stop {
			return
		}
		if err := b.runStep(context.Background(), s); err != nil {
			t.Fatalf("step %s: %v", s.name, err)
		}
	}
	t.Fatalf("no step %q", stop)
}

// dirEntries lists a folder's names, sorted, so a test can say exactly what
// a step left there.
func dirEntries(t *testing.T, dir string) string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range paths {
		paths[i] = filepath.Base(p)
	}
	return strings.Join(paths, ",")
}

func TestNewBuildRefuses(t *testing.T) {
	dir := miniTree(t)
	m, err := LoadManifest(filepath.Join(dir, "sources.yml"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.sqlite")
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"no manifest", Options{Out: out, Profile: "all"}, "no manifest"},
		{"no output", Options{Manifest: m, Profile: "all"}, "no output path"},
		{"unknown profile", Options{Manifest: m, Out: out, Profile: "nope"}, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newBuild(tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatalf("newBuild wrote %s", out)
			}
		})
	}
}

func TestPrepareRefusesBaseOutsideProfile(t *testing.T) {
	dir := miniTree(t)
	base := filepath.Join(t.TempDir(), "all.sqlite")
	build(t, dir, "all", base, nil) // holds MIT and CC-BY rows
	outDir := t.TempDir()
	b := newTestRun(t, dir, "cc0", filepath.Join(outDir, "cc0.sqlite"), func(o *Options) { o.Base = base })
	err := b.prepare(context.Background())
	b.close(&err)
	if err == nil || !strings.Contains(err.Error(), "does not allow") {
		t.Fatalf("prepare: err = %v, want the base refused for its licences", err)
	}
	if got := dirEntries(t, outDir); got != "" {
		t.Errorf("a refused prepare left %q", got)
	}
}

func TestReadFillsMergeState(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"sources.yml": "sources:\n  - {id: dan, kind: tagcomplete_csv, path: dan.csv, format: danbooru, license: MIT}\n",
		"dan.csv":     "1girl,0,600,\"1girls,sole_female\"\nlong_hair,0,400,\n",
	})
	outDir := t.TempDir()
	b := newTestRun(t, dir, "mit", filepath.Join(outDir, "mit.sqlite"), nil)
	var err error
	defer b.close(&err)
	runSteps(t, b, "merge")
	// Two tags and two aliases, each one status row; nothing else is read.
	for _, tag := range []string{"1girl", "1girls", "sole female", "long hair"} {
		if _, ok := b.m.tags.Lookup(tag); !ok {
			t.Errorf("tag %q not in the merge state", tag)
		}
	}
	if n := b.m.tags.Len(); n != 4 {
		t.Errorf("%d tags in the merge state, want 4", n)
	}
	if n := b.m.status.Len(); n != 4 {
		t.Errorf("%d status rows, want 4", n)
	}
	if n := b.m.countLog.Len(); n != 2 {
		t.Errorf("%d usage counts, want 2", n)
	}
	if u := b.units[0]; u.stats.rowsRead != 2 {
		t.Errorf("unit %s read %d rows, want 2", u.name, u.stats.rowsRead)
	}
	// Nothing is in place before finish: only the temporary files.
	if _, err := os.Stat(b.o.Out); !os.IsNotExist(err) {
		t.Errorf("%s exists before the finish step", b.o.Out)
	}
}

func TestFinishValidatesAndRenames(t *testing.T) {
	dir := miniTree(t)
	for _, tc := range []struct {
		name    string
		post    func(ctx context.Context, db *sql.DB) error
		wantErr string
	}{
		{name: "valid file moved into place"},
		{name: "invalid file not published", wantErr: "fails validation",
			post: func(ctx context.Context, db *sql.DB) error {
				_, err := db.ExecContext(ctx, `DROP TABLE TAG_USAGE_COUNTS`)
				return err
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outDir := t.TempDir()
			out := filepath.Join(outDir, "all.sqlite")
			if err := os.WriteFile(out, []byte("previous release"), 0o644); err != nil {
				t.Fatal(err)
			}
			b := newTestRun(t, dir, "all", out, func(o *Options) { o.PostProcess = tc.post })
			runSteps(t, b, "finish")
			err := b.finish(context.Background())
			b.close(&err)
			if got := dirEntries(t, outDir); got != "all.sqlite" {
				t.Errorf("folder holds %q, want only all.sqlite", got)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("finish: err = %v, want %q", err, tc.wantErr)
				}
				if b, _ := os.ReadFile(out); string(b) != "previous release" {
					t.Errorf("a failed finish replaced %s", out)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !b.vr.OK() {
				t.Errorf("validation: %v", b.vr.Problems)
			}
			sum, size, err := fileSHA256(out)
			if err != nil || sum != b.sum || size != b.size {
				t.Errorf("%s: sha256 %s size %d (%v), finish recorded %s %d", out, sum, size, err, b.sum, b.size)
			}
			if n := sqlitetest.QueryInt(t, sqlitetest.OpenRO(t, out), `SELECT count(*) FROM TAGS`); n == 0 {
				t.Error("the finished file holds no tags")
			}
		})
	}
}

func TestFingerprintMatchesBuild(t *testing.T) {
	dir := miniTree(t)
	base := filepath.Join(t.TempDir(), "base.sqlite")
	build(t, dir, "all", base, nil)
	opts := func(base string, ignoreBase bool) Options {
		return testOptions(t, dir, "all", filepath.Join(t.TempDir(), "out.sqlite"), func(o *Options) {
			o.Base, o.FingerprintIgnoresBase = base, ignoreBase
		})
	}
	ctx := context.Background()
	seen := map[string]string{}
	for _, tc := range []struct {
		name       string
		build, fp  Options
		wantSameAs string // "" or the name of an earlier case with the same fingerprint
	}{
		{name: "no base", build: opts("", false), fp: opts("", false)},
		{name: "with base", build: opts(base, false), fp: opts(base, false)},
		// Ignoring the base, the fingerprint does not even open it: a base not
		// downloaded yet gives the fingerprint of the build that uses it.
		{name: "base ignored", build: opts(base, true), fp: opts(filepath.Join(t.TempDir(), "not-yet.sqlite"), true), wantSameAs: "no base"},
	} {
		res, err := Build(ctx, tc.build)
		if err != nil {
			t.Fatalf("%s: build: %v", tc.name, err)
		}
		got, err := Fingerprint(ctx, tc.fp)
		if err != nil {
			t.Fatalf("%s: Fingerprint: %v", tc.name, err)
		}
		if got != res.Fingerprint {
			t.Errorf("%s: Fingerprint = %s, the build recorded %s", tc.name, got, res.Fingerprint)
		}
		if _, err := os.Stat(tc.fp.Out); !os.IsNotExist(err) {
			t.Errorf("%s: Fingerprint wrote %s", tc.name, tc.fp.Out)
		}
		for name, fp := range seen {
			if same := fp == got; same != (name == tc.wantSameAs) {
				t.Errorf("%s: fingerprint equal to %s's: %v, want %v", tc.name, name, same, !same)
			}
		}
		seen[tc.name] = got
	}
	before, err := Fingerprint(ctx, opts("", false))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "free.csv"), []byte("solo,0,301,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if after, err := Fingerprint(ctx, opts("", false)); err != nil || after == before {
		t.Errorf("a changed source kept the fingerprint %s (%v)", after, err)
	}
}
