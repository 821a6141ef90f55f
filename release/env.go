package release

import (
	"io"
	"log/slog"
	"strings"
)

// PushedTag is the tag a workflow run was started for (GITHUB_REF_NAME when
// GITHUB_REF_TYPE is "tag"), or "" when it was not started by a tag push.
func PushedTag(getenv func(string) string) string {
	if getenv("GITHUB_REF_TYPE") != "tag" {
		return ""
	}
	return strings.TrimPrefix(getenv("GITHUB_REF_NAME"), "refs/tags/")
}

// NewLogged is New with retries and warnings logged as text lines to w, the
// way the command line and the action both report them.
func NewLogged(o Options, w io.Writer) (*Client, error) {
	o.Logger = slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
	return New(o)
}

// Logger is where the client logs; steps around it log there too.
func (c *Client) Logger() *slog.Logger { return c.log }
