package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/release/fakegithub"
)

// releaseRun runs `tagdb release` against the fake with a GitHub-like
// environment and returns the exit code and output.
func releaseRun(t *testing.T, apiURL string, args ...string) (int, string, string) {
	t.Helper()
	vars := map[string]string{"GITHUB_TOKEN": "tok", "GITHUB_REPOSITORY": "tagdb/tags", "GITHUB_API_URL": apiURL}
	return runTagdb(t, vars, append([]string{"release"}, args...)...)
}

func TestCmdRelease(t *testing.T) {
	fake := fakegithub.New(fakegithub.Options{Token: "tok"})
	srv := httptest.NewServer(fake)
	defer srv.Close()

	dir := t.TempDir()
	db := filepath.Join(dir, "tags-cc0.sqlite")
	if _, err := migrations.MigrateFile(context.Background(), db, migrations.Options{}); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(dir, "build_manifest.json")
	card := filepath.Join(dir, "README.md")
	os.WriteFile(manifest, []byte(`{"fingerprint":"f1"}`), 0o644)
	os.WriteFile(card, []byte("# card\n"), 0o644)
	args := []string{"--db", db, "--tag", "v1", "--manifest", manifest, "--extra", card}

	code, out, errOut := releaseRun(t, srv.URL, args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"changed=true\n", "asset=tags-cc0.sqlite.zst\n", "/releases/download/v1/tags-cc0.sqlite.zst\n", "release-url=" + srv.URL + "/tagdb/tags/releases/tag/v1\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	rels := fake.State().Repos["tagdb/tags"].Releases
	if len(rels) != 1 || rels[0].Draft || len(rels[0].Assets) != 4 {
		t.Fatalf("releases after run 1: %+v", rels)
	}

	// Same fingerprint: nothing uploaded.
	uploads := fake.State().Counts.UploadAttempts
	code, out, errOut = releaseRun(t, srv.URL, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var res struct {
		Changed bool   `json:"changed"`
		SHA256  string `json:"sha256"`
		Reason  string `json:"reason"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if res.Changed || len(res.SHA256) != 64 || res.Reason == "" || fake.State().Counts.UploadAttempts != uploads {
		t.Errorf("second run: %s", out)
	}
}

func TestCmdReleaseRefusesInvalidDB(t *testing.T) {
	fake := fakegithub.New(fakegithub.Options{Token: "tok"})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "broken.sqlite")
	os.WriteFile(db, []byte("this is not a database"), 0o644)

	code, _, errOut := releaseRun(t, srv.URL, "--db", db, "--tag", "v1")
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s", code, errOut)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d API requests for an invalid database", n)
	}
}

func TestCmdReleaseUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "--db is required"},
		{[]string{"--db", "x"}, "--tag is required"},
		{[]string{"--db", "x", "--tag", "v1", "--compress", "xz"}, `unknown compression "xz"`},
		{[]string{"--db", "x", "--tag", "v1", "--api-url", "ftp://h"}, "api url"},
	}
	for _, tt := range tests {
		code, _, errOut := releaseRun(t, "", tt.args...)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("release %q: exit %d, stderr %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}
