package notes_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/fakegithub"
	"github.com/tagdb/tagdb-action/release/notes"
)

const (
	repo  = "tagdb/tags"
	token = "ghs_notes"
	intro = "Weekly build. Written by hand — keep me.\r\n\n"
	outro = "\n\n_Maintainer's footer._ "
)

type server struct {
	fake *fakegithub.Fake
	srv  *httptest.Server
	id   int64
}

// newServer starts a fake GitHub holding one draft release whose body has
// the maintainer's text around an existing mit section.
func newServer(t *testing.T) *server {
	t.Helper()
	s := &server{fake: fakegithub.New(fakegithub.Options{Token: token})}
	s.srv = httptest.NewServer(s.fake)
	t.Cleanup(s.srv.Close)
	body := notes.Merge(intro, "mit", "mit stays") + outro
	id, err := s.fake.AddRelease(repo, fakegithub.ReleaseState{Tag: "v1", Name: "v1", Body: body, Draft: true})
	if err != nil {
		t.Fatal(err)
	}
	s.id = id
	return s
}

func (s *server) client(t *testing.T) *release.Client {
	t.Helper()
	c, err := release.New(release.Options{APIURL: s.srv.URL, Token: token, Repo: repo,
		Retry: release.RetryPolicy{Attempts: 2, Sleep: func(context.Context, time.Duration) error { return nil }}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (s *server) body() string { return s.fake.State().Repos[repo].Releases[0].Body }

// waitFor polls the fake until the body satisfies cond.
func (s *server) waitFor(cond func(string) bool) error {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if cond(s.body()) {
			return nil
		}
	}
	return errors.New("timed out waiting for the release body")
}

func has(edition, section string) func(string) bool {
	return func(body string) bool {
		got, ok := notes.Extract(body, edition)
		return ok && got == section
	}
}

func (s *server) edits() int {
	n := 0
	for _, r := range s.fake.Requests() {
		if r.Route == "edit-release" && r.Status == 200 {
			n++
		}
	}
	return n
}

// assertFinal checks the body holds every section and the maintainer's text
// unchanged.
func assertFinal(t *testing.T, body string, sections map[string]string) {
	t.Helper()
	for ed, sec := range sections {
		if !has(ed, sec)(body) {
			t.Errorf("the %s section is missing or wrong:\n%s", ed, body)
		}
	}
	if !strings.HasPrefix(body, intro) || !strings.HasSuffix(body, outro) {
		t.Errorf("the maintainer's text changed:\n%q", body)
	}
}

// TestUpdateSectionInterleaved lands the cc4 publisher's whole write between
// the cc0 publisher's read and its write, so cc0's stale write erases cc4's
// section; cc4's check after the settle delay sees that and writes again.
func TestUpdateSectionInterleaved(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	secA, secB := "### cc0 edition\n\nzero", "### cc4 edition\n\nfour | with a pipe"
	errB := make(chan error, 1)
	optsB := notes.UpdateOptions{Sleep: func(context.Context, time.Duration) error {
		// The settle delay ends once cc0's stale write has landed: the
		// order a real settle delay longer than cc0's read-to-write gap gives.
		return s.waitFor(has("cc0", secA))
	}}
	s.fake.AddFault(fakegithub.Fault{Route: "edit-release", Hook: func() {
		go func() { errB <- notes.UpdateSection(ctx, s.client(t), s.id, "cc4", secB, optsB) }()
		if err := s.waitFor(has("cc4", secB)); err != nil {
			t.Error(err)
		}
	}})
	optsA := notes.UpdateOptions{Sleep: func(context.Context, time.Duration) error { return nil }}
	if err := notes.UpdateSection(ctx, s.client(t), s.id, "cc0", secA, optsA); err != nil {
		t.Fatalf("cc0: %v", err)
	}
	if err := <-errB; err != nil {
		t.Fatalf("cc4: %v", err)
	}
	assertFinal(t, s.body(), map[string]string{"cc0": secA, "cc4": secB, "mit": "mit stays"})
	// cc0 wrote once; cc4 twice, because cc0's stale write erased its first.
	if n := s.edits(); n != 3 {
		t.Errorf("%d body writes, want 3 (the race did not happen as staged)", n)
	}
}

// TestUpdateSectionConcurrent runs three publishers at once, twice, with
// real settle delays: short for a test, yet far longer than the fake's
// read-to-write gap even on a loaded machine.
func TestUpdateSectionConcurrent(t *testing.T) {
	for round := range 2 {
		s := newServer(t)
		want := map[string]string{"mit": "mit stays"}
		var wg sync.WaitGroup
		errs := make(chan error, 3)
		for _, ed := range []string{"cc0", "cc4", "mit"} {
			sec := fmt.Sprintf("### %s edition\n\nround %d", ed, round)
			want[ed] = sec
			wg.Go(func() {
				errs <- notes.UpdateSection(context.Background(), s.client(t), s.id, ed, sec,
					notes.UpdateOptions{Settle: 300 * time.Millisecond, Backoff: 20 * time.Millisecond})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		assertFinal(t, s.body(), want)
	}
}

// lossy drops every write: the section can never be placed.
type lossy struct{ body string }

func (l *lossy) ReleaseBody(context.Context, int64) (string, error)  { return l.body, nil }
func (l *lossy) SetReleaseBody(context.Context, int64, string) error { return nil }

func TestUpdateSectionGivesUp(t *testing.T) {
	var waits []time.Duration
	o := notes.UpdateOptions{Attempts: 3, Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	err := notes.UpdateSection(context.Background(), &lossy{body: "x"}, 42, "cc4", "s", o)
	if err == nil || !strings.Contains(err.Error(), "release 42, cc4 section: still not in place after 3 attempts: our section is missing") {
		t.Fatalf("err = %v", err)
	}
	// settle, backoff, settle, backoff, settle: the backoff grows.
	if len(waits) != 5 || waits[0] != 3*time.Second || waits[1] < 2*time.Second || waits[3] <= waits[1] {
		t.Errorf("waits = %v", waits)
	}
}

func TestUpdateSectionAPIError(t *testing.T) {
	s := newServer(t)
	s.fake.AddFault(fakegithub.Fault{Route: "get-release", Status: 404, Times: -1})
	err := notes.UpdateSection(context.Background(), s.client(t), s.id, "cc4", "s", notes.UpdateOptions{})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("release %d, cc4 section: get release %d", s.id, s.id)) {
		t.Fatalf("err = %v", err)
	}
}
