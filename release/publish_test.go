package release_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"

	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/fakegithub"
)

func TestPublishIntoEmptyRepo(t *testing.T) {
	h := newHarness(t)
	b := makeBuild(t, "first", "fp1")
	res, err := h.client.Publish(context.Background(), b.options("v2026.11.23"))
	if err != nil {
		t.Fatal(err)
	}
	rel := h.only()
	if rel.Draft || !rel.Latest || rel.Tag != "v2026.11.23" || rel.Name != "tagdb v2026.11.23" {
		t.Errorf("release = %+v, want published latest v2026.11.23", rel)
	}
	assertAssets(t, rel, b)
	if !res.Created || !res.Changed || res.Draft || res.ReleaseID != rel.ID {
		t.Errorf("result = %+v", res)
	}
	if !strings.HasSuffix(res.ReleaseURL, "/tagdb/tags/releases/tag/v2026.11.23") {
		t.Errorf("release URL %q is not the published tag page", res.ReleaseURL)
	}
	db := res.Asset("tags-cc0.sqlite.zst")
	if db == nil || !strings.HasSuffix(db.URL, "/releases/download/v2026.11.23/tags-cc0.sqlite.zst") || db.Size != b.bundle.DB.Size {
		t.Errorf("db asset = %+v", db)
	}

	// Order: the release was created as a draft, every asset uploaded with
	// the manifest last, and only then published.
	var steps []string
	for _, r := range h.fake.Requests() {
		switch r.Route {
		case "create-release", "edit-release":
			steps = append(steps, r.Route)
		case "upload-asset":
			steps = append(steps, "upload "+strings.TrimPrefix(r.Query, "name="))
		}
	}
	want := []string{"create-release", "upload tags-cc0.sqlite.zst", "upload README.md", "upload SHA256SUMS", "upload build_manifest.json", "edit-release"}
	if !slices.Equal(steps, want) {
		t.Errorf("steps = %q\nwant    %q", steps, want)
	}
	for _, r := range h.fake.Requests() {
		if r.Auth != "write" {
			t.Errorf("%s %s sent without the token (auth %s)", r.Method, r.Path, r.Auth)
		}
	}
}

func TestSecondPublishReplacesAssets(t *testing.T) {
	h := newHarness(t)
	first := makeBuild(t, "first", "fp1")
	if _, err := h.client.Publish(context.Background(), first.options("v1")); err != nil {
		t.Fatal(err)
	}
	oldIDs := map[string]int64{}
	for _, a := range h.only().Assets {
		oldIDs[a.Name] = a.ID
	}

	second := makeBuild(t, "second, changed source", "fp2")
	res, err := h.client.Publish(context.Background(), second.options("v1"))
	if err != nil {
		t.Fatal(err)
	}
	rel := h.only()
	assertAssets(t, rel, second)
	for _, a := range rel.Assets {
		if oldIDs[a.Name] == a.ID {
			t.Errorf("asset %s kept its old id %d", a.Name, a.ID)
		}
	}
	if res.Created || !res.Changed || rel.Draft {
		t.Errorf("result %+v, release draft=%v", res, rel.Draft)
	}
	if n := h.count("create-release"); n != 1 {
		t.Errorf("%d create-release requests over two runs, want 1", n)
	}
}

func TestSameFingerprintUploadsNothing(t *testing.T) {
	h := newHarness(t)
	b := makeBuild(t, "same", "fp-same")
	if _, err := h.client.Publish(context.Background(), b.options("v1")); err != nil {
		t.Fatal(err)
	}
	before := h.fake.State().Counts

	again := makeBuild(t, "same", "fp-same")
	res, err := h.client.Publish(context.Background(), again.options("v1"))
	if err != nil {
		t.Fatal(err)
	}
	after := h.fake.State().Counts
	if res.Changed || res.Reason == "" {
		t.Errorf("result = %+v, want Changed=false with a reason", res)
	}
	if after.UploadAttempts != before.UploadAttempts || after.AssetDeletes != before.AssetDeletes {
		t.Errorf("uploads %d→%d, deletes %d→%d: want none", before.UploadAttempts, after.UploadAttempts, before.AssetDeletes, after.AssetDeletes)
	}
	if len(res.Assets) != len(b.bundle.Files) || res.Asset("SHA256SUMS") == nil || res.Asset("SHA256SUMS").Uploaded {
		t.Errorf("unchanged result should still list the release's assets: %+v", res.Assets)
	}
	assertAssets(t, h.only(), b)
}

func TestSameFingerprintButIncomplete(t *testing.T) {
	h := newHarness(t)
	b := makeBuild(t, "x", "fp")
	// An earlier run that somehow left the manifest but lost the DB.
	id, err := h.fake.AddRelease(testRepo, fakegithub.ReleaseState{Tag: "v1", Draft: true, Assets: []fakegithub.AssetState{
		{Name: release.ManifestName, Content: []byte(`{"fingerprint":"fp"}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.client.Publish(context.Background(), b.options("v1"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.ReleaseID != id || res.Created {
		t.Errorf("result = %+v, want the existing draft %d completed", res, id)
	}
	rel := h.only()
	assertAssets(t, rel, b)
	if rel.Draft {
		t.Error("release still a draft")
	}
}

func TestSameFingerprintPublishesFinishedDraft(t *testing.T) {
	h := newHarness(t)
	b := makeBuild(t, "x", "fp")
	o := b.options("v1")
	o.Draft = true
	if _, err := h.client.Publish(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if !h.only().Draft {
		t.Fatal("Draft: true published the release")
	}
	uploads := h.fake.State().Counts.Uploads
	res, err := h.client.Publish(context.Background(), b.options("v1"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed || res.Draft || h.only().Draft || h.fake.State().Counts.Uploads != uploads {
		t.Errorf("result %+v: want the complete draft published without uploads", res)
	}
}

func TestUploadRetries(t *testing.T) {
	tests := []struct {
		name      string
		fault     fakegithub.Fault
		wantSleep []time.Duration
	}{
		{"500 once", fakegithub.Fault{Route: "upload-asset", Status: 500}, []time.Duration{time.Second}},
		{"502 twice", fakegithub.Fault{Route: "upload-asset", Status: 502, Times: 2}, []time.Duration{time.Second, 2 * time.Second}},
		{"429 with Retry-After", fakegithub.Fault{Route: "upload-asset", Status: 429, RetryAfter: 7}, []time.Duration{7 * time.Second}},
		{"reset mid-upload", fakegithub.Fault{Route: "upload-asset", Reset: true}, []time.Duration{time.Second}},
		{"reset leaving a starter asset", fakegithub.Fault{Route: "upload-asset", Reset: true, LeaveStarter: true, After: 1}, []time.Duration{time.Second}},
		{"stored but answer lost", fakegithub.Fault{Route: "upload-asset", DropResponse: true, After: 2}, []time.Duration{time.Second}},
		// A concurrent upload of the same name is cleared inside the same
		// attempt: no retry is spent on it.
		{"duplicate name race", fakegithub.Fault{Route: "upload-asset", Duplicate: true}, nil},
		{"500 on listing assets", fakegithub.Fault{Route: "list-assets", Status: 500, After: 1}, []time.Duration{time.Second}},
		{"503 on create", fakegithub.Fault{Route: "create-release", Status: 503}, []time.Duration{time.Second}},
		{"500 on publish", fakegithub.Fault{Route: "edit-release", Status: 500}, []time.Duration{time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.fake.AddFault(tt.fault)
			b := makeBuild(t, tt.name, "fp")
			res, err := h.client.Publish(context.Background(), b.options("v1"))
			if err != nil {
				t.Fatal(err)
			}
			rel := h.only()
			assertAssets(t, rel, b)
			if rel.Draft || !res.Changed {
				t.Errorf("release draft=%v, result %+v", rel.Draft, res)
			}
			if got := h.slept(); !slices.Equal(got, tt.wantSleep) {
				t.Errorf("slept %v, want %v", got, tt.wantSleep)
			}
		})
	}
}

func TestSlowResponseIsRetried(t *testing.T) {
	h := newHarness(t, slowClient(300*time.Millisecond))
	h.fake.AddFault(fakegithub.Fault{Route: "list-assets", DelayMS: 2000})
	b := makeBuild(t, "slow", "fp")
	if _, err := h.client.Publish(context.Background(), b.options("v1")); err != nil {
		t.Fatal(err)
	}
	assertAssets(t, h.only(), b)
	if len(h.slept()) != 1 {
		t.Errorf("slept %v, want one retry after the timeout", h.slept())
	}
}

func TestPersistentFailureLeavesDraft(t *testing.T) {
	for _, after := range []int{0, 2} {
		t.Run(fmt.Sprintf("fails from upload %d", after+1), func(t *testing.T) {
			h := newHarness(t)
			h.fake.AddFault(fakegithub.Fault{Route: "upload-asset", Status: 500, After: after, Times: -1})
			b := makeBuild(t, "doomed", "fp")
			res, err := h.client.Publish(context.Background(), b.options("v1"))
			if err == nil {
				t.Fatal("Publish succeeded against a server that always fails")
			}
			for _, want := range []string{"upload ", "giving up after 4 attempts", "500", "left as a draft", "run the same command again"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			rel := h.only()
			if !rel.Draft || rel.Latest {
				t.Errorf("release draft=%v latest=%v: a failed run must not publish", rel.Draft, rel.Latest)
			}
			if len(rel.Assets) != after {
				t.Errorf("%d assets stored, want %d", len(rel.Assets), after)
			}
			if n := h.count("edit-release"); n != 0 {
				t.Errorf("%d edit-release requests: nothing may be published half-way", n)
			}
			if res == nil || !res.Draft || res.ReleaseID != rel.ID {
				t.Errorf("partial result %+v should describe the draft", res)
			}
			var er *github.ErrorResponse
			if !errors.As(err, &er) || er.Response.StatusCode != 500 {
				t.Errorf("the GitHub error is not in the chain: %v", err)
			}
		})
	}
}

func TestPersistentFailureKeepsPublishedRelease(t *testing.T) {
	h := newHarness(t)
	if _, err := h.client.Publish(context.Background(), makeBuild(t, "one", "fp1").options("v1")); err != nil {
		t.Fatal(err)
	}
	h.fake.AddFault(fakegithub.Fault{Route: "upload-asset", Status: 500, Times: -1})
	_, err := h.client.Publish(context.Background(), makeBuild(t, "two", "fp2").options("v1"))
	if err == nil || !strings.Contains(err.Error(), "is published and may lack some assets") {
		t.Fatalf("err = %v", err)
	}
	if h.only().Draft {
		t.Error("a published release was turned back into a draft")
	}
}

func TestRateLimits(t *testing.T) {
	// go-github refuses to send while it believes a limit is active, judged
	// by the real clock; so the headers use real times in the past and the
	// policy's clock is set before them to make the wait observable.
	reset := time.Now().Add(-time.Hour).Truncate(time.Second)
	tests := []struct {
		name  string
		fault fakegithub.Fault
		now   time.Time
		want  time.Duration
	}{
		{"primary limit waits for the reset", fakegithub.Fault{Route: "get-release-by-tag", Status: 403, Message: "API rate limit exceeded",
			Headers: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": fmt.Sprint(reset.Unix())}},
			reset.Add(-30 * time.Second), 31 * time.Second},
		{"429 with a reset header", fakegithub.Fault{Route: "list-releases", Status: 429,
			Headers: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": fmt.Sprint(reset.Unix())}},
			reset.Add(-10 * time.Second), 11 * time.Second},
		{"server wait is capped", fakegithub.Fault{Route: "upload-asset", Status: 429, RetryAfter: 7200}, time.Now(), 15 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h *harness
			h = newHarness(t, withClient(func(o *release.Options) {
				o.Retry = release.RetryPolicy{Attempts: 3, Base: time.Second,
					Sleep: func(ctx context.Context, d time.Duration) error { return h.recordSleep(ctx, d) },
					Now:   func() time.Time { return tt.now }}
			}))
			h.fake.AddFault(tt.fault)
			b := makeBuild(t, "x", "fp")
			if _, err := h.client.Publish(context.Background(), b.options("v1")); err != nil {
				t.Fatal(err)
			}
			if got := h.slept(); !slices.Equal(got, []time.Duration{tt.want}) {
				t.Errorf("slept %v, want [%v]", got, tt.want)
			}
		})
	}
}

func TestSecondaryRateLimit(t *testing.T) {
	// go-github blocks requests until Retry-After has passed on the real
	// clock, so this test really waits the one second it asks for.
	var h *harness
	h = newHarness(t, withClient(func(o *release.Options) {
		o.Retry = release.RetryPolicy{Attempts: 3, Sleep: func(ctx context.Context, d time.Duration) error {
			h.recordSleep(ctx, d)
			time.Sleep(d)
			return nil
		}}
	}))
	h.fake.AddFault(fakegithub.Fault{Route: "create-release", Status: 403, RetryAfter: 1,
		Message: "You have exceeded a secondary rate limit", DocumentationURL: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"})
	b := makeBuild(t, "x", "fp")
	if _, err := h.client.Publish(context.Background(), b.options("v1")); err != nil {
		t.Fatal(err)
	}
	if got := h.slept(); len(got) != 1 || got[0] != time.Second {
		t.Errorf("slept %v, want [1s]", got)
	}
}

func TestNotRetried(t *testing.T) {
	tests := []struct {
		name  string
		fault fakegithub.Fault
		want  string
	}{
		{"403 plain", fakegithub.Fault{Route: "create-release", Status: 403, Message: "Resource not accessible by integration"}, "contents: write"},
		{"422 other", fakegithub.Fault{Route: "upload-asset", Status: 422, Message: "Cannot upload assets to an immutable release"}, "publish under a new tag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.fake.AddFault(tt.fault)
			_, err := h.client.Publish(context.Background(), makeBuild(t, "x", "fp").options("v1"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if len(h.slept()) != 0 {
				t.Errorf("a %d was retried: slept %v", tt.fault.Status, h.slept())
			}
		})
	}
}

func TestBadToken(t *testing.T) {
	h := newHarness(t, withClient(func(o *release.Options) { o.Token = "wrong" }))
	_, err := h.client.Publish(context.Background(), makeBuild(t, "x", "fp").options("v1"))
	if err == nil || !strings.Contains(err.Error(), "token was rejected") {
		t.Fatalf("err = %v", err)
	}
}

func TestOversizeRefusedBeforeAnyRequest(t *testing.T) {
	h := newHarness(t)
	b := makeBuild(t, "x", "fp")
	big := filepath.Join(t.TempDir(), "huge.sqlite.zst")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: exactly 2 GiB takes no disk space and is already too big.
	if err := f.Truncate(release.AssetSizeLimit); err != nil {
		t.Fatal(err)
	}
	f.Close()
	o := b.options("v1")
	o.Assets = append(o.Assets, release.Asset{Path: big})
	_, err = h.client.Publish(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "huge.sqlite.zst is 2147483648 bytes") || !strings.Contains(err.Error(), "nothing was uploaded") {
		t.Fatalf("err = %v", err)
	}
	if n := len(h.fake.Requests()); n != 0 {
		t.Errorf("%d API requests before refusing, want 0", n)
	}
}

func TestSplitLargeAssetAndDownloadJoins(t *testing.T) {
	h := newHarness(t)
	noise := make([]byte, 4000)
	rand.Read(noise)
	b := makeBuild(t, hex.EncodeToString(noise), "fp")
	o := b.options("v1")
	o.Split, o.MaxAssetSize, o.PartSize = true, 1500, 1000
	o.SplitDir = t.TempDir()
	res, err := h.client.Publish(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	db := b.bundle.DB
	parts := res.Parts[db.Name]
	wantParts := int((db.Size + 999) / 1000)
	if len(parts) != wantParts || parts[0] != db.Name+".part001" {
		t.Fatalf("parts %v, want %d starting at .part001 (db %d bytes)", parts, wantParts, db.Size)
	}
	names := map[string]bool{}
	for _, a := range h.only().Assets {
		names[a.Name] = true
	}
	if names[db.Name] || !names[parts[len(parts)-1]] {
		t.Errorf("release assets %v: want the parts instead of the whole DB", names)
	}

	// Download rebuilds the whole file and checks it against SHA256SUMS,
	// which lists the unsplit asset.
	dest := filepath.Join(t.TempDir(), "base.sqlite.zst")
	got, err := h.client.Download(context.Background(), "v1", db.Name, dest)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Verified || got.SHA256 != db.SHA256 || len(got.Parts) != wantParts {
		t.Errorf("download = %+v, want verified %s from %d parts", got, db.SHA256, wantParts)
	}

	// A later build that fits in one asset removes the stale parts.
	small := makeBuild(t, "small", "fp2")
	if _, err := h.client.Publish(context.Background(), small.options("v1")); err != nil {
		t.Fatal(err)
	}
	assertAssets(t, h.only(), small)
}

func TestOverwriteOffRefusesBeforeUploading(t *testing.T) {
	h := newHarness(t)
	if _, err := h.client.Publish(context.Background(), makeBuild(t, "one", "fp1").options("v1")); err != nil {
		t.Fatal(err)
	}
	uploads := h.count("upload-asset")
	o := makeBuild(t, "two", "fp2").options("v1")
	o.Overwrite = false
	_, err := h.client.Publish(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "overwriting assets is off") {
		t.Fatalf("err = %v", err)
	}
	if h.count("upload-asset") != uploads {
		t.Error("uploads happened although the run was refused")
	}
}

func TestFindsDraftOnALaterPage(t *testing.T) {
	h := newHarness(t)
	// The oldest releases come last in GitHub's list: two drafts for our
	// tag, then 230 newer releases pushing them to page 3.
	first, _ := h.fake.AddRelease(testRepo, fakegithub.ReleaseState{Tag: "v9", Draft: true})
	h.fake.AddRelease(testRepo, fakegithub.ReleaseState{Tag: "v9", Draft: true})
	for i := range 230 {
		h.fake.AddRelease(testRepo, fakegithub.ReleaseState{Tag: fmt.Sprintf("old-%d", i), Draft: i%3 == 0})
	}
	b := makeBuild(t, "x", "fp")
	res, err := h.client.Publish(context.Background(), b.options("v9"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Created || res.ReleaseID != first {
		t.Errorf("used release %d (created=%v), want the oldest draft %d", res.ReleaseID, res.Created, first)
	}
	if n := h.count("list-releases"); n != 3 {
		t.Errorf("%d list pages fetched, want 3", n)
	}
	if n := h.count("create-release"); n != 0 {
		t.Errorf("created a release although a draft existed")
	}
	if !strings.Contains(h.logs.String(), "several releases share this tag") {
		t.Errorf("no warning about duplicate drafts in logs:\n%s", h.logs)
	}
}

func TestEnterpriseAPIURLs(t *testing.T) {
	for _, api := range []string{"SERVER", "SERVER/", "SERVER/api/v3", "SERVER/api/v3/"} {
		t.Run(api, func(t *testing.T) {
			h := newHarness(t, withClient(func(o *release.Options) { o.APIURL = api }))
			if !strings.HasSuffix(h.client.BaseURL(), "/api/v3/") {
				t.Errorf("base URL %s", h.client.BaseURL())
			}
			b := makeBuild(t, "ghes", "fp")
			if _, err := h.client.Publish(context.Background(), b.options("v1")); err != nil {
				t.Fatal(err)
			}
			assertAssets(t, h.only(), b)
			for _, r := range h.fake.Requests() {
				prefix := "/api/v3/"
				if r.Route == "upload-asset" {
					prefix = "/api/uploads/"
				}
				if r.Route != "storage" && !strings.HasPrefix(r.Path, prefix) {
					t.Errorf("%s %s: want it under %s", r.Method, r.Path, prefix)
				}
			}
		})
	}
	if _, err := release.New(release.Options{Repo: testRepo, APIURL: "ftp://x"}); err == nil {
		t.Error("an ftp api url was accepted")
	}
}

func TestPrereleaseIsNeverLatest(t *testing.T) {
	h := newHarness(t)
	if _, err := h.client.Publish(context.Background(), makeBuild(t, "stable", "fp1").options("v1")); err != nil {
		t.Fatal(err)
	}
	o := makeBuild(t, "pre", "fp2").options("v2-rc")
	o.Prerelease = true
	if _, err := h.client.Publish(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	for _, r := range h.repo().Releases {
		if r.Tag == "v2-rc" && (r.Latest || r.MakeLatest != "false" || !r.Prerelease) {
			t.Errorf("prerelease %+v", r)
		}
		if r.Tag == "v1" && !r.Latest {
			t.Error("v1 lost latest to a prerelease")
		}
	}
}

func TestPublishValidatesOptions(t *testing.T) {
	h := newHarness(t)
	b := makeBuild(t, "x", "fp")
	tests := []struct {
		name string
		edit func(*release.PublishOptions)
		want string
	}{
		{"no tag", func(o *release.PublishOptions) { o.Tag = "" }, "no tag"},
		{"no assets", func(o *release.PublishOptions) { o.Assets = nil }, "no assets"},
		{"missing file", func(o *release.PublishOptions) { o.Assets[0].Path += ".gone" }, "tags-cc0.sqlite.zst"},
		{"duplicate name", func(o *release.PublishOptions) { o.Assets[1].Name = o.Assets[0].Name }, "two assets are named"},
		{"bad make_latest", func(o *release.PublishOptions) { o.MakeLatest = "yes" }, `make-latest "yes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := b.options("v1")
			o.Assets = slices.Clone(o.Assets)
			tt.edit(&o)
			if _, err := h.client.Publish(context.Background(), o); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if n := len(h.fake.Requests()); n != 0 {
		t.Errorf("%d requests for invalid options", n)
	}
}

func TestEmptyFileSkipped(t *testing.T) {
	h := newHarness(t)
	b := makeBuild(t, "x", "fp")
	empty := filepath.Join(t.TempDir(), "conflicts.csv")
	write(t, empty, "")
	o := b.options("v1")
	o.Assets = append(o.Assets, release.Asset{Path: empty})
	res, err := h.client.Publish(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Skipped, []string{"conflicts.csv"}) {
		t.Errorf("skipped %v", res.Skipped)
	}
	assertAssets(t, h.only(), b)
}
