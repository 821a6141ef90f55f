package release_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/fakegithub"
)

func TestUpsertComment(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	// 120 other comments push ours to the second page.
	for i := range 120 {
		h.fake.AddComment(testRepo, 7, fmt.Sprintf("review comment %d", i))
	}
	h.fake.AddComment(testRepo, 8, release.SchemaCheckMarker+"\nother PR") // another PR's comment is not ours

	first, err := h.client.UpsertComment(ctx, 7, release.SchemaCheckMarker, "## Schema check\n\nno changes")
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || !first.Changed || !strings.Contains(first.URL, "/pull/7#issuecomment-") {
		t.Errorf("first = %+v", first)
	}
	second, err := h.client.UpsertComment(ctx, 7, release.SchemaCheckMarker, "## Schema check\n\ncolumn added")
	if err != nil {
		t.Fatal(err)
	}
	if second.Created || !second.Changed || second.ID != first.ID {
		t.Errorf("second = %+v, want the first comment (%d) edited", second, first.ID)
	}
	edits := h.count("edit-comment")
	third, err := h.client.UpsertComment(ctx, 7, release.SchemaCheckMarker, "## Schema check\n\ncolumn added")
	if err != nil {
		t.Fatal(err)
	}
	if third.Changed || h.count("edit-comment") != edits {
		t.Errorf("an unchanged body was written again: %+v", third)
	}

	var ours []string
	for _, c := range h.repo().Comments {
		if c.Issue == 7 && strings.Contains(c.Body, release.SchemaCheckMarker) {
			ours = append(ours, c.Body)
		}
	}
	if len(ours) != 1 || ours[0] != release.SchemaCheckMarker+"\n## Schema check\n\ncolumn added" {
		t.Errorf("marked comments on #7: %q", ours)
	}
}

func TestUpsertCommentRetriedCreateDoesNotDuplicate(t *testing.T) {
	h := newHarness(t)
	// The comment is stored but the answer is lost; the retry must find it.
	h.fake.AddFault(fakegithub.Fault{Route: "create-comment", DropResponse: true})
	c, err := h.client.UpsertComment(context.Background(), 3, release.SchemaCheckMarker, "body")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(h.repo().Comments); n != 1 || c.ID != h.repo().Comments[0].ID {
		t.Errorf("%d comments after a lost answer, want 1 (got id %d)", n, c.ID)
	}
}

func TestUpsertCommentForbidden(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*harness)
	}{
		{"read-only fork token", func(*harness) {}},
		{"existing comment, edit refused", func(h *harness) {
			h.fake.AddComment(testRepo, 5, release.SchemaCheckMarker+"\nold")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t,
				withFake(func(o *fakegithub.Options) { o.ReadOnlyToken = "fork-token" }),
				withClient(func(o *release.Options) { o.Token = "fork-token" }))
			tt.setup(h)
			_, err := h.client.UpsertComment(context.Background(), 5, release.SchemaCheckMarker, "new")
			var fe *release.CommentForbiddenError
			if !errors.As(err, &fe) || fe.PR != 5 {
				t.Fatalf("err = %v (%T), want *CommentForbiddenError for #5", err, err)
			}
			if !strings.Contains(err.Error(), "read-only token") {
				t.Errorf("message %q does not explain the fork case", err)
			}
			if len(h.slept()) != 0 {
				t.Errorf("a 403 was retried")
			}
		})
	}
}
