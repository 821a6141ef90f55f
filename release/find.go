package release

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/google/go-github/v66/github"
)

// perPage is the largest page GitHub serves; fewer round trips, fewer
// secondary-rate-limit hits.
const perPage = 100

// FindRelease returns the release with this tag, drafts included, or nil when
// there is none. GET /releases/tags/{tag} never returns drafts, so when it
// answers 404 every page of the release list is searched. Several drafts can
// share a tag (concurrent runs): the oldest (lowest id) wins and a warning is
// logged, so every run picks the same one.
func (c *Client) FindRelease(ctx context.Context, tag string) (*github.RepositoryRelease, error) {
	if tag == "" {
		return nil, errors.New("find release: empty tag")
	}
	var rel *github.RepositoryRelease
	err := c.call(ctx, fmt.Sprintf("get release %s", tag), func() (*github.Response, error) {
		r, resp, err := c.gh.Repositories.GetReleaseByTag(ctx, c.owner, c.repo, url.PathEscape(tag))
		if isStatus(err, http.StatusNotFound) {
			return resp, nil
		}
		rel = r
		return resp, err
	})
	if err != nil || rel != nil {
		return rel, err
	}

	var matches []*github.RepositoryRelease
	opts := &github.ListOptions{PerPage: perPage}
	for {
		var page []*github.RepositoryRelease
		var next int
		err := c.call(ctx, fmt.Sprintf("list releases (page %d)", max(opts.Page, 1)), func() (*github.Response, error) {
			p, resp, err := c.gh.Repositories.ListReleases(ctx, c.owner, c.repo, opts)
			page = p
			if resp != nil {
				next = resp.NextPage
			}
			return resp, err
		})
		if err != nil {
			return nil, err
		}
		for _, r := range page {
			// A published release missing from the tag endpoint is lag right
			// after a create; it is still the one to use.
			if r.GetTagName() == tag {
				matches = append(matches, r)
			}
		}
		if next == 0 {
			break
		}
		opts.Page = next
	}
	if len(matches) == 0 {
		return nil, nil
	}
	best := matches[0]
	for _, r := range matches[1:] {
		if r.GetID() < best.GetID() {
			best = r
		}
	}
	if len(matches) > 1 {
		ids := make([]int64, len(matches))
		for i, r := range matches {
			ids[i] = r.GetID()
		}
		c.log.Warn("several releases share this tag; using the oldest", "tag", tag, "ids", fmt.Sprint(ids), "using", best.GetID())
	}
	return best, nil
}

// ReleaseSpec is what a new release is created with.
type ReleaseSpec struct {
	Tag             string
	Name            string
	Body            string
	TargetCommitish string // empty: the default branch (GitHub creates the tag there if missing)
	Prerelease      bool
}

// ensureRelease finds the release for spec.Tag or creates it as a draft.
// created reports whether this call made it.
func (c *Client) ensureRelease(ctx context.Context, spec ReleaseSpec) (rel *github.RepositoryRelease, created bool, err error) {
	if rel, err = c.FindRelease(ctx, spec.Tag); err != nil || rel != nil {
		return rel, false, err
	}
	req := &github.RepositoryRelease{
		TagName:    github.String(spec.Tag),
		Name:       github.String(spec.Name),
		Body:       github.String(spec.Body),
		Draft:      github.Bool(true),
		Prerelease: github.Bool(spec.Prerelease),
	}
	if spec.TargetCommitish != "" {
		req.TargetCommitish = github.String(spec.TargetCommitish)
	}
	err = c.retry.do(ctx, c.log, "create draft release "+spec.Tag, func(attempt int) error {
		if attempt > 1 {
			// The previous attempt may have reached GitHub before the
			// connection broke; creating again would leave two drafts.
			found, err := c.FindRelease(ctx, spec.Tag)
			if err != nil {
				return err
			}
			if found != nil {
				rel = found
				return nil
			}
		}
		r, _, err := c.gh.Repositories.CreateRelease(ctx, c.owner, c.repo, req)
		if isAlreadyExists(err, "tag_name") {
			// Another run created it between our lookup and our create.
			found, ferr := c.FindRelease(ctx, spec.Tag)
			if ferr != nil {
				return ferr
			}
			if found == nil {
				return permanent(fmt.Errorf("GitHub says a release for tag %s exists but none can be found: %w", spec.Tag, err))
			}
			rel = found
			return nil
		}
		if err != nil {
			return err
		}
		rel, created = r, true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	if rel.GetUploadURL() == "" {
		return nil, false, fmt.Errorf("release %s (id %d) has no upload_url", spec.Tag, rel.GetID())
	}
	return rel, created, nil
}

func isStatus(err error, code int) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == code
}

// isAlreadyExists recognises GitHub's 422 {"code":"already_exists","field":field}.
func isAlreadyExists(err error, field string) bool {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	for _, e := range er.Errors {
		if e.Code == "already_exists" && (field == "" || e.Field == field) {
			return true
		}
	}
	return false
}
