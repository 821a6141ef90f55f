package release

import (
	"context"
	"fmt"

	"github.com/google/go-github/v66/github"
)

// ReleaseBody reads the current body of release id (drafts included: the
// client has the token that created them).
func (c *Client) ReleaseBody(ctx context.Context, id int64) (string, error) {
	var body string
	err := c.call(ctx, fmt.Sprintf("get release %d", id), func() (*github.Response, error) {
		rel, resp, err := c.gh.Repositories.GetRelease(ctx, c.owner, c.repo, id)
		if err == nil {
			body = rel.GetBody()
		}
		return resp, err
	})
	return body, err
}

// SetReleaseBody replaces the body of release id and nothing else. GitHub
// has no conditional update for releases: callers that share a body with
// other writers re-read it afterwards (release/notes.UpdateSection).
func (c *Client) SetReleaseBody(ctx context.Context, id int64, body string) error {
	return c.call(ctx, fmt.Sprintf("edit body of release %d", id), func() (*github.Response, error) {
		_, resp, err := c.gh.Repositories.EditRelease(ctx, c.owner, c.repo, id, &github.RepositoryRelease{Body: github.String(body)})
		return resp, err
	})
}
