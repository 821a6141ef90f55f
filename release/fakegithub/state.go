package fakegithub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/tagdb/tagdb-action/internal/files"
)

// State is a snapshot of everything the fake holds, as tests and
// GET /_fake/state see it.
type State struct {
	Repos  map[string]RepoState `json:"repos"`
	Counts Counts               `json:"counts"`
}

// RepoState is one repository's releases (oldest first) and comments.
type RepoState struct {
	Releases []ReleaseState `json:"releases"`
	Comments []CommentState `json:"comments"`
}

// ReleaseState is one release.
type ReleaseState struct {
	ID         int64        `json:"id"`
	Tag        string       `json:"tag_name"`
	Name       string       `json:"name"`
	Body       string       `json:"body"`
	Target     string       `json:"target_commitish"`
	Draft      bool         `json:"draft"`
	Prerelease bool         `json:"prerelease"`
	Latest     bool         `json:"latest"`
	MakeLatest string       `json:"make_latest,omitempty"` // the last make_latest sent
	Assets     []AssetState `json:"assets"`
}

// AssetState is one asset; Content is left out of the JSON dump.
type AssetState struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Label       string `json:"label,omitempty"`
	State       string `json:"state"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Downloads   int    `json:"download_count"`
	Content     []byte `json:"-"`
}

// CommentState is one issue comment.
type CommentState struct {
	ID    int64  `json:"id"`
	Issue int    `json:"issue"`
	Body  string `json:"body"`
}

// State returns a deep copy of the fake's contents.
func (f *Fake) State() State {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := State{Repos: map[string]RepoState{}, Counts: f.counts}
	for key, rs := range f.repos {
		out := RepoState{Releases: []ReleaseState{}, Comments: []CommentState{}}
		latest := rs.latest()
		for _, r := range rs.releases {
			rel := ReleaseState{ID: r.id, Tag: r.tag, Name: r.name, Body: r.body, Target: r.target, Draft: r.draft, Prerelease: r.prerelease, Latest: r == latest, MakeLatest: r.makeLatestRequested, Assets: []AssetState{}}
			for _, a := range r.assets {
				rel.Assets = append(rel.Assets, AssetState{ID: a.id, Name: a.name, Label: a.label, State: a.state, ContentType: a.contentType, Size: int64(len(a.content)), SHA256: a.sha256, Downloads: a.downloads, Content: append([]byte(nil), a.content...)})
			}
			out.Releases = append(out.Releases, rel)
		}
		for _, cm := range rs.comments {
			out.Comments = append(out.Comments, CommentState{ID: cm.id, Issue: cm.issue, Body: cm.body})
		}
		st.Repos[key] = out
	}
	return st
}

// Requests returns the request log (fake-internal requests excluded).
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// AddRelease stores a release directly (test setup without API calls) and
// returns its id.
func (f *Fake) AddRelease(repo string, r ReleaseState) (int64, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := f.repo(owner, name)
	now := f.opts.Now()
	rel := &release{id: f.newID(), tag: r.Tag, name: r.Name, body: r.Body, target: r.Target, draft: r.Draft, prerelease: r.Prerelease, created: now, untagged: "untagged-" + randomHex(10)}
	if rel.target == "" {
		rel.target = "main"
	}
	if !rel.draft {
		rel.published = now
		if r.Latest {
			rs.latestID = rel.id
		}
	}
	for _, a := range r.Assets {
		sum := sha256.Sum256(a.Content)
		state := a.State
		if state == "" {
			state = "uploaded"
		}
		rel.assets = append(rel.assets, &asset{id: f.newID(), name: a.Name, label: a.Label, state: state, contentType: "application/octet-stream", content: append([]byte(nil), a.Content...), sha256: hex.EncodeToString(sum[:]), sig: randomHex(8), created: now, releaseID: rel.id})
	}
	rs.releases = append(rs.releases, rel)
	return rel.id, nil
}

// AddComment stores an issue comment directly and returns its id.
func (f *Fake) AddComment(repo string, issue int, body string) (int64, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.opts.Now()
	cm := &comment{id: f.newID(), issue: issue, body: body, user: "someone", created: now, updated: now}
	rs := f.repo(owner, name)
	rs.comments = append(rs.comments, cm)
	return cm.id, nil
}

func splitRepo(repo string) (string, string, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("repository %q: want owner/name", repo)
	}
	return owner, name, nil
}

func (f *Fake) serveState(c *call) {
	writeJSON(c.w, http.StatusOK, f.State())
}

func (f *Fake) serveRequests(c *call) {
	writeJSON(c.w, http.StatusOK, f.Requests())
}

// serveAddFault accepts one Fault or a list of them as JSON.
func (f *Fake) serveAddFault(c *call) {
	var raw json.RawMessage
	if !readJSON(c, &raw) {
		return
	}
	var list []Fault
	if len(raw) > 0 && raw[0] == '[' {
		if err := json.Unmarshal(raw, &list); err != nil {
			writeError(c.w, http.StatusBadRequest, err.Error())
			return
		}
	} else {
		var one Fault
		if err := json.Unmarshal(raw, &one); err != nil {
			writeError(c.w, http.StatusBadRequest, err.Error())
			return
		}
		list = []Fault{one}
	}
	known := map[string]bool{"*": true}
	for _, rt := range routes() {
		known[rt.name] = true
	}
	for _, fl := range list {
		if !known[fl.Route] {
			writeError(c.w, http.StatusBadRequest, fmt.Sprintf("unknown route %q", fl.Route))
			return
		}
	}
	for _, fl := range list {
		f.AddFault(fl)
	}
	writeJSON(c.w, http.StatusCreated, map[string]any{"added": len(list)})
}

func (f *Fake) serveClearFaults(c *call) {
	f.ClearFaults()
	c.w.WriteHeader(http.StatusNoContent)
}

// RouteNames lists the route names faults can target, sorted.
func RouteNames() []string {
	var names []string
	for _, rt := range routes() {
		names = append(names, rt.name)
	}
	sort.Strings(names)
	return names
}

// Serve runs the fake on addr, which must be a loopback address
// ("127.0.0.1:0" picks a free port), until ctx is done. ready is called with
// the base URL once it listens; an error from it stops the server.
func (f *Fake) Serve(ctx context.Context, addr string, ready func(url string) error) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("fake github: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("fake github: address %q: only a loopback IP address is allowed", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("fake github: %w", err)
	}
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	var readyErr error
	if ready != nil {
		readyErr = ready("http://" + ln.Addr().String())
	}
	if readyErr == nil {
		select {
		case err := <-done:
			return err
		case <-ctx.Done():
		}
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return readyErr
}

// WriteStateFile writes the JSON state to path atomically.
func (f *Fake) WriteStateFile(path string) error {
	b, err := json.MarshalIndent(f.State(), "", "  ")
	if err != nil {
		return err
	}
	return files.WriteAtomic(path, 0o600, func(w io.Writer) error { _, err := w.Write(append(b, '\n')); return err })
}
