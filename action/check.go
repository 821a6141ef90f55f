package action

import (
	"context"
	"encoding/json"
	"errors"
	"os"

	"github.com/tagdb/tagdb-action/migrations/check"
	"github.com/tagdb/tagdb-action/release"
)

// CheckCommentMarker finds the check's own comment among a pull request's
// comments, so a rerun updates it instead of adding another.
const CheckCommentMarker = "<!-- tagdb-schema-check -->"

// Check is mode check: the pull-request schema check of in.MigrationsDir,
// against in.BaseDB, or the base release's database, or in.BaseSchema. The
// result goes to the step summary, to one annotation per finding (on the
// migration line that caused it), and to one pull-request comment updated in
// place. It fails when the check does.
func (r *Runner) Check(ctx context.Context, in *Inputs) error {
	o := check.Options{
		Migrations: in.MigrationsDir, BaseDB: in.BaseDB, BaseSchema: in.BaseSchema,
		AllowDestructive: in.AllowDestructive,
		Version:          r.ProgramVersion,
		// Annotations name files relative to the checkout.
		Workspace: r.Getenv("GITHUB_WORKSPACE"),
	}
	var client *release.Client
	if in.Repo != "" {
		c, err := r.Client(in)
		if err != nil {
			return err
		}
		client = c
	}
	if o.BaseDB == "" && in.BaseRelease != "" && client != nil {
		base, err := r.FetchBase(ctx, in, client, nil)
		if err != nil {
			return err
		}
		o.BaseDB = base.DB
	}
	res, err := check.Run(ctx, o)
	if err != nil {
		return err
	}
	for _, an := range res.Annotations {
		r.IO.Annotate(an.Level, an.Title, an.File, an.Line, an.Message)
	}
	md := res.Markdown()
	r.IO.AddStepSummary(md)
	if pr := pullRequestNumber(r.Getenv); pr > 0 && client != nil {
		body := CheckCommentMarker + "\n" + md
		if _, err := client.UpsertComment(ctx, pr, CheckCommentMarker, body); err != nil {
			// A fork's token cannot comment: the summary and annotations stand alone.
			r.IO.Warningf("could not comment on pull request #%d: %v", pr, err)
		}
	}
	if res.Failed {
		return errors.New("schema check failed: see the summary")
	}
	return nil
}

// pullRequestNumber is the number of the pull request the workflow runs for,
// read from the event payload the runner leaves at GITHUB_EVENT_PATH; 0 for
// any other event (no comment is made).
func pullRequestNumber(getenv func(string) string) int {
	path := getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return 0
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	var ev struct {
		PullRequest *struct {
			Number int `json:"number"`
		} `json:"pull_request"`
	}
	if json.Unmarshal(data, &ev) != nil || ev.PullRequest == nil {
		return 0
	}
	return ev.PullRequest.Number
}
