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
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/internal/files"
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
	act := findAct(t)
	root := repoRoot(t)
	fake := fakegithub.New(fakegithub.Options{Token: e2eToken})
	srv := httptest.NewServer(fake) // listens on 127.0.0.1 only
	defer srv.Close()

	// Inputs live outside the repository copy act makes: the workflow gets
	// their absolute path.
	data := t.TempDir()
	write := func(name, content string) { writeFile(t, filepath.Join(data, name), content) }
	writeE2ESources(t, data)

	runAct := func(run int, base string) map[string]string {
		t.Helper()
		r := runAct(t, act, actRun{
			workflow: filepath.Join(root, "testdata", "e2e", "release.yml"),
			dir:      root,
			env:      []string{"FAKE_API=" + srv.URL, "E2E_SOURCES=" + filepath.Join(data, "sources.yml"), "E2E_BASE=" + base},
		})
		if r.err != nil {
			t.Fatalf("act run %d: %v\n%s", run, r.err, tail(r.log, 80))
		}
		// A local `uses: ./` has no release to take a binary from.
		if !strings.Contains(r.log, "the action is used from a local path, not a release: building tagdb from source") {
			t.Errorf("act run %d: no log line about building from source\n%s", run, tail(r.log, 80))
		}
		if r.outputs == nil {
			t.Fatalf("act run %d wrote no outputs\n%s", run, tail(r.log, 80))
		}
		return r.outputs
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

// writeE2ESources writes a two-source manifest (sources.yml) into dir: a
// build of it has 4 tags.
func writeE2ESources(t *testing.T, dir string) {
	writeFile(t, filepath.Join(dir, "sources.yml"), `sources:
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
	writeFile(t, filepath.Join(dir, "free.csv"), "1girl,0,100,1girls\nsolo,0,50,\n")
	writeFile(t, filepath.Join(dir, "by.csv"), "female,0,900,1girl\n")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestActionFromRelease runs the action as users name it,
// tagdb/tagdb-action@<ref>, from a released layout: a copy of this tree whose
// dist/ says it is v1.2.3, with the binary built by scripts/release.sh
// published in the fake GitHub's release of the action. @v1 runs that binary
// with no Go on PATH; a substituted asset is refused with both sha256 and
// nothing runs; @main builds from source. TAGDB_E2E_STARTUP_RUNS=N repeats the
// released and the branch run N times and logs the median time from the
// action step's start to the program's first log line (BENCHMARKS.md).
func TestActionFromRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end action run in -short mode")
	}
	act := findAct(t)
	needTools(t, "bash", "git", "curl", "jq")
	root := repoRoot(t)
	data := t.TempDir()
	writeE2ESources(t, data)
	mustRun(t, data, nil, "git", "init", "--quiet") // act wants its working directory in a repository

	// The release: the binary for this machine, and the tree it came from.
	const version = "v1.2.3"
	built := t.TempDir()
	target := runtime.GOOS + "/" + runtime.GOARCH
	mustRun(t, root, nil, "bash", filepath.Join(root, "scripts", "release.sh"), "build", built, version, target)
	name := "tagdb-" + runtime.GOOS + "-" + runtime.GOARCH
	binary, err := os.ReadFile(filepath.Join(built, name))
	if err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "", nil, filepath.Join(built, name), "version"); !strings.HasPrefix(out, "tagdb "+version+" ") {
		t.Errorf("the release binary's version: %q", out)
	}
	sums, err := os.ReadFile(filepath.Join(built, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	action := filepath.Join(t.TempDir(), "tagdb-action")
	for _, f := range strings.Split(strings.TrimRight(mustRun(t, root, nil, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"), "\x00"), "\x00") {
		if !fileExists(filepath.Join(root, f)) { // deleted in the worktree
			continue
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(action, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := files.Copy(filepath.Join(root, f), filepath.Join(action, f)); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(action, "dist", "VERSION"), version+"\n")
	writeFile(t, filepath.Join(action, "dist", "SHA256SUMS"), string(sums))

	serve := func(asset []byte) (*fakegithub.Fake, string) {
		t.Helper()
		fake := fakegithub.New(fakegithub.Options{Token: e2eToken})
		if _, err := fake.AddRelease("tagdb/tagdb-action", fakegithub.ReleaseState{Tag: version, Assets: []fakegithub.AssetState{{Name: name, Content: asset}}}); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(fake) // listens on 127.0.0.1 only
		t.Cleanup(srv.Close)
		return fake, srv.URL
	}
	workflow := filepath.Join(root, "testdata", "e2e", "consumer.yml")
	noGo := pathWithout(t, "go", "gofmt")
	run := func(job, ref, api, path string) actResult {
		t.Helper()
		return runAct(t, act, actRun{
			workflow: workflow, job: job, dir: data, path: path,
			env:        []string{"FAKE_API=" + api, "E2E_SOURCES=" + filepath.Join(data, "sources.yml")},
			localRepos: []string{"tagdb/tagdb-action@" + ref + "=" + action},
		})
	}
	runs := 1
	if n, err := strconv.Atoi(os.Getenv("TAGDB_E2E_STARTUP_RUNS")); err == nil && n > 0 {
		runs = n
	}

	// Released: downloaded, verified, run; Go is not on PATH.
	fake, api := serve(binary)
	var released []time.Duration
	for i := 0; i < runs; i++ {
		r := run("released", "v1", api, noGo)
		if r.err != nil {
			t.Fatalf("released run: %v\n%s", r.err, tail(r.log, 80))
		}
		if r.outputs["tags-total"] != "4" || len(r.outputs["sha256"]) != 64 {
			t.Errorf("released run outputs: %v", r.outputs)
		}
		for _, want := range []string{"downloaded from release " + version + " of tagdb/tagdb-action, sha256 " + sha256Hex(binary) + " verified", "Success - Main No Go on this runner"} {
			if !strings.Contains(r.log, want) {
				t.Errorf("released run: the log lacks %q\n%s", want, tail(r.log, 80))
			}
		}
		if strings.Contains(r.log, "building tagdb from source") {
			t.Errorf("released run built from source\n%s", tail(r.log, 80))
		}
		released = append(released, r.startup)
	}
	if n := fake.State().Counts.Downloads; n != runs {
		t.Errorf("%d downloads of the binary in %d runs", n, runs)
	}

	// Tampered: the release's asset is not the binary dist/SHA256SUMS names.
	tampered := append([]byte(nil), binary...)
	tampered[len(tampered)/2] ^= 0xff
	_, api = serve(tampered)
	r := run("released", "v1", api, noGo)
	if r.err == nil {
		t.Fatalf("a tampered binary ran\n%s", tail(r.log, 80))
	}
	if msg := "sha256 " + sha256Hex(tampered) + ", expected sha256 " + sha256Hex(binary); !strings.Contains(r.log, msg) {
		t.Errorf("tampered run: the log lacks %q\n%s", msg, tail(r.log, 80))
	}
	if r.outputs != nil || r.startup != 0 {
		t.Errorf("tampered run: something ran after the refusal (outputs %v)\n%s", r.outputs, tail(r.log, 80))
	}

	// A branch: no release binary, a build from source.
	var branch []time.Duration
	for i := 0; i < runs; i++ {
		r := run("branch", "main", api, "")
		if r.err != nil {
			t.Fatalf("branch run: %v\n%s", r.err, tail(r.log, 80))
		}
		if !strings.Contains(r.log, "ref 'main' is not a release of the action (dist/VERSION: "+version+"): building tagdb from source") {
			t.Errorf("branch run: no log line about building from source\n%s", tail(r.log, 80))
		}
		if r.outputs["tags-total"] != "4" {
			t.Errorf("branch run outputs: %v", r.outputs)
		}
		branch = append(branch, r.startup)
	}
	t.Logf("action step start to the program's first log line, median of %d: released %v %v, from source (warm Go cache) %v %v",
		runs, median(released), released, median(branch), branch)
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// actRun is one act run of a workflow in host mode, offline.
type actRun struct {
	workflow string   // absolute path of the workflow file
	job      string   // -j: one job of the workflow, or all
	dir      string   // act's working directory: the repository it copies for actions/checkout
	env      []string // --env NAME=VALUE, read by the workflow as env.NAME
	path     string   // PATH of act and of every step, when not the test's own
	// localRepos maps uses: owner/repo@ref to a folder (--local-repository),
	// as a user's workflow would fetch the action.
	localRepos []string
}

type actResult struct {
	err     error
	log     string
	outputs map[string]string // what the workflow wrote to E2E_OUT, nil if nothing
	// startup is from the start of the tagdb action step to the first line
	// the program logs (zero if either was not seen).
	startup time.Duration
}

// runAct runs act and timestamps each line of its log as it arrives.
func runAct(t *testing.T, act string, r actRun) actResult {
	t.Helper()
	out := filepath.Join(t.TempDir(), "outputs.txt")
	args := []string{"workflow_dispatch", "-W", r.workflow,
		"-P", "ubuntu-latest=-self-hosted",
		"--action-offline-mode", "--pull=false", "--no-cache-server", "--rm",
		"--action-cache-path", t.TempDir(),
		"-s", "GITHUB_TOKEN=" + e2eToken,
		"--env", "E2E_OUT=" + out,
	}
	if r.job != "" {
		args = append(args, "-j", r.job)
	}
	for _, e := range r.env {
		args = append(args, "--env", e)
	}
	for _, l := range r.localRepos {
		args = append(args, "--local-repository", l)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, act, args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "ACT_DISABLE_VERSION_CHECK=1")
	if r.path != "" {
		cmd.Env = append(cmd.Env, "PATH="+r.path)
	}
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var res actResult
	var log strings.Builder
	var stepStart, firstLine time.Time
	setupDone := false
	sc := bufio.NewScanner(pipe)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		now := time.Now()
		log.WriteString(line + "\n")
		switch {
		case stepStart.IsZero() && strings.Contains(line, "⭐ Run Main tagdb/tagdb-action@"):
			stepStart = now
		case !stepStart.IsZero() && !setupDone && strings.Contains(line, `Success - Main bash "$TAGDB_ACTION_PATH/scripts/action-setup.sh"`):
			setupDone = true
		case setupDone && firstLine.IsZero() && programLine(line):
			firstLine = now
		}
	}
	res.err = cmd.Wait()
	res.log = log.String()
	if !stepStart.IsZero() && !firstLine.IsZero() {
		res.startup = firstLine.Sub(stepStart)
	}
	if strings.Contains(res.log, e2eToken) {
		t.Errorf("act: the token appears in the log")
	}
	if f, err := os.Open(out); err == nil {
		defer f.Close()
		res.outputs = map[string]string{}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), "="); ok {
				res.outputs[k] = v
			}
		}
	}
	return res
}

// programLine says whether a line of act's log is output of a step (act
// indents it by three spaces: "[wf/job]   | text", "[wf/job]   ⚙  ***" for
// a mask, "❓" for a group) other than the setup step's output "bin".
func programLine(line string) bool {
	_, out, ok := strings.Cut(line, "]   ")
	if !ok || strings.Contains(out, "::set-output:: bin=") {
		return false
	}
	return strings.HasPrefix(out, "| ") || strings.HasPrefix(out, "⚙") || strings.HasPrefix(out, "❓")
}

func findAct(t *testing.T) string {
	t.Helper()
	act, err := exec.LookPath("act")
	if err == nil {
		return act
	}
	if p := filepath.Join(os.Getenv("HOME"), "go", "bin", "act"); fileExists(p) {
		return p
	}
	t.Skip("nektos/act not installed (go install github.com/nektos/act@v0.2.89)")
	return ""
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
