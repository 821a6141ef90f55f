package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/release/fakegithub"
)

const e2eToken = "fake-token-for-act"

// TestActionEndToEnd runs the real action.yml through nektos/act (host mode,
// offline) against the fake GitHub API: a first run publishes, a second run
// with a changed source replaces the assets in place, a third with nothing
// changed uploads nothing. .ci/run installs act; without it the test skips.
func TestActionEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end action run in -short mode")
	}
	act, err := exec.LookPath("act")
	if err != nil {
		if p := filepath.Join(os.Getenv("HOME"), "go", "bin", "act"); fileExists(p) {
			act = p
		} else {
			t.Skip("nektos/act not installed (go install github.com/nektos/act@v0.2.89)")
		}
	}
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	fake := fakegithub.New(fakegithub.Options{Token: e2eToken})
	srv := httptest.NewServer(fake) // listens on 127.0.0.1 only
	defer srv.Close()

	// Inputs live outside the repository copy act makes: the workflow gets
	// their absolute path.
	data := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(data, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("sources.yml", `sources:
  - id: free
    kind: tagcomplete_csv
    path: free.csv
    format: danbooru
    license: CC0-1.0
  - id: byfour
    kind: tagcomplete_csv
    path: by.csv
    format: e621
    license: CC-BY-4.0
    url: https://example.org/by
`)
	write("free.csv", "1girl,0,100,1girls\nsolo,0,50,\n")
	write("by.csv", "female,0,900,1girl\n")

	runAct := func(run int, base string) map[string]string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "outputs.txt")
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, act, "workflow_dispatch",
			"-W", filepath.Join("testdata", "e2e", "release.yml"),
			"-P", "ubuntu-latest=-self-hosted",
			"--action-offline-mode", "--pull=false", "--no-cache-server", "--rm",
			"--action-cache-path", t.TempDir(),
			"-s", "GITHUB_TOKEN="+e2eToken,
			"--env", "FAKE_API="+srv.URL,
			"--env", "E2E_SOURCES="+filepath.Join(data, "sources.yml"),
			"--env", "E2E_OUT="+out,
			"--env", "E2E_BASE="+base,
		)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "ACT_DISABLE_VERSION_CHECK=1")
		log, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("act run %d: %v\n%s", run, err, tail(string(log), 80))
		}
		if strings.Contains(string(log), e2eToken) {
			t.Errorf("act run %d: the token appears in the log", run)
		}
		outputs := map[string]string{}
		f, err := os.Open(out)
		if err != nil {
			t.Fatalf("act run %d wrote no outputs: %v\n%s", run, err, tail(string(log), 80))
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), "="); ok {
				outputs[k] = v
			}
		}
		return outputs
	}
	release := func() fakegithub.ReleaseState {
		t.Helper()
		st := fake.State()
		rels := st.Repos["tagdb/e2e"].Releases
		if len(rels) != 1 {
			t.Fatalf("want one release, got %d: %+v", len(rels), rels)
		}
		return rels[0]
	}
	assetSHA := func(r fakegithub.ReleaseState, name string) string {
		t.Helper()
		n := 0
		sum := ""
		for _, a := range r.Assets {
			if a.Name == name {
				n++
				sum = a.SHA256
			}
		}
		if n != 1 {
			t.Fatalf("asset %s appears %d times; assets: %v", name, n, assetNames(r))
		}
		return sum
	}
	wantAssets := []string{"tagdb-cc4.sqlite.zst", "tagdb-cc4.SHA256SUMS", "tagdb-cc4.build_manifest.json",
		"tagdb-cc4.README.md", "tagdb-cc4.source_effects.tsv", "tagdb-cc4.skipped_rows.tsv"}

	// Run 1: builds and publishes.
	o1 := runAct(1, "")
	r1 := release()
	if o1["changed"] != "true" || r1.Draft || r1.Tag != "v-e2e" {
		t.Fatalf("run 1: outputs %v, release draft=%v tag=%s", o1, r1.Draft, r1.Tag)
	}
	for _, a := range wantAssets {
		assetSHA(r1, a)
	}
	if o1["tags-total"] != "4" || o1["release-id"] == "" || !strings.HasPrefix(o1["asset-url"], "http") || len(o1["schema-hash"]) != 64 {
		t.Errorf("run 1 outputs: %v", o1)
	}
	sums1 := assetSHA(r1, "tagdb-cc4.SHA256SUMS")
	db1 := assetSHA(r1, "tagdb-cc4.sqlite.zst")
	uploads1 := fake.State().Counts.Uploads

	// Run 2: a changed source replaces the assets in place; on the base
	// release it downloads this edition's database and the id map only.
	write("free.csv", "1girl,0,100,1girls\nsolo,0,50,\nlong_hair,0,70,\n")
	since := len(fake.Requests())
	o2 := runAct(2, "latest")
	if got := largeDownloads(fake.Requests()[since:]); !slices.Equal(got, []string{"tagdb-cc4.sqlite.zst", "tagdb.idmap.tsv.zst"}) {
		t.Errorf("run 2 downloaded %v, want the cc4 database and the id map", got)
	}
	r2 := release()
	if o2["changed"] != "true" || o2["tags-total"] != "5" {
		t.Fatalf("run 2 outputs: %v", o2)
	}
	if db2 := assetSHA(r2, "tagdb-cc4.sqlite.zst"); db2 == db1 {
		t.Errorf("run 2 did not replace the database asset")
	}
	if s2 := assetSHA(r2, "tagdb-cc4.SHA256SUMS"); s2 == sums1 {
		t.Errorf("run 2 did not replace SHA256SUMS")
	}
	// The published checksums are those of the published files.
	sums := string(assetContent(t, r2, "tagdb-cc4.SHA256SUMS"))
	if !strings.Contains(sums, sha256Hex(assetContent(t, r2, "tagdb-cc4.sqlite.zst"))+"  tagdb-cc4.sqlite.zst") {
		t.Errorf("SHA256SUMS does not match the database asset:\n%s", sums)
	}
	uploads2 := fake.State().Counts.Uploads
	if uploads2 <= uploads1 {
		t.Errorf("run 2 uploaded nothing")
	}

	// Run 3: nothing changed: decided from the base release's manifest,
	// no database or id map downloaded, nothing built or uploaded, and the
	// outputs are the published build's.
	since = len(fake.Requests())
	o3 := runAct(3, "latest")
	if o3["changed"] != "false" || o3["db-path"] != "" {
		t.Errorf("run 3 outputs: %v", o3)
	}
	for _, k := range []string{"sha256", "release-id", "asset-url", "tags-total", "schema-hash"} {
		if o3[k] != o2[k] {
			t.Errorf("run 3 output %s = %q, run 2 published %q", k, o3[k], o2[k])
		}
	}
	if got := largeDownloads(fake.Requests()[since:]); len(got) > 0 {
		t.Errorf("run 3 downloaded %v", got)
	}
	if n := fake.State().Counts.Uploads; n != uploads2 {
		t.Errorf("run 3 uploaded %d assets", n-uploads2)
	}
	for _, req := range fake.Requests() {
		if strings.Contains(req.Path, e2eToken) || strings.Contains(req.Query, e2eToken) {
			t.Errorf("token leaked into a URL: %s", req.Path)
		}
	}
}

// largeDownloads are the database and id-map assets whose content the fake
// served (its storage host, where every asset download ends).
func largeDownloads(reqs []fakegithub.Request) []string {
	var names []string
	for _, r := range reqs {
		if name := path.Base(r.Path); r.Route == "storage" && (strings.Contains(name, ".sqlite") || strings.Contains(name, "idmap")) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

func assetNames(r fakegithub.ReleaseState) []string {
	var n []string
	for _, a := range r.Assets {
		n = append(n, a.Name)
	}
	return n
}

func assetContent(t *testing.T, r fakegithub.ReleaseState, name string) []byte {
	t.Helper()
	for _, a := range r.Assets {
		if a.Name == name {
			return a.Content
		}
	}
	t.Fatalf("no asset %s", name)
	return nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func tail(s string, lines int) string {
	l := strings.Split(s, "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}
