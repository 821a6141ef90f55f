package release_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/fakegithub"
)

func TestDownload(t *testing.T) {
	h := newHarness(t)
	old := makeBuild(t, "old", "fp1")
	if _, err := h.client.Publish(context.Background(), old.options("v1")); err != nil {
		t.Fatal(err)
	}
	cur := makeBuild(t, "current", "fp2")
	if _, err := h.client.Publish(context.Background(), cur.options("v2")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		tag     string
		b       build
		wantTag string
	}{
		{"latest", cur, "v2"},
		{"v1", old, "v1"},
	}
	for _, tt := range tests {
		t.Run(tt.tag, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "base.sqlite.zst")
			got, err := h.client.Download(context.Background(), tt.tag, "tags-cc0.sqlite.zst", dest)
			if err != nil {
				t.Fatal(err)
			}
			if got.Tag != tt.wantTag || !got.Verified || got.SHA256 != tt.b.bundle.DB.SHA256 || got.Size != tt.b.bundle.DB.Size {
				t.Errorf("got %+v, want verified %s of %s", got, tt.b.bundle.DB.SHA256, tt.wantTag)
			}
			if fileSHA(t, dest) != tt.b.bundle.DB.SHA256 {
				t.Error("file on disk differs from the published asset")
			}
		})
	}
	// The download went through the redirect to storage, without the token.
	sawStorage := false
	for _, r := range h.fake.Requests() {
		if r.Route == "get-asset" && r.Accept != "application/octet-stream" {
			t.Errorf("asset fetched with Accept %q", r.Accept)
		}
		if r.Route == "storage" {
			sawStorage = true
			if r.Auth == "write" {
				t.Error("the token was sent to the storage host")
			}
		}
	}
	if !sawStorage {
		t.Error("no download went through the storage redirect")
	}
}

func TestDownloadRetriesAndFailures(t *testing.T) {
	good := []byte("database bytes\n")
	sums := func(content []byte) []byte {
		p := filepath.Join(t.TempDir(), "f")
		os.WriteFile(p, content, 0o644)
		return []byte(fileSHA(t, p) + "  db.sqlite.zst\n")
	}
	tests := []struct {
		name    string
		assets  []fakegithub.AssetState
		fault   *fakegithub.Fault
		asset   string
		wantErr string
		verify  bool
	}{
		{"verified", []fakegithub.AssetState{{Name: "db.sqlite.zst", Content: good}, {Name: "SHA256SUMS", Content: sums(good)}}, nil, "db.sqlite.zst", "", true},
		{"storage hiccup retried", []fakegithub.AssetState{{Name: "db.sqlite.zst", Content: good}}, &fakegithub.Fault{Route: "storage", Status: 503}, "db.sqlite.zst", "", false},
		{"cut connection retried", []fakegithub.AssetState{{Name: "db.sqlite.zst", Content: good}, {Name: "SHA256SUMS", Content: sums(good)}}, &fakegithub.Fault{Route: "storage", Reset: true}, "db.sqlite.zst", "", true},
		{"checksum mismatch", []fakegithub.AssetState{{Name: "db.sqlite.zst", Content: good}, {Name: "SHA256SUMS", Content: sums([]byte("other"))}}, nil, "db.sqlite.zst",
			"asset db.sqlite.zst of release v1: sha256", false},
		{"per-edition checksum file", []fakegithub.AssetState{{Name: "tagdb-mit.SHA256SUMS", Content: []byte(strings.Repeat("0", 64) + "  other\n")}, {Name: "db.sqlite.zst", Content: good}, {Name: "db.SHA256SUMS", Content: sums(good)}}, nil, "db.sqlite.zst", "", true},
		{"edition file first", []fakegithub.AssetState{{Name: "SHA256SUMS", Content: sums([]byte("stale"))}, {Name: "db.sqlite.zst", Content: good}, {Name: "db.SHA256SUMS", Content: sums(good)}}, nil, "db.sqlite.zst", "", true},
		{"mismatch names the file", []fakegithub.AssetState{{Name: "db.sqlite.zst", Content: good}, {Name: "db.SHA256SUMS", Content: sums([]byte("x"))}}, nil, "db.sqlite.zst", "does not match db.SHA256SUMS", false},
		{"missing asset", []fakegithub.AssetState{{Name: "README.md", Content: good}}, nil, "db.sqlite.zst", "asset db.sqlite.zst of release v1: not found (the release has: README.md)", false},
		{"broken SHA256SUMS", []fakegithub.AssetState{{Name: "db.sqlite.zst", Content: good}, {Name: "SHA256SUMS", Content: []byte("nonsense\n")}}, nil, "db.sqlite.zst", "SHA256SUMS of release v1 line 1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if _, err := h.fake.AddRelease(testRepo, fakegithub.ReleaseState{Tag: "v1", Assets: tt.assets}); err != nil {
				t.Fatal(err)
			}
			if tt.fault != nil {
				h.fake.AddFault(*tt.fault)
			}
			dest := filepath.Join(t.TempDir(), "out")
			got, err := h.client.Download(context.Background(), "v1", tt.asset, dest)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if _, serr := os.Stat(dest); !errors.Is(serr, os.ErrNotExist) {
					t.Error("a failed download left the destination file")
				}
				if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".*")); len(left) != 0 {
					t.Errorf("temporary files left: %v", left)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(dest); string(b) != string(good) || got.Verified != tt.verify {
				t.Errorf("content %q verified=%v, want %q verified=%v", b, got.Verified, good, tt.verify)
			}
		})
	}
}

func TestDownloadNoRelease(t *testing.T) {
	h := newHarness(t)
	if _, err := h.client.Download(context.Background(), "latest", "x", filepath.Join(t.TempDir(), "x")); err == nil || !strings.Contains(err.Error(), "no published release") {
		t.Errorf("latest of an empty repo: %v", err)
	}
	if _, err := h.client.Download(context.Background(), "v3", "x", filepath.Join(t.TempDir(), "x")); err == nil || !strings.Contains(err.Error(), "release v3 not found in "+testRepo) {
		t.Errorf("missing tag: %v", err)
	}
}

func TestManifestFingerprint(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{`{"fingerprint":"abc","inputs":[]}`, "abc", ""},
		{`{"inputs":[]}`, "", ""},
		{`[1,2]`, "", "not a JSON object"},
		{`{"fingerprint": 3}`, "", "not a JSON object"},
	}
	for _, tt := range tests {
		got, err := release.ManifestFingerprint(strings.NewReader(tt.in))
		if (err != nil) != (tt.err != "") || (err != nil && !strings.Contains(err.Error(), tt.err)) || got != tt.want {
			t.Errorf("ManifestFingerprint(%s) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
	for _, tt := range []struct {
		published, ours string
		same            bool
	}{{"a", "a", true}, {"a", "b", false}, {"", "", false}, {"a", "", false}} {
		if got := release.SameFingerprint(tt.published, tt.ours); got != tt.same {
			t.Errorf("SameFingerprint(%q, %q) = %v", tt.published, tt.ours, got)
		}
	}
}
