package release_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-github/v66/github"
	"github.com/tagdb/tagdb-action/release/fakegithub"
)

// TestErrorsMaskTheToken: a server that echoes the Authorization header in
// its error bodies gets the token masked in the client's errors and retry
// logs, for retried and final failures, while errors.As still finds
// GitHub's error response.
func TestErrorsMaskTheToken(t *testing.T) {
	for _, c := range []struct {
		name   string
		faults []fakegithub.Fault
	}{
		{name: "refused at once", faults: []fakegithub.Fault{{Route: "*", Status: 401, Message: "Bad credentials", EchoAuthorization: true, Times: -1}}},
		{name: "retried, then refused", faults: []fakegithub.Fault{
			{Route: "*", Status: 502, EchoAuthorization: true, Times: 2},
			{Route: "*", Status: 403, Message: "Forbidden", EchoAuthorization: true, Times: -1}}},
		{name: "retried until the attempts run out", faults: []fakegithub.Fault{{Route: "*", Status: 500, EchoAuthorization: true, Times: -1}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			for _, f := range c.faults {
				h.fake.AddFault(f)
			}
			_, err := h.client.FindRelease(context.Background(), "v1")
			if err == nil {
				t.Fatal("no error")
			}
			all := err.Error() + "\n" + h.logs.String()
			if strings.Contains(all, testToken) {
				t.Errorf("the token reached the error or the log:\n%s", all)
			}
			if !strings.Contains(err.Error(), "get release v1") || !strings.Contains(err.Error(), "Authorization: Bearer ***") {
				t.Errorf("error %q does not name the call or show the masked echo", err)
			}
			var er *github.ErrorResponse
			if !errors.As(err, &er) {
				t.Errorf("errors.As lost GitHub's error response: %v", err)
			}
		})
	}
}
