package release_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/fakegithub"
	"github.com/tagdb/tagdb-action/release/pack"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

const (
	testRepo  = "tagdb/tags"
	testToken = "ghs_test_token"
)

// harness is a fake GitHub on httptest plus a client pointed at it whose
// retries sleep for no time and record what they would have waited.
type harness struct {
	t      *testing.T
	fake   *fakegithub.Fake
	srv    *httptest.Server
	client *release.Client
	logs   *bytes.Buffer

	mu     sync.Mutex
	sleeps []time.Duration
}

type harnessOpt func(*fakegithub.Options, *release.Options)

func newHarness(t *testing.T, opts ...harnessOpt) *harness {
	t.Helper()
	fo := fakegithub.Options{Token: testToken}
	ro := release.Options{Token: testToken, Repo: testRepo}
	for _, o := range opts {
		o(&fo, &ro)
	}
	h := &harness{t: t, fake: fakegithub.New(fo), logs: &bytes.Buffer{}}
	h.srv = httptest.NewServer(h.fake)
	t.Cleanup(h.srv.Close)
	if ro.APIURL == "" {
		ro.APIURL = h.srv.URL
	} else {
		ro.APIURL = strings.ReplaceAll(ro.APIURL, "SERVER", h.srv.URL)
	}
	ro.Logger = slog.New(slog.NewTextHandler(h.logs, nil))
	if ro.Retry.Sleep == nil {
		ro.Retry.Attempts = 4
		ro.Retry.Base = time.Second
		ro.Retry.Max = 8 * time.Second
		ro.Retry.Sleep = h.recordSleep
	}
	c, err := release.New(ro)
	if err != nil {
		t.Fatal(err)
	}
	h.client = c
	return h
}

func (h *harness) recordSleep(ctx context.Context, d time.Duration) error {
	h.mu.Lock()
	h.sleeps = append(h.sleeps, d)
	h.mu.Unlock()
	return ctx.Err()
}

func (h *harness) slept() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.sleeps...)
}

func (h *harness) repo() fakegithub.RepoState { return h.fake.State().Repos[testRepo] }

// only returns the one release of the repository.
func (h *harness) only() fakegithub.ReleaseState {
	h.t.Helper()
	rels := h.repo().Releases
	if len(rels) != 1 {
		h.t.Fatalf("repository has %d releases, want 1: %+v", len(rels), rels)
	}
	return rels[0]
}

// count counts logged requests of a route.
func (h *harness) count(route string) int {
	n := 0
	for _, r := range h.fake.Requests() {
		if r.Route == route {
			n++
		}
	}
	return n
}

// build is one build's files on disk, packed as the action packs them.
type build struct {
	dir         string
	bundle      *pack.Bundle
	fingerprint string
}

// makeBuild writes a small "database", a dataset card and a manifest with
// the fingerprint, and bundles them with zstd. content varies the DB.
func makeBuild(t *testing.T, content, fingerprint string) build {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "tags-cc0.sqlite")
	write(t, db, strings.Repeat("SQLite format 3\x00"+content+"\n", 200))
	card := filepath.Join(dir, "README.md")
	write(t, card, "# tagdb cc0\n\n"+content+"\n")
	manifest := filepath.Join(dir, release.ManifestName)
	write(t, manifest, `{"fingerprint": "`+fingerprint+`", "profile": "cc0"}`+"\n")
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := pack.MakeBundle(context.Background(), pack.BundleOptions{DB: db, OutDir: out, Manifest: manifest, Extras: []string{card}})
	if err != nil {
		t.Fatal(err)
	}
	return build{dir: dir, bundle: b, fingerprint: fingerprint}
}

func (b build) assets() []release.Asset { return release.AssetsOf(b.bundle.Files) }

func (b build) options(tag string) release.PublishOptions {
	return release.PublishOptions{
		ReleaseSpec: release.ReleaseSpec{Tag: tag, Name: "tagdb " + tag, Body: "weekly build"},
		MakeLatest:  "true",
		Overwrite:   true,
		Fingerprint: b.fingerprint,
		Assets:      b.assets(),
	}
}

func write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fileSHA(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// assertAssets checks the release holds exactly one uploaded asset per file
// of the build, each with that file's bytes.
func assertAssets(t *testing.T, rel fakegithub.ReleaseState, b build) {
	t.Helper()
	byName := map[string][]fakegithub.AssetState{}
	for _, a := range rel.Assets {
		byName[a.Name] = append(byName[a.Name], a)
	}
	if len(rel.Assets) != len(b.bundle.Files) {
		t.Errorf("release has %d assets, want %d", len(rel.Assets), len(b.bundle.Files))
	}
	for _, f := range b.bundle.Files {
		got := byName[f.Name]
		if len(got) != 1 {
			t.Errorf("asset %s appears %d times", f.Name, len(got))
			continue
		}
		if got[0].State != "uploaded" || got[0].SHA256 != fileSHA(t, f.Path) {
			t.Errorf("asset %s: state %s sha %s, want uploaded with %s", f.Name, got[0].State, got[0].SHA256, fileSHA(t, f.Path))
		}
	}
}

func withFake(fn func(*fakegithub.Options)) harnessOpt {
	return func(fo *fakegithub.Options, _ *release.Options) { fn(fo) }
}

func withClient(fn func(*release.Options)) harnessOpt {
	return func(_ *fakegithub.Options, ro *release.Options) { fn(ro) }
}

// slowClient gives up waiting for an answer after d.
func slowClient(d time.Duration) harnessOpt {
	return withClient(func(o *release.Options) { o.HTTPClient = &http.Client{Timeout: d} })
}
