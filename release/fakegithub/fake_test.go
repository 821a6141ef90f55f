package fakegithub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

const tok = "secret"

type client struct {
	t     *testing.T
	base  string
	token string
}

// do sends a request and returns status, headers and body. Redirects are
// not followed so they can be inspected.
func (c client) do(method, path, body string, hdr ...string) (int, http.Header, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func start(t *testing.T, o Options) (*Fake, client, client) {
	f := New(o)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, client{t: t, base: srv.URL, token: tok}, client{t: t, base: srv.URL}
}

func TestDraftsAreHidden(t *testing.T) {
	f, auth, anon := start(t, Options{Token: tok, ReadOnlyToken: "ro"})
	draft, _ := f.AddRelease("o/r", ReleaseState{Tag: "v1", Draft: true})
	if _, err := f.AddRelease("o/r", ReleaseState{Tag: "v0"}); err != nil {
		t.Fatal(err)
	}
	ro := client{t: t, base: auth.base, token: "ro"}

	tests := []struct {
		name   string
		c      client
		path   string
		status int
		has    string
		hasnt  string
	}{
		{"tag endpoint never returns drafts", auth, "/repos/o/r/releases/tags/v1", 404, "", ""},
		{"tag endpoint returns published", anon, "/repos/o/r/releases/tags/v0", 200, `"tag_name": "v0"`, ""},
		{"list with push access shows drafts", auth, "/repos/o/r/releases", 200, `"tag_name": "v1"`, ""},
		{"anonymous list hides drafts", anon, "/repos/o/r/releases", 200, `"tag_name": "v0"`, `"v1"`},
		{"read-only list hides drafts", ro, "/repos/o/r/releases", 200, `"tag_name": "v0"`, `"v1"`},
		{"draft by id needs push access", anon, fmt.Sprintf("/repos/o/r/releases/%d", draft), 404, "", ""},
		{"draft by id", auth, fmt.Sprintf("/api/v3/repos/o/r/releases/%d", draft), 200, "untagged-", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := tt.c.do("GET", tt.path, "")
			if status != tt.status || !strings.Contains(body, tt.has) || (tt.hasnt != "" && strings.Contains(body, tt.hasnt)) {
				t.Errorf("GET %s = %d %s", tt.path, status, body)
			}
		})
	}
}

func TestPaginationLinks(t *testing.T) {
	f, auth, _ := start(t, Options{Token: tok})
	for i := range 65 {
		f.AddRelease("o/r", ReleaseState{Tag: fmt.Sprintf("v%d", i)})
	}
	count := func(body string) int {
		var v []map[string]any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		return len(v)
	}
	_, h, body := auth.do("GET", "/repos/o/r/releases", "")
	if n := count(body); n != 30 {
		t.Errorf("default page has %d items, want 30", n)
	}
	link := h.Get("Link")
	want := fmt.Sprintf(`<%s/repos/o/r/releases?page=2&per_page=30>; rel="next", <%s/repos/o/r/releases?page=3&per_page=30>; rel="last"`, auth.base, auth.base)
	if link != want {
		t.Errorf("Link = %s\nwant   %s", link, want)
	}
	_, h, body = auth.do("GET", "/repos/o/r/releases?per_page=30&page=3", "")
	if n := count(body); n != 5 || !strings.Contains(h.Get("Link"), `page=2&per_page=30>; rel="prev"`) || strings.Contains(h.Get("Link"), `rel="next"`) {
		t.Errorf("last page: %d items, Link %s", n, h.Get("Link"))
	}
	_, h, body = auth.do("GET", "/repos/o/r/releases?per_page=500", "")
	if n := count(body); n != 65 || h.Get("Link") != "" {
		t.Errorf("per_page=500: %d items (capped at 100 means all 65), Link %q", n, h.Get("Link"))
	}
	if _, _, body = auth.do("GET", "/repos/o/r/releases?page=9", ""); body != "[]\n" {
		t.Errorf("page past the end = %q, want []", body)
	}
}

func TestAlreadyExists(t *testing.T) {
	_, auth, _ := start(t, Options{Token: tok})
	post := func(body string) (int, string) {
		s, _, b := auth.do("POST", "/repos/o/r/releases", body)
		return s, b
	}
	if s, b := post(`{"tag_name":"v1","draft":true}`); s != 201 {
		t.Fatalf("create draft: %d %s", s, b)
	}
	if s, _ := post(`{"tag_name":"v1","draft":true}`); s != 201 {
		t.Errorf("a second draft for a tag is allowed on GitHub, got %d", s)
	}
	if s, b := post(`{"tag_name":"v1"}`); s != 201 {
		t.Fatalf("publish v1: %d %s", s, b)
	}
	s, b := post(`{"tag_name":"v1"}`)
	if s != 422 || !strings.Contains(b, `"code": "already_exists"`) || !strings.Contains(b, `"field": "tag_name"`) {
		t.Errorf("duplicate published tag: %d %s", s, b)
	}
	if s, b := post(`{"name":"x"}`); s != 422 || !strings.Contains(b, "missing_field") {
		t.Errorf("no tag: %d %s", s, b)
	}
}

func TestUploadAndDownload(t *testing.T) {
	f, auth, anon := start(t, Options{Token: tok, MaxAssetSize: 100})
	id, _ := f.AddRelease("o/r", ReleaseState{Tag: "v1"})
	up := fmt.Sprintf("/api/uploads/repos/o/r/releases/%d/assets?name=", id)

	s, _, b := auth.do("POST", up+"my+db.zst", "hello", "Content-Type", "application/zstd")
	if s != 201 || !strings.Contains(b, `"name": "my.db.zst"`) || !strings.Contains(b, `"size": 5`) {
		t.Fatalf("upload: %d %s", s, b)
	}
	var a struct {
		ID  int64  `json:"id"`
		URL string `json:"browser_download_url"`
	}
	json.Unmarshal([]byte(b), &a)
	if s, _, b := auth.do("POST", up+"my+db.zst", "again"); s != 422 || !strings.Contains(b, `"already_exists"`) || !strings.Contains(b, `"field": "name"`) {
		t.Errorf("duplicate name: %d %s", s, b)
	}
	if s, _, b := auth.do("POST", up+"big", strings.Repeat("x", 100)); s != 422 || !strings.Contains(b, "size must be less than or equal to 100") {
		t.Errorf("oversize: %d %s", s, b)
	}
	if s, _, _ := anon.do("POST", up+"anon", "x"); s != 401 {
		t.Errorf("anonymous upload: %d, want 401", s)
	}

	assetPath := fmt.Sprintf("/repos/o/r/releases/assets/%d", a.ID)
	if s, _, b := auth.do("GET", assetPath, ""); s != 200 || !strings.Contains(b, `"state": "uploaded"`) {
		t.Errorf("metadata: %d %s", s, b)
	}
	s, h, _ := auth.do("GET", assetPath, "", "Accept", "application/octet-stream")
	loc := h.Get("Location")
	if s != 302 || !strings.Contains(loc, "/_fake/storage/") {
		t.Fatalf("octet-stream GET: %d Location %q", s, loc)
	}
	if s, _, b := anon.do("GET", strings.TrimPrefix(loc, auth.base), ""); s != 200 || b != "hello" {
		t.Errorf("storage without token: %d %q", s, b)
	}
	if s, _, _ := anon.do("GET", strings.TrimPrefix(loc, auth.base)+"x", ""); s != 403 {
		t.Errorf("storage with a bad signature: %d, want 403", s)
	}
	if s, h, _ := anon.do("GET", strings.TrimPrefix(a.URL, auth.base), ""); s != 302 || h.Get("Location") == "" {
		t.Errorf("browser_download_url: %d", s)
	}
	st := f.State()
	got := st.Repos["o/r"].Releases[0].Assets[0]
	if got.SHA256 != "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" || got.ContentType != "application/zstd" || got.Downloads != 1 {
		t.Errorf("recorded asset %+v", got)
	}
	// The anonymous attempt was refused before it counted as an upload.
	if st.Counts.Uploads != 1 || st.Counts.UploadAttempts != 3 || st.Counts.Downloads != 1 {
		t.Errorf("counts %+v, want 1 upload of 3 attempts and 1 download", st.Counts)
	}
}

func TestWritePermissions(t *testing.T) {
	_, auth, anon := start(t, Options{Token: tok, ReadOnlyToken: "ro"})
	ro := client{t: t, base: auth.base, token: "ro"}
	bad := client{t: t, base: auth.base, token: "nope"}
	body := `{"body":"hi"}`
	for _, tt := range []struct {
		c    client
		want int
	}{{auth, 201}, {anon, 401}, {ro, 403}, {bad, 401}} {
		if s, _, b := tt.c.do("POST", "/repos/o/r/issues/1/comments", body); s != tt.want {
			t.Errorf("token %q: %d %s, want %d", tt.c.token, s, b, tt.want)
		}
	}
}

func TestFaults(t *testing.T) {
	f, auth, _ := start(t, Options{Token: tok})
	f.AddFault(Fault{Route: "list-releases", Status: 429, RetryAfter: 3, After: 1, Times: 2})
	var got []string
	for range 5 {
		s, h, _ := auth.do("GET", "/repos/o/r/releases", "")
		got = append(got, fmt.Sprintf("%d/%s", s, h.Get("Retry-After")))
	}
	if want := "200/ 429/3 429/3 200/ 200/"; strings.Join(got, " ") != want {
		t.Errorf("statuses %q, want %q", strings.Join(got, " "), want)
	}

	f.AddFault(Fault{Route: "list-comments", DelayMS: 300})
	began := time.Now()
	if s, _, _ := auth.do("GET", "/repos/o/r/issues/1/comments", ""); s != 200 || time.Since(began) < 300*time.Millisecond {
		t.Errorf("slow fault: %d after %v", s, time.Since(began))
	}

	f.AddFault(Fault{Route: "get-latest-release", Reset: true})
	// A fresh connection: the transport silently retries a GET only on a
	// reused one.
	fresh := &http.Client{Transport: &http.Transport{}}
	if resp, err := fresh.Get(auth.base + "/repos/o/r/releases/latest"); err == nil {
		resp.Body.Close()
		t.Error("a reset fault answered")
	}
	// The reset is logged by the server goroutine, which may finish after
	// the client has already seen the connection drop: wait for it briefly.
	var faulted int
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		faulted = 0
		for _, r := range f.Requests() {
			if r.Fault {
				faulted++
			}
		}
		if faulted >= 3 || time.Now().After(deadline) {
			break
		}
	}
	if faulted != 3 {
		t.Errorf("%d requests logged as faulted, want 3", faulted)
	}
}

func TestServeLoopbackOnlyAndControlEndpoints(t *testing.T) {
	f := New(Options{Token: tok})
	if err := f.Serve(context.Background(), "0.0.0.0:0", nil); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("Serve on 0.0.0.0: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- f.Serve(ctx, "127.0.0.1:0", func(u string) error { urls <- u; return nil })
	}()
	c := client{t: t, base: <-urls}
	if s, _, b := c.do("POST", "/_fake/faults", `[{"route":"create-release","status":502}]`); s != 201 {
		t.Fatalf("add fault: %d %s", s, b)
	}
	if s, _, b := c.do("POST", "/_fake/faults", `{"route":"nope"}`); s != 400 || !strings.Contains(b, `unknown route \"nope\"`) {
		t.Errorf("unknown route accepted: %d %s", s, b)
	}
	c.token = tok
	if s, _, _ := c.do("POST", "/repos/o/r/releases", `{"tag_name":"v1"}`); s != 502 {
		t.Errorf("injected 502 not served: %d", s)
	}
	c.do("POST", "/repos/o/r/releases", `{"tag_name":"v1"}`)
	_, _, body := c.do("GET", "/_fake/state", "")
	var st State
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatal(err)
	}
	if rels := st.Repos["o/r"].Releases; len(rels) != 1 || rels[0].Tag != "v1" || !rels[0].Latest || st.Counts.Requests != 2 {
		t.Errorf("state = %s", body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel: %v", err)
	}
}
