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

// TextLogger logs retries, warnings and pipeline steps as text lines to w,
// the way the command line and the action both show them.
func TextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
