package release

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v66/github"
	"github.com/tagdb/tagdb-action/internal/redact"
)

// DefaultAPIURL is github.com's REST API root.
const DefaultAPIURL = "https://api.github.com"

// Options configure a Client for one repository.
type Options struct {
	// APIURL is the REST API root, as GITHUB_API_URL gives it:
	// https://api.github.com (the default), https://HOST/api/v3 on GitHub
	// Enterprise Server, or a test server. A URL with no path gets /api/v3
	// appended, as go-github does for Enterprise hosts (so
	// http://127.0.0.1:PORT means http://127.0.0.1:PORT/api/v3/).
	APIURL string
	// Token authenticates every API call (a GITHUB_TOKEN or a PAT). Empty
	// means anonymous: reads of public repositories only.
	Token string
	Repo  string // "owner/name"
	// HTTPClient carries the requests; nil means a client with connection
	// and response-header timeouts. Its transport must not add the token
	// itself: asset downloads follow redirects to storage hosts with it.
	HTTPClient *http.Client
	Retry      RetryPolicy  // zero value: DefaultRetry()
	Logger     *slog.Logger // retries and warnings; nil discards them
	UserAgent  string       // default "tagdb-action"
}

// Client talks to one repository's releases and pull-request comments.
type Client struct {
	gh          *github.Client
	raw         *http.Client // no token: for redirected asset downloads
	owner, repo string
	retry       RetryPolicy
	log         *slog.Logger
}

// New checks the options and builds the client. It makes no request.
func New(o Options) (*Client, error) {
	owner, repo, err := SplitRepo(o.Repo)
	if err != nil {
		return nil, err
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	gh := github.NewClient(hc)
	if o.Token != "" {
		gh = gh.WithAuthToken(o.Token)
	}
	if gh, err = withAPIURL(gh, o.APIURL); err != nil {
		return nil, err
	}
	gh.UserAgent = "tagdb-action"
	if o.UserAgent != "" {
		gh.UserAgent = o.UserAgent
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	retry := o.Retry.withDefaults()
	// Every API call goes through retry.do: it masks the token in the
	// errors it returns and logs, whatever a server echoes back.
	retry.redact = redact.New(o.Token)
	return &Client{gh: gh, raw: hc, owner: owner, repo: repo, retry: retry, log: log}, nil
}

// Repo returns "owner/name".
func (c *Client) Repo() string { return c.owner + "/" + c.repo }

// SplitRepo parses "owner/name".
func SplitRepo(s string) (owner, repo string, err error) {
	owner, repo, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok || owner == "" || repo == "" || strings.ContainsAny(repo, "/ ") || strings.ContainsAny(owner, " ") {
		return "", "", fmt.Errorf("repository %q: want owner/name", s)
	}
	return owner, repo, nil
}

func defaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// GitHub answers an upload only after storing it; five minutes is far
	// above what a 2 GiB asset takes, and below a job's patience.
	tr.ResponseHeaderTimeout = 5 * time.Minute
	return &http.Client{Transport: tr}
}

// withAPIURL points gh at an API root other than github.com's. Uploads never
// use the client's UploadURL (they go to each release's upload_url), but it
// must still be a valid URL with a trailing slash.
func withAPIURL(gh *github.Client, api string) (*github.Client, error) {
	api = strings.TrimSpace(api)
	if api == "" || strings.TrimSuffix(api, "/") == DefaultAPIURL {
		return gh, nil
	}
	u, err := url.Parse(api)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("api url %q: want http(s)://HOST[/api/v3]", api)
	}
	upload := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/api/uploads/"}).String()
	out, err := gh.WithEnterpriseURLs(u.String(), upload)
	if err != nil {
		return nil, fmt.Errorf("api url %q: %w", api, err)
	}
	return out, nil
}

// BaseURL is the API root requests go to (after /api/v3 was added), for logs.
func (c *Client) BaseURL() string { return c.gh.BaseURL.String() }

// call runs one API call under the retry policy. what names the operation in
// errors and logs ("list assets of release 12").
func (c *Client) call(ctx context.Context, what string, fn func() (*github.Response, error)) error {
	return c.retry.do(ctx, c.log, what, func(int) error {
		_, err := fn()
		return err
	})
}
