package fakegithub

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Fake.
type Options struct {
	// Token is the token with write access. Empty: every request, even
	// without a token, has write access.
	Token string
	// ReadOnlyToken can read but not write, like the token of a workflow
	// run for a pull request from a fork.
	ReadOnlyToken string
	// MaxAssetSize refuses uploads of this many bytes or more
	// (default 2 GiB, GitHub's limit).
	MaxAssetSize int64
	// Now stamps created_at and friends (default time.Now).
	Now func() time.Time
}

// Fake is the fake API. The zero value is not usable; call New.
type Fake struct {
	opts Options

	mu       sync.Mutex
	repos    map[string]*repoState
	nextID   int64
	faults   []*Fault
	requests []Request
	counts   Counts
}

// Counts are running totals for assertions ("run 3 uploaded nothing").
type Counts struct {
	Uploads        int `json:"uploads"`         // assets stored
	UploadAttempts int `json:"upload_attempts"` // upload requests received
	AssetDeletes   int `json:"asset_deletes"`
	Downloads      int `json:"downloads"` // asset contents served
	Requests       int `json:"requests"`
}

// Request is one entry of the request log.
type Request struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Query  string `json:"query,omitempty"`
	Route  string `json:"route"`
	// Auth is "write", "read", "anonymous" or "bad".
	Auth   string `json:"auth"`
	Accept string `json:"accept,omitempty"`
	Status int    `json:"status"`
	Fault  bool   `json:"fault,omitempty"` // answered (or cut) by an injected fault
}

type repoState struct {
	releases []*release
	comments []*comment
	latestID int64
}

type release struct {
	id                   int64
	tag, name, body      string
	target               string
	draft, prerelease    bool
	created, published   time.Time
	untagged             string // html_url slug GitHub gives drafts
	assets               []*asset
	makeLatestRequested  string
	generateReleaseNotes bool
}

type asset struct {
	id          int64
	name, label string
	state       string
	contentType string
	content     []byte
	sha256      string
	sig         string // the storage URL's signature
	created     time.Time
	downloads   int
	releaseID   int64
}

type comment struct {
	id      int64
	issue   int
	body    string
	user    string
	created time.Time
	updated time.Time
}

// New makes an empty fake; every repository exists and starts empty.
func New(o Options) *Fake {
	if o.MaxAssetSize <= 0 {
		o.MaxAssetSize = 2 << 30
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Fake{opts: o, repos: map[string]*repoState{}, nextID: 1000}
}

func (f *Fake) repo(owner, name string) *repoState {
	key := owner + "/" + name
	r := f.repos[key]
	if r == nil {
		r = &repoState{}
		f.repos[key] = r
	}
	return r
}

func (f *Fake) newID() int64 {
	f.nextID++
	return f.nextID
}

// access levels
const (
	accessBad   = "bad"
	accessAnon  = "anonymous"
	accessRead  = "read"
	accessWrite = "write"
)

func (f *Fake) access(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if h == "" {
		if f.opts.Token == "" {
			return accessWrite
		}
		return accessAnon
	}
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || (!strings.EqualFold(scheme, "bearer") && !strings.EqualFold(scheme, "token")) {
		return accessBad
	}
	switch {
	case f.opts.Token == "" || tok == f.opts.Token:
		return accessWrite
	case f.opts.ReadOnlyToken != "" && tok == f.opts.ReadOnlyToken:
		return accessRead
	}
	return accessBad
}

// call is one request on its way through the fake.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	params []string // the wildcard segments of the route, in order
	access string
	base   string // scheme://host
	api    string // base + "" or "/api/v3": the prefix the client used
}

type route struct {
	method  string
	pattern []string // literal segments, "*" for one segment, "**" for the rest
	name    string
	write   bool // needs write access
	handle  func(f *Fake, c *call)
}

func routes() []route {
	seg := func(p string) []string { return strings.Split(p, "/") }
	return []route{
		{"GET", seg("repos/*/*/releases"), "list-releases", false, (*Fake).listReleases},
		{"POST", seg("repos/*/*/releases"), "create-release", true, (*Fake).createRelease},
		{"GET", seg("repos/*/*/releases/latest"), "get-latest-release", false, (*Fake).getLatestRelease},
		{"GET", seg("repos/*/*/releases/tags/**"), "get-release-by-tag", false, (*Fake).getReleaseByTag},
		{"GET", seg("repos/*/*/releases/assets/*"), "get-asset", false, (*Fake).getAsset},
		{"PATCH", seg("repos/*/*/releases/assets/*"), "edit-asset", true, (*Fake).editAsset},
		{"DELETE", seg("repos/*/*/releases/assets/*"), "delete-asset", true, (*Fake).deleteAsset},
		{"GET", seg("repos/*/*/releases/*"), "get-release", false, (*Fake).getRelease},
		{"PATCH", seg("repos/*/*/releases/*"), "edit-release", true, (*Fake).editRelease},
		{"DELETE", seg("repos/*/*/releases/*"), "delete-release", true, (*Fake).deleteRelease},
		{"GET", seg("repos/*/*/releases/*/assets"), "list-assets", false, (*Fake).listAssets},
		{"POST", seg("api/uploads/repos/*/*/releases/*/assets"), "upload-asset", true, (*Fake).uploadAsset},
		{"GET", seg("repos/*/*/issues/*/comments"), "list-comments", false, (*Fake).listComments},
		{"POST", seg("repos/*/*/issues/*/comments"), "create-comment", true, (*Fake).createComment},
		{"PATCH", seg("repos/*/*/issues/comments/*"), "edit-comment", true, (*Fake).editComment},
		{"GET", seg("_fake/storage/*/*"), "storage", false, (*Fake).storage},
		{"GET", seg("*/*/releases/download/*/*"), "browser-download", false, (*Fake).browserDownload},
		{"GET", seg("_fake/state"), "fake-state", false, (*Fake).serveState},
		{"GET", seg("_fake/requests"), "fake-requests", false, (*Fake).serveRequests},
		{"POST", seg("_fake/faults"), "fake-add-fault", false, (*Fake).serveAddFault},
		{"DELETE", seg("_fake/faults"), "fake-clear-faults", false, (*Fake).serveClearFaults},
	}
}

func match(pattern, segs []string) ([]string, bool) {
	var params []string
	for i, p := range pattern {
		if p == "**" {
			if i >= len(segs) {
				return nil, false
			}
			return append(params, strings.Join(segs[i:], "/")), true
		}
		if i >= len(segs) {
			return nil, false
		}
		switch p {
		case "*":
			params = append(params, segs[i])
		case segs[i]:
		default:
			return nil, false
		}
	}
	return params, len(segs) == len(pattern)
}

// ServeHTTP routes a request: log it, check the token, apply a matching
// fault, then run the route.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := strings.Trim(r.URL.Path, "/")
	c := &call{r: r, base: baseURL(r)}
	c.api = c.base
	if rest, ok := strings.CutPrefix(p, "api/v3/"); ok {
		p = rest
		c.api = c.base + "/api/v3"
	}
	segs := strings.Split(p, "/")
	var rt *route
	for _, cand := range routes() {
		if cand.method != r.Method {
			continue
		}
		if params, ok := match(cand.pattern, segs); ok {
			rt, c.params = &cand, params
			break
		}
	}
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	c.w = rec
	c.access = f.access(r)
	entry := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Auth: c.access, Accept: r.Header.Get("Accept"), Route: "unknown"}
	if rt != nil {
		entry.Route = rt.name
	}
	internal := rt != nil && strings.HasPrefix(rt.name, "fake-")
	defer func() {
		if internal {
			return
		}
		entry.Status = rec.status
		f.mu.Lock()
		f.requests = append(f.requests, entry)
		f.counts.Requests++
		f.mu.Unlock()
	}()

	if !internal {
		setRateHeaders(w, f.opts.Now())
	}
	if rt == nil {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	if c.access == accessBad {
		writeError(c.w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	if rt.write && c.access == accessAnon {
		writeError(c.w, http.StatusUnauthorized, "Requires authentication")
		return
	}
	if rt.write && c.access == accessRead {
		writeJSON(c.w, http.StatusForbidden, map[string]any{
			"message":           "Resource not accessible by integration",
			"documentation_url": "https://docs.github.com/rest",
		})
		return
	}
	if rt.name == "upload-asset" {
		f.mu.Lock()
		f.counts.UploadAttempts++
		f.mu.Unlock()
	}
	if fl := f.takeFault(rt.name, r.Method); fl != nil {
		entry.Fault = true
		if f.applyFault(c, rt, fl) {
			return
		}
		entry.Fault = false // the fault only delayed or raced; the route answers
	}
	rt.handle(f, c)
}

// recorder remembers the status and still lets a fault hijack the
// connection.
type recorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("connection cannot be hijacked")
	}
	return hj.Hijack()
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// setRateHeaders sends a healthy primary rate limit, as GitHub does on every
// answer; go-github records it and must not see an exhausted quota.
func setRateHeaders(w http.ResponseWriter, now time.Time) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", "4999")
	h.Set("X-RateLimit-Used", "1")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(time.Hour).Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"message": msg, "documentation_url": "https://docs.github.com/rest"})
}

// writeValidation answers 422 Validation Failed with one error entry, the
// shape go-github decodes into ErrorResponse.Errors.
func writeValidation(w http.ResponseWriter, resource, code, field, msg string) {
	e := map[string]any{"resource": resource, "code": code, "field": field}
	if msg != "" {
		e["message"] = msg
	}
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
		"message":           "Validation Failed",
		"errors":            []any{e},
		"documentation_url": "https://docs.github.com/rest",
	})
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// readJSON decodes a request body; a bad body answers 400 and returns false.
func readJSON(c *call, v any) bool {
	if err := json.NewDecoder(io.LimitReader(c.r.Body, 1<<20)).Decode(v); err != nil {
		writeError(c.w, http.StatusBadRequest, fmt.Sprintf("Problems parsing JSON: %v", err))
		return false
	}
	return true
}

// serveWithRecorder runs a route into memory, for faults that drop the
// answer after the work is done.
func serveWithRecorder(f *Fake, c *call, rt *route) {
	rec := httptest.NewRecorder()
	c2 := *c
	c2.w = rec
	rt.handle(f, &c2)
}
