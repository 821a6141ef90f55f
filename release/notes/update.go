package notes

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// Bodies reads and writes a release's body; *release.Client is one.
type Bodies interface {
	ReleaseBody(ctx context.Context, releaseID int64) (string, error)
	SetReleaseBody(ctx context.Context, releaseID int64, body string) error
}

// UpdateOptions tune UpdateSection. The zero value is for real runs.
type UpdateOptions struct {
	// Attempts bounds the read-merge-write rounds (default 8).
	Attempts int
	// Settle is the wait between a write and the read that checks it
	// (default 3s). It must be longer than another writer's gap between
	// reading the body and writing it back: a writer whose stale write lands
	// after ours then lands before our check, and we see it.
	Settle time.Duration
	// Backoff is the first wait before another round, doubled each round
	// up to a minute (default 2s), plus a jitter that differs per edition
	// so that two writers retrying together drift apart.
	Backoff time.Duration
	// Sleep waits (default: a timer that ends early when ctx is done).
	Sleep func(ctx context.Context, d time.Duration) error
}

func (o UpdateOptions) withDefaults() UpdateOptions {
	if o.Attempts <= 0 {
		o.Attempts = 8
	}
	if o.Settle <= 0 {
		o.Settle = 3 * time.Second
	}
	if o.Backoff <= 0 {
		o.Backoff = 2 * time.Second
	}
	if o.Sleep == nil {
		o.Sleep = func(ctx context.Context, d time.Duration) error {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(d):
				return nil
			}
		}
	}
	return o
}

// UpdateSection makes edition's section of release releaseID read section,
// leaving everything else in the body as it is. Other jobs may be editing
// the same body at the same moment, and GitHub would let the last write win
// silently, so each round reads the body, merges, writes when anything
// changed, waits o.Settle and reads again: the round succeeds when our
// section is there and every section the round started from is still
// there. Otherwise another writer overwrote the body in between and the
// round is repeated on the body as it is now.
func UpdateSection(ctx context.Context, api Bodies, releaseID int64, edition, section string, o UpdateOptions) error {
	o = o.withDefaults()
	want := normalize(strings.Trim(section, "\n"))
	var lastProblem string
	for attempt := 1; attempt <= o.Attempts; attempt++ {
		if attempt > 1 {
			if err := o.Sleep(ctx, backoff(o.Backoff, attempt, edition)); err != nil {
				return fmt.Errorf("release %d, %s section: %w (after: %s)", releaseID, edition, err, lastProblem)
			}
		}
		body, err := api.ReleaseBody(ctx, releaseID)
		if err != nil {
			return fmt.Errorf("release %d, %s section: %w", releaseID, edition, err)
		}
		others := Editions(body)
		if merged := Merge(body, edition, section); merged != body {
			if err := api.SetReleaseBody(ctx, releaseID, merged); err != nil {
				return fmt.Errorf("release %d, %s section: %w", releaseID, edition, err)
			}
		}
		if err := o.Sleep(ctx, o.Settle); err != nil {
			return fmt.Errorf("release %d, %s section: %w", releaseID, edition, err)
		}
		after, err := api.ReleaseBody(ctx, releaseID)
		if err != nil {
			return fmt.Errorf("release %d, %s section: %w", releaseID, edition, err)
		}
		if lastProblem = check(after, edition, want, others); lastProblem == "" {
			return nil
		}
	}
	return fmt.Errorf("release %d, %s section: still not in place after %d attempts: %s", releaseID, edition, o.Attempts, lastProblem)
}

// check says what is wrong with body, "" when nothing is: our section must
// read want, and the other editions' sections seen before our write must
// still be there (their owners may have changed their content meanwhile).
func check(body, edition, want string, others []string) string {
	got, ok := Extract(body, edition)
	switch {
	case !ok:
		return "our section is missing (another writer overwrote the body)"
	case normalize(got) != want:
		return "our section holds other text (another run of this edition wrote it)"
	}
	have := map[string]bool{}
	for _, e := range Editions(body) {
		have[e] = true
	}
	for _, e := range others {
		if e != edition && !have[e] {
			return fmt.Sprintf("the %s section went missing", e)
		}
	}
	return ""
}

// normalize undoes what the web editor does to line ends, so a body that a
// maintainer saved by hand still matches.
func normalize(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// backoff is the wait before round attempt: base doubled per round, capped
// at a minute, plus up to half of base of jitter fixed by the edition name.
func backoff(base time.Duration, attempt int, edition string) time.Duration {
	d := base << min(attempt-2, 5)
	d = min(d, time.Minute)
	h := fnv.New32a()
	h.Write([]byte(edition))
	return d + time.Duration(h.Sum32()%1000)*base/2000
}
