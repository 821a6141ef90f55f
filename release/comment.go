package release

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v66/github"
)

// SchemaCheckMarker is the hidden marker of the pull-request schema-check
// comment: HTML comments do not render, so users never see it.
const SchemaCheckMarker = "<!-- tagdb-schema-check -->"

// Comment is the pull-request comment after UpsertComment.
type Comment struct {
	ID      int64
	URL     string // html_url
	Created bool   // a new comment was posted
	Changed bool   // the comment's text was written (false: it already said this)
}

// CommentForbiddenError is returned when the token may not comment: the
// read-only token a workflow gets for a pull request from a fork. Callers
// downgrade it to a warning; the step summary carries the same report.
type CommentForbiddenError struct {
	PR  int
	Err error
}

func (e *CommentForbiddenError) Error() string {
	return fmt.Sprintf("not allowed to comment on pull request #%d (a pull request from a fork gets a read-only token): %v", e.PR, e.Err)
}

func (e *CommentForbiddenError) Unwrap() error { return e.Err }

// UpsertComment keeps exactly one comment carrying marker on pull request
// (or issue) number: the first comment containing the marker is edited, or a
// new one is posted. The marker is added to body when body lacks it. An
// unchanged body is not written again, so no notification is sent.
func (c *Client) UpsertComment(ctx context.Context, number int, marker, body string) (*Comment, error) {
	if marker == "" {
		return nil, errors.New("comment: empty marker")
	}
	if !strings.Contains(body, marker) {
		body = marker + "\n" + body
	}
	forbidden := func(err error) error {
		if isStatus(err, http.StatusForbidden) {
			return &CommentForbiddenError{PR: number, Err: err}
		}
		return err
	}

	var found *github.IssueComment
	err := c.retry.do(ctx, c.log, fmt.Sprintf("list comments of #%d", number), func(int) error {
		var err error
		found, err = c.findComment(ctx, number, marker)
		return err
	})
	if err != nil {
		return nil, forbidden(err)
	}

	if found != nil {
		out := &Comment{ID: found.GetID(), URL: found.GetHTMLURL()}
		if found.GetBody() == body {
			return out, nil
		}
		err := c.call(ctx, fmt.Sprintf("edit comment %d on #%d", found.GetID(), number), func() (*github.Response, error) {
			_, resp, err := c.gh.Issues.EditComment(ctx, c.owner, c.repo, found.GetID(), &github.IssueComment{Body: github.String(body)})
			return resp, err
		})
		if err != nil {
			return nil, forbidden(err)
		}
		out.Changed = true
		return out, nil
	}

	// Posting is not idempotent: a retry after a lost response could post
	// twice, so a retry first looks for the comment again.
	var made *github.IssueComment
	err = c.retry.do(ctx, c.log, fmt.Sprintf("comment on #%d", number), func(attempt int) error {
		if attempt > 1 {
			if cm, err := c.findComment(ctx, number, marker); err != nil || cm != nil {
				made = cm
				return err
			}
		}
		cm, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, number, &github.IssueComment{Body: github.String(body)})
		made = cm
		return err
	})
	if err != nil {
		return nil, forbidden(err)
	}
	return &Comment{ID: made.GetID(), URL: made.GetHTMLURL(), Created: true, Changed: true}, nil
}

// findComment is one unretried pass over the comments, for use inside an
// attempt.
func (c *Client) findComment(ctx context.Context, number int, marker string) (*github.IssueComment, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: perPage}}
	for {
		page, resp, err := c.gh.Issues.ListComments(ctx, c.owner, c.repo, number, opts)
		if err != nil {
			return nil, err
		}
		for _, cm := range page {
			if strings.Contains(cm.GetBody(), marker) {
				return cm, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}
