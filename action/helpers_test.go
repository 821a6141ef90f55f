package action

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/release/fakegithub"
)

// recorder is an IO that keeps what the action told the workflow.
type recorder struct {
	outputs  map[string]string
	summary  strings.Builder
	warnings []string
	groups   []string
}

func (r *recorder) SetOutput(k, v string)    { r.outputs[k] = v }
func (r *recorder) AddStepSummary(md string) { r.summary.WriteString(md) }
func (r *recorder) Warningf(f string, a ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf(f, a...))
}
func (r *recorder) Group(title string) { r.groups = append(r.groups, title) }
func (r *recorder) EndGroup()          {}

// testRepo is the repository the fake GitHub hosts.
const testRepo = "tagdb/tags"

// sampleManifest is the repository's bundled sample: small, and with every
// kind of source.
const sampleManifest = "../testdata/sample/sources.yml"

// world is one test's environment: a fake GitHub and the runner's variables.
type world struct {
	t    *testing.T
	fake *fakegithub.Fake
	env  map[string]string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	fake := fakegithub.New(fakegithub.Options{Token: "tok"})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &world{t: t, fake: fake, env: map[string]string{
		"INPUT_SOURCES": sampleManifest, "INPUT_VERSION": "v1", "INPUT_TAG": "v-test",
		"GITHUB_REPOSITORY": testRepo, "GITHUB_TOKEN": "tok", "GITHUB_API_URL": srv.URL,
		"RUNNER_TEMP": t.TempDir(), "SOURCE_DATE_EPOCH": "1700000000",
	}}
}

func (w *world) getenv(k string) string { return w.env[k] }

// runner is a Runner on this world, with GitHub's asset limit lowered to
// maxAsset bytes when it is positive.
func (w *world) runner(io *recorder, maxAsset int64) *Runner {
	r := &Runner{IO: io, Log: testLog{w.t}, Getenv: w.getenv, ProgramVersion: "test"}
	if maxAsset > 0 {
		r.MaxAssetSize, r.PartSize = maxAsset, maxAsset/2
	}
	return r
}

func (w *world) inputs(extra map[string]string) *Inputs {
	w.t.Helper()
	for k, v := range extra {
		w.env[k] = v
	}
	in, err := ReadInputs(w.getenv, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
	if err != nil {
		w.t.Fatal(err)
	}
	return in
}

// release is the only release of the test repository.
func (w *world) release() fakegithub.ReleaseState {
	w.t.Helper()
	rels := w.fake.State().Repos[testRepo].Releases
	if len(rels) != 1 {
		w.t.Fatalf("want one release, got %+v", rels)
	}
	return rels[0]
}

func assetNames(r fakegithub.ReleaseState) []string {
	var names []string
	for _, a := range r.Assets {
		names = append(names, a.Name)
	}
	return names
}

// testLog sends the runner's log to t.Log, shown when a test fails.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
