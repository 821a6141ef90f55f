package action

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/release/fakegithub"
	"github.com/tagdb/tagdb-action/release/notes"
)

// recorder is an IO that keeps what the action told the workflow.
type recorder struct {
	outputs     map[string]string
	summary     strings.Builder
	warnings    []string
	annotations []string // level file:line title: message
	groups      []string
}

func (r *recorder) SetOutput(k, v string)    { r.outputs[k] = v }
func (r *recorder) AddStepSummary(md string) { r.summary.WriteString(md) }
func (r *recorder) Warningf(f string, a ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf(f, a...))
}
func (r *recorder) Annotate(level, title, file string, line int, message string) {
	r.annotations = append(r.annotations, fmt.Sprintf("%s %s:%d %s: %s", level, file, line, title, message))
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
	r := &Runner{IO: io, Log: testLog{w.t}, Getenv: w.getenv, ProgramVersion: "test",
		Notes: notes.UpdateOptions{Settle: time.Millisecond, Backoff: time.Millisecond}}
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

// downloads lists the assets whose content the fake served, from its
// request log (the storage host every asset download ends at), from the
// request with index since on.
func (w *world) downloads(since int) []string {
	var names []string
	for _, r := range w.fake.Requests()[since:] {
		if r.Route == "storage" {
			names = append(names, path.Base(r.Path))
		}
	}
	slices.Sort(names)
	return names
}

// releaseWithTag is the release of the test repository with this tag.
func (w *world) releaseWithTag(tag string) fakegithub.ReleaseState {
	w.t.Helper()
	for _, r := range w.fake.State().Repos[testRepo].Releases {
		if r.Tag == tag {
			return r
		}
	}
	w.t.Fatalf("no release %s", tag)
	return fakegithub.ReleaseState{}
}

// deleteAsset deletes an asset of a release through the fake's API, as a
// maintainer would on the release page.
func (w *world) deleteAsset(tag, name string) {
	w.t.Helper()
	for _, a := range w.releaseWithTag(tag).Assets {
		if a.Name != name {
			continue
		}
		req, _ := http.NewRequest(http.MethodDelete, fmt.Sprintf("%s/repos/%s/releases/assets/%d", w.env["GITHUB_API_URL"], testRepo, a.ID), nil)
		req.Header.Set("Authorization", "token "+w.env["GITHUB_TOKEN"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			w.t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			w.t.Fatalf("delete %s: %s", name, resp.Status)
		}
		return
	}
	w.t.Fatalf("release %s has no %s", tag, name)
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
