package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/release/fakegithub"
	"github.com/tagdb/tagdb-action/release/pack"
)

// downloadToken is distinctive so that a leak into the output is easy to spot.
const downloadToken = "ghs_downloadSecret42"

func sha256File(t *testing.T, path string) string {
	t.Helper()
	f, err := pack.HashFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return f.SHA256
}

// downloadFixture is a fake GitHub holding releases of the cc4 edition of db,
// published with `tagdb release`: v1 gzip, v3 uncompressed, v2 zstd (the
// latest); and, added directly, "split" (v2's asset in three parts) and
// "tampered" (v2's asset under a checksum file that does not match).
func downloadFixture(t *testing.T) (fake *fakegithub.Fake, url, db string) {
	t.Helper()
	fake = fakegithub.New(fakegithub.Options{Token: downloadToken})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	db = migratedDB(t)
	vars := map[string]string{"GITHUB_TOKEN": downloadToken, "GITHUB_REPOSITORY": "tagdb/tags", "GITHUB_API_URL": srv.URL}
	for _, r := range []struct{ tag, compress, ext, latest string }{
		{"v1", "gzip", ".gz", "false"}, {"v3", "none", "", "false"}, {"v2", "zstd", ".zst", "true"},
	} {
		code, _, errOut := runTagdb(t, vars, "release", "--db", db, "--tag", r.tag, "--compress", r.compress,
			"--asset", "tagdb-cc4.sqlite"+r.ext, "--make-latest", r.latest)
		if code != 0 {
			t.Fatalf("release %s: exit %d\n%s", r.tag, code, errOut)
		}
	}
	var asset, sums []byte
	for _, rel := range fake.State().Repos["tagdb/tags"].Releases {
		if rel.Tag != "v2" {
			continue
		}
		for _, a := range rel.Assets {
			switch a.Name {
			case "tagdb-cc4.sqlite.zst":
				asset = a.Content
			case "SHA256SUMS":
				sums = a.Content
			}
		}
	}
	if len(asset) < 3 || len(sums) == 0 {
		t.Fatalf("v2 has no zstd asset (%d bytes) or SHA256SUMS", len(asset))
	}
	third := len(asset) / 3
	split := []fakegithub.AssetState{{Name: "SHA256SUMS", Content: sums}}
	for i, part := range [][]byte{asset[:third], asset[third : 2*third], asset[2*third:]} {
		split = append(split, fakegithub.AssetState{Name: "tagdb-cc4.sqlite.zst.part00" + string(rune('1'+i)), Content: part})
	}
	tampered := []fakegithub.AssetState{{Name: "tagdb-cc4.sqlite.zst", Content: asset},
		{Name: "SHA256SUMS", Content: []byte(strings.Repeat("ab", 32) + "  tagdb-cc4.sqlite.zst\n")}}
	for tag, assets := range map[string][]fakegithub.AssetState{"split": split, "tampered": tampered} {
		if _, err := fake.AddRelease("tagdb/tags", fakegithub.ReleaseState{Tag: tag, Assets: assets}); err != nil {
			t.Fatal(err)
		}
	}
	return fake, srv.URL, db
}

func TestCmdDownload(t *testing.T) {
	fake, url, db := downloadFixture(t)
	want := sha256File(t, db)
	withToken := map[string]string{"GITHUB_TOKEN": downloadToken, "GITHUB_API_URL": url}
	anonymous := map[string]string{"GITHUB_API_URL": url}
	tests := []struct {
		name      string
		vars      map[string]string
		args      []string
		wantTag   string
		wantAsset string
		wantParts int
		wantAuth  string // what the fake saw on the API calls
	}{
		{"latest", withToken, nil, "v2", "tagdb-cc4.sqlite.zst", 0, "write"},
		{"a tag, gzip", withToken, []string{"--tag", "v1"}, "v1", "tagdb-cc4.sqlite.gz", 0, "write"},
		{"uncompressed", withToken, []string{"--tag", "v3"}, "v3", "tagdb-cc4.sqlite", 0, "write"},
		{"split parts", withToken, []string{"--tag", "split"}, "split", "tagdb-cc4.sqlite.zst", 3, "write"},
		{"no token", anonymous, []string{"--tag", "v1"}, "v1", "tagdb-cc4.sqlite.gz", 0, "anonymous"},
		{"GHES --api-url", map[string]string{}, []string{"--api-url", url + "/api/v3"}, "v2", "tagdb-cc4.sqlite.zst", 0, "anonymous"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "tags.sqlite")
			before := len(fake.Requests())
			args := append([]string{"download", "--repo", "tagdb/tags", "--edition", "cc4", "--out", out, "--json"}, tt.args...)
			code, stdout, stderr := runTagdb(t, tt.vars, args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			if strings.Contains(stdout+stderr, downloadToken) {
				t.Error("the token was printed")
			}
			var got downloadResult
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("--json output: %v\n%s", err, stdout)
			}
			if got.Tag != tt.wantTag || got.Asset != tt.wantAsset || len(got.Parts) != tt.wantParts || !got.Verified || got.Path != out {
				t.Errorf("got %+v, want %s of %s in %d parts, verified, at %s", got, tt.wantAsset, tt.wantTag, tt.wantParts, out)
			}
			if got.DBSHA256 != want || sha256File(t, out) != want {
				t.Errorf("database sha256 reported %s, on disk %s; want the published %s", got.DBSHA256, sha256File(t, out), want)
			}
			if st, err := os.Stat(out); err != nil || st.Size() != got.DBSize || len(got.SHA256) != 64 || got.Size <= 0 {
				t.Errorf("sizes/checksums: %+v (file: %v)", got, err)
			}
			if !strings.Contains(stderr, "download "+tt.wantAsset+": ") {
				t.Errorf("no progress on stderr:\n%s", stderr)
			}
			conn, err := sqlitedb.Open(context.Background(), out, sqlitedb.ReadOnly)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			var tables int
			if err := conn.QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'TAGS'").Scan(&tables); err != nil || tables != 1 {
				t.Errorf("downloaded database: %d TAGS tables, %v", tables, err)
			}
			for _, r := range fake.Requests()[before:] {
				if r.Route != "storage" && r.Auth != tt.wantAuth {
					t.Errorf("%s %s: auth %s, want %s", r.Method, r.Path, r.Auth, tt.wantAuth)
				}
				if strings.HasPrefix(tt.name, "GHES") && r.Route != "storage" && !strings.HasPrefix(r.Path, "/api/v3/") {
					t.Errorf("GHES request went to %s", r.Path)
				}
			}
		})
	}
}

func TestCmdDownloadTextOutput(t *testing.T) {
	_, url, db := downloadFixture(t)
	out := filepath.Join(t.TempDir(), "tags.sqlite")
	code, stdout, stderr := runTagdb(t, map[string]string{"GITHUB_API_URL": url, "GITHUB_REPOSITORY": "tagdb/tags"}, "download", "--tag", "split", "--out", out, "--quiet")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, line := range []string{"tag=split", "edition=cc4", "asset=tagdb-cc4.sqlite.zst", "parts=3", "db-sha256=" + sha256File(t, db), "path=" + out, "verified=true"} {
		if !strings.Contains(stdout, line+"\n") {
			t.Errorf("output lacks %q:\n%s", line, stdout)
		}
	}
	if strings.Contains(stderr, "bytes") {
		t.Errorf("--quiet drew progress:\n%s", stderr)
	}
}

func TestCmdDownloadRefuses(t *testing.T) {
	_, url, _ := downloadFixture(t)
	vars := map[string]string{"GITHUB_API_URL": url, "GITHUB_REPOSITORY": "tagdb/tags"}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"checksum mismatch", []string{"--tag", "tampered"}, 1, "tagdb-cc4.sqlite.zst of release tampered: sha256"},
		{"missing edition", []string{"--edition", "mit"}, 1, "release v2 has no mit edition (it has: cc4)"},
		{"missing release", []string{"--tag", "v9"}, 1, "release v9 not found in tagdb/tags"},
		{"bad api url", []string{"--api-url", "ftp://h"}, 2, "api url"},
		{"stray argument", []string{"extra"}, 2, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "tags.sqlite")
			code, stdout, stderr := runTagdb(t, vars, append([]string{"download", "--out", out}, tt.args...)...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.wantCode, tt.wantErr)
			}
			if stdout != "" {
				t.Errorf("a refused download printed a result: %s", stdout)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("a refused download left %d file(s) next to --out", len(left))
			}
		})
	}
	code, _, stderr := runTagdb(t, map[string]string{}, "download")
	if code != 2 || !strings.Contains(stderr, "--repo is required") {
		t.Errorf("no repository: exit %d, %q", code, stderr)
	}
}
