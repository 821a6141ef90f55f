package fakegithub

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

func (f *Fake) commentJSON(c *call, cm *comment) map[string]any {
	return map[string]any{
		"id":         cm.id,
		"node_id":    fmt.Sprintf("IC_%d", cm.id),
		"body":       cm.body,
		"user":       map[string]any{"login": cm.user, "type": "Bot"},
		"created_at": cm.created.UTC().Format(time.RFC3339),
		"updated_at": cm.updated.UTC().Format(time.RFC3339),
		"url":        fmt.Sprintf("%s/repos/%s/%s/issues/comments/%d", c.api, c.owner(), c.name(), cm.id),
		"html_url":   fmt.Sprintf("%s/%s/%s/pull/%d#issuecomment-%d", c.base, c.owner(), c.name(), cm.issue, cm.id),
		"issue_url":  fmt.Sprintf("%s/repos/%s/%s/issues/%d", c.api, c.owner(), c.name(), cm.issue),
	}
}

func (f *Fake) listComments(c *call) {
	n, err := strconv.Atoi(c.params[2])
	if err != nil {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []any
	for _, cm := range f.repo(c.owner(), c.name()).comments {
		if cm.issue == n {
			out = append(out, f.commentJSON(c, cm))
		}
	}
	writeJSON(c.w, http.StatusOK, paginate(c, out))
}

func (f *Fake) createComment(c *call) {
	n, err := strconv.Atoi(c.params[2])
	if err != nil {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	var req struct {
		Body *string `json:"body"`
	}
	if !readJSON(c, &req) {
		return
	}
	if req.Body == nil || *req.Body == "" {
		writeValidation(c.w, "IssueComment", "missing_field", "body", "")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.opts.Now()
	cm := &comment{id: f.newID(), issue: n, body: *req.Body, user: "github-actions[bot]", created: now, updated: now}
	rs := f.repo(c.owner(), c.name())
	rs.comments = append(rs.comments, cm)
	writeJSON(c.w, http.StatusCreated, f.commentJSON(c, cm))
}

func (f *Fake) editComment(c *call) {
	id, ok := c.id(2)
	if !ok {
		return
	}
	var req struct {
		Body *string `json:"body"`
	}
	if !readJSON(c, &req) {
		return
	}
	if req.Body == nil || *req.Body == "" {
		writeValidation(c.w, "IssueComment", "missing_field", "body", "")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, cm := range f.repo(c.owner(), c.name()).comments {
		if cm.id == id {
			cm.body = *req.Body
			cm.updated = f.opts.Now()
			writeJSON(c.w, http.StatusOK, f.commentJSON(c, cm))
			return
		}
	}
	writeError(c.w, http.StatusNotFound, "Not Found")
}
