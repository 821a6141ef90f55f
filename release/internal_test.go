package release

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"
)

func response(code int, hdr ...string) *http.Response {
	h := http.Header{}
	for i := 0; i+1 < len(hdr); i += 2 {
		h.Set(hdr[i], hdr[i+1])
	}
	return &http.Response{StatusCode: code, Header: h, Request: &http.Request{Method: "GET", URL: &url.URL{Path: "/x"}}}
}

func TestClassify(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	p := RetryPolicy{Base: time.Second, Max: 10 * time.Second, MaxWait: time.Minute, Now: func() time.Time { return now }}.withDefaults()
	resetIn := func(d time.Duration) string { return fmt.Sprint(now.Add(d).Unix()) }
	tests := []struct {
		name    string
		err     error
		attempt int
		wait    time.Duration
		retry   bool
	}{
		{"500 backs off", &github.ErrorResponse{Response: response(500)}, 1, time.Second, true},
		{"backoff doubles", &github.ErrorResponse{Response: response(502)}, 3, 4 * time.Second, true},
		{"backoff is capped", &github.ErrorResponse{Response: response(503)}, 9, 10 * time.Second, true},
		{"huge attempt does not overflow", &github.ErrorResponse{Response: response(503)}, 80, 10 * time.Second, true},
		{"503 with Retry-After", &github.ErrorResponse{Response: response(503, "Retry-After", "5")}, 1, 5 * time.Second, true},
		{"429 Retry-After as a date", &github.ErrorResponse{Response: response(429, "Retry-After", now.Add(20*time.Second).Format(http.TimeFormat))}, 1, 20 * time.Second, true},
		{"429 reset header", &github.ErrorResponse{Response: response(429, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", resetIn(9*time.Second))}, 1, 10 * time.Second, true},
		{"429 server wait capped", &github.ErrorResponse{Response: response(429, "Retry-After", "3600")}, 1, time.Minute, true},
		{"primary rate limit", &github.RateLimitError{Rate: github.Rate{Reset: github.Timestamp{Time: now.Add(30 * time.Second)}}, Response: response(403)}, 1, 31 * time.Second, true},
		{"secondary without Retry-After waits a minute", &github.AbuseRateLimitError{Response: response(403)}, 1, time.Minute, true},
		{"404", &github.ErrorResponse{Response: response(404)}, 1, 0, false},
		{"422", &github.ErrorResponse{Response: response(422)}, 1, 0, false},
		{"connection reset", &url.Error{Op: "Post", URL: "u", Err: syscall.ECONNRESET}, 1, time.Second, true},
		{"unexpected EOF", fmt.Errorf("decode: %w", io.ErrUnexpectedEOF), 2, 2 * time.Second, true},
		{"client timeout", &url.Error{Op: "Get", URL: "u", Err: context.DeadlineExceeded}, 1, time.Second, true},
		{"bad URL scheme", &url.Error{Op: "Get", URL: "u", Err: errors.New("unsupported protocol scheme")}, 1, 0, false},
		{"cancelled", context.Canceled, 1, 0, false},
		{"permanent", permanent(syscall.ECONNRESET), 1, 0, false},
		{"retriable marker", &retriableError{errors.New("short")}, 1, time.Second, true},
		{"plain error", errors.New("boom"), 1, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, retry := p.classify(tt.err, tt.attempt)
			if wait != tt.wait || retry != tt.retry {
				t.Errorf("classify = %v, %v; want %v, %v", wait, retry, tt.wait, tt.retry)
			}
		})
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := RetryPolicy{Attempts: 5, Sleep: func(context.Context, time.Duration) error { cancel(); return context.Canceled }}.withDefaults()
	calls := 0
	err := p.do(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), "op", func(int) error {
		calls++
		return &github.ErrorResponse{Response: response(500)}
	})
	if calls != 1 || !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "op: ") {
		t.Errorf("calls %d, err %v", calls, err)
	}
}

func TestUploadTarget(t *testing.T) {
	tests := []struct{ tmpl, name, label, want string }{
		{"https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}", "db.sqlite.zst", "", "https://uploads.github.com/repos/o/r/releases/1/assets?name=db.sqlite.zst"},
		{"https://ghe.example.com/api/uploads/repos/o/r/releases/2/assets{?name,label}", "a b.md", "Card", "https://ghe.example.com/api/uploads/repos/o/r/releases/2/assets?label=Card&name=a+b.md"},
	}
	for _, tt := range tests {
		got, err := uploadTarget(tt.tmpl, tt.name, tt.label)
		if err != nil || got != tt.want {
			t.Errorf("uploadTarget(%s) = %s, %v; want %s", tt.tmpl, got, err, tt.want)
		}
	}
	if _, err := uploadTarget("/relative{?name}", "x", ""); err == nil {
		t.Error("a relative upload_url was accepted")
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"tags cc0.sqlite": "tags.cc0.sqlite", "a+b@c-d_e.f": "a+b@c-d_e.f", "ü.zst": "..zst"} {
		if got := githubAssetName(in); got != want {
			t.Errorf("githubAssetName(%q) = %q, want %q", in, got, want)
		}
	}
	for name, want := range map[string]string{"a.sqlite.zst": "application/zstd", "SHA256SUMS": "text/plain; charset=utf-8", "build_manifest.json": "application/json", "x.bin": "application/octet-stream"} {
		if got := contentType(name); got != want {
			t.Errorf("contentType(%q) = %q, want %q", name, got, want)
		}
	}
	if got := (Asset{Path: `C:\out\tags.sqlite.zst`}).name(); got != "tags.sqlite.zst" {
		t.Errorf("Windows path gives asset name %q", got)
	}
}

func TestSplitRepo(t *testing.T) {
	for _, bad := range []string{"", "owner", "/r", "o/", "o/r/x", "o r/x"} {
		if _, _, err := SplitRepo(bad); err == nil {
			t.Errorf("SplitRepo(%q) accepted", bad)
		}
	}
	if o, r, err := SplitRepo(" tagdb/tags "); err != nil || o != "tagdb" || r != "tags" {
		t.Errorf("SplitRepo = %q %q %v", o, r, err)
	}
}
