package action

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/builder"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/fakegithub"
)

// BenchmarkUnchangedWeeklyRun times a release run whose build the base
// release already has, on full-size inputs (BENCHMARKS.md, "Unchanged
// weekly run"):
//
//	go run . gen --out /tmp/gen --scale 1.0
//	TAGDB_BENCH_SOURCES=/tmp/gen/sources.yml go test ./action -run '^$' -bench UnchangedWeeklyRun -benchtime 1x -count 3
//
// The base release is made without a build: a build_manifest.json with the
// inputs' fingerprint and a stand-in database asset, which the run must not
// download.
func BenchmarkUnchangedWeeklyRun(b *testing.B) {
	src := os.Getenv("TAGDB_BENCH_SOURCES")
	if src == "" {
		b.Skip("TAGDB_BENCH_SOURCES (a sources.yml from tagdb gen) is not set")
	}
	fake := fakegithub.New(fakegithub.Options{Token: "tok"})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	env := map[string]string{
		"INPUT_SOURCES": src, "INPUT_VERSION": "v-bench", "INPUT_TAG": "v-bench-2", "INPUT_BASE_RELEASE": "latest",
		"GITHUB_REPOSITORY": testRepo, "GITHUB_TOKEN": "tok", "GITHUB_API_URL": srv.URL, "SOURCE_DATE_EPOCH": "1700000000",
	}
	getenv := func(k string) string { return env[k] }
	inputs := func() *Inputs {
		env["RUNNER_TEMP"] = b.TempDir()
		in, err := ReadInputs(getenv, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
		if err != nil {
			b.Fatal(err)
		}
		return in
	}
	ctx := context.Background()
	r := &Runner{IO: &recorder{outputs: map[string]string{}}, Log: io.Discard, Getenv: getenv, ProgramVersion: "bench"}

	// The published build: its manifest carries the fingerprint of these
	// inputs, computed as the run computes it.
	in := inputs()
	m, err := builder.LoadManifest(src)
	if err != nil {
		b.Fatal(err)
	}
	j := &job{r: r, in: in, ed: "cc4", manifest: m, base: &Base{}}
	if err := j.computeFingerprint(ctx); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	pub := builder.BuildManifest{Fingerprint: j.fingerprint, SchemaHash: strings.Repeat("5", 64)}
	pub.BuildInfo.Version, pub.Output.SHA256, pub.Statistics.Tags = "v-bench-1", strings.Repeat("d", 64), 1234
	data, _ := json.Marshal(pub)
	manifest, db := filepath.Join(dir, "tagdb-cc4.build_manifest.json"), filepath.Join(dir, "tagdb-cc4.sqlite.zst")
	os.WriteFile(manifest, data, 0o644)
	os.WriteFile(db, []byte("a stand-in the run must not download"), 0o644)
	c, err := r.Client(in)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Publish(ctx, release.PublishOptions{ReleaseSpec: release.ReleaseSpec{Tag: "v-bench-1"}, ManifestName: filepath.Base(manifest),
		Assets: []release.Asset{{Path: db}, {Path: manifest}}}); err != nil {
		b.Fatal(err)
	}

	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		rec := &recorder{outputs: map[string]string{}}
		r.IO = rec
		in := inputs()
		b.StartTimer()
		if err := r.Build(ctx, in); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if rec.outputs["changed"] != "false" || rec.outputs["tags-total"] != "1234" {
			b.Fatalf("outputs %v: the run did not find its build published", rec.outputs)
		}
		b.StartTimer()
	}
	b.StopTimer()
	for _, req := range fake.Requests() {
		if req.Route == "storage" && strings.Contains(req.Path, ".sqlite") {
			b.Fatalf("the unchanged run downloaded %s", req.Path)
		}
	}
}
