package release

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/google/go-github/v66/github"
	"github.com/tagdb/tagdb-action/internal/redact"
)

// RetryPolicy decides how often and how long to wait before repeating a
// failed API call. Sleep and Now are injectable so tests run in milliseconds
// and can assert the waits.
type RetryPolicy struct {
	Attempts int           // total tries, the first included (default 6)
	Base     time.Duration // first backoff; doubled each retry (default 2s)
	Max      time.Duration // cap on the computed backoff (default 1m)
	// MaxWait caps a wait the server asks for (Retry-After, a rate-limit
	// reset). Longer requests are shortened to it: the next attempt then
	// fails again and uses up the budget instead of hanging a job for hours.
	MaxWait time.Duration // default 15m
	Sleep   func(ctx context.Context, d time.Duration) error
	Now     func() time.Time

	redact *redact.Redactor // set by New: the client's token
}

// DefaultRetry is the policy for real runs: six tries spread over about a
// minute of backoff, longer when GitHub says how long to wait.
func DefaultRetry() RetryPolicy { return RetryPolicy{}.withDefaults() }

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Attempts <= 0 {
		p.Attempts = 6
	}
	if p.Base <= 0 {
		p.Base = 2 * time.Second
	}
	if p.Max <= 0 {
		p.Max = time.Minute
	}
	if p.MaxWait <= 0 {
		p.MaxWait = 15 * time.Minute
	}
	if p.Sleep == nil {
		p.Sleep = sleepCtx
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	return p
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// permanentError marks a failure that no retry can fix (a local file that
// vanished, an asset name already taken with overwrite off).
type permanentError struct{ err error }

func (p *permanentError) Error() string { return p.err.Error() }
func (p *permanentError) Unwrap() error { return p.err }

func permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// do runs fn until it succeeds, fails permanently or the attempts run out.
// Errors are prefixed with what; exhaustion says how many tries were made.
func (p RetryPolicy) do(ctx context.Context, log *slog.Logger, what string, fn func(attempt int) error) error {
	for attempt := 1; ; attempt++ {
		err := p.redact.Error(fn(attempt))
		if err == nil {
			return nil
		}
		wait, retry := p.classify(err, attempt)
		if !retry || ctx.Err() != nil {
			return fmt.Errorf("%s: %w", what, describe(err))
		}
		if attempt >= p.Attempts {
			return fmt.Errorf("%s: giving up after %d attempts: %w", what, attempt, describe(err))
		}
		log.Warn("retrying", "op", what, "attempt", attempt, "of", p.Attempts, "wait", wait.String(), "err", err.Error())
		if serr := p.Sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%s: %w (stopped while waiting to retry after: %v)", what, serr, err)
		}
	}
}

// classify says whether err is worth another attempt and how long to wait.
func (p RetryPolicy) classify(err error, attempt int) (time.Duration, bool) {
	backoff := p.Max
	if attempt <= 30 {
		backoff = min(p.Max, p.Base<<(attempt-1))
	}
	var perm *permanentError
	var again *retriableError
	var rle *github.RateLimitError
	var abuse *github.AbuseRateLimitError
	var er *github.ErrorResponse
	switch {
	case errors.As(err, &perm), errors.Is(err, context.Canceled):
		// A deadline is not listed: the HTTP client's own timeout reports
		// one, and that is a slow server worth retrying. The caller's
		// context is checked separately.
		return 0, false
	case errors.As(err, &again):
		return backoff, true
	case errors.As(err, &rle):
		// Primary limit: nothing works until the reset time.
		if wait := rle.Rate.Reset.Time.Sub(p.Now()); wait > 0 {
			return p.serverWait(wait + time.Second), true
		}
		return backoff, true
	case errors.As(err, &abuse):
		// Secondary limit: GitHub's docs say to wait Retry-After, else at
		// least a minute.
		if abuse.RetryAfter != nil && *abuse.RetryAfter > 0 {
			return p.serverWait(*abuse.RetryAfter), true
		}
		return max(backoff, time.Minute), true
	case errors.As(err, &er) && er.Response != nil:
		code := er.Response.StatusCode
		if code != http.StatusTooManyRequests && code < 500 {
			return 0, false
		}
		// go-github v66 returns a 429 as a plain ErrorResponse, so its
		// headers are read here.
		if wait, ok := p.headerWait(er.Response.Header); ok {
			return wait, true
		}
		return backoff, true
	case isNetworkError(err):
		return backoff, true
	}
	return 0, false
}

// headerWait reads Retry-After (seconds or an HTTP date), then
// X-RateLimit-Reset (epoch seconds) when the remaining quota is zero.
func (p RetryPolicy) headerWait(h http.Header) (time.Duration, bool) {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return p.serverWait(time.Duration(s) * time.Second), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return p.serverWait(t.Sub(p.Now())), true
		}
	}
	if h.Get("X-RateLimit-Remaining") == "0" {
		if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			if wait := time.Unix(s, 0).Sub(p.Now()); wait > 0 {
				return p.serverWait(wait + time.Second), true
			}
		}
	}
	return 0, false
}

func (p RetryPolicy) serverWait(d time.Duration) time.Duration {
	return max(0, min(d, p.MaxWait))
}

// isNetworkError recognises a request that never got a complete answer: a
// refused or reset connection, a timeout, a body cut short.
func isNetworkError(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED) {
		return true
	}
	// *url.Error is itself a net.Error, so look at what it wraps: a bad
	// scheme or URL is not worth retrying, a transport failure is.
	var ue *url.Error
	if errors.As(err, &ue) {
		var ne net.Error
		return errors.As(ue.Err, &ne)
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// describe turns GitHub's error payloads into sentences a user can act on
// (after ncipollo/release-action's GithubErrorDetail) while keeping the
// original error in the chain for errors.As.
func describe(err error) error {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return err
	}
	if strings.Contains(strings.ToLower(er.Message), "immutable") {
		return fmt.Errorf("%w (the release is immutable: publish under a new tag)", err)
	}
	switch er.Response.StatusCode {
	case http.StatusUnauthorized:
		return fmt.Errorf("%w (the token was rejected: check github-token)", err)
	case http.StatusNotFound:
		return fmt.Errorf("%w (make sure the repository exists and the token may read and write its releases: permissions: contents: write)", err)
	case http.StatusForbidden:
		return fmt.Errorf("%w (the token is not allowed to do this: permissions: contents: write for releases, pull-requests: write for comments)", err)
	}
	return err
}
