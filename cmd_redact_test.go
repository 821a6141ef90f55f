package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/release/fakegithub"
)

// TestTokenNeverPrinted: a server that echoes the Authorization header in
// its error bodies (issue #14, class 8) must not get the token onto stdout
// or stderr, whichever command talks to it and wherever the token came
// from. The failure is still reported, naming what failed.
func TestTokenNeverPrinted(t *testing.T) {
	const token = "ghp_Echo5ecretT0ken"
	db := filepath.Join(t.TempDir(), "tags-cc4.sqlite")
	if _, err := migrations.MigrateFile(context.Background(), db, migrations.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		vars map[string]string
		args []string
		want string // in stderr or stdout
	}{
		{name: "release", vars: map[string]string{"GITHUB_TOKEN": token, "GITHUB_REPOSITORY": "tagdb/tags"},
			args: []string{"release", "--db", db, "--tag", "v1"}, want: "tagdb release: "},
		{name: "download", vars: map[string]string{"GITHUB_TOKEN": token},
			args: []string{"download", "--repo", "tagdb/tags", "--out", filepath.Join(t.TempDir(), "x.sqlite")}, want: "tagdb download: "},
		{name: "action, token from the input", args: []string{"action"},
			vars: map[string]string{"INPUT_MODE": "release", "INPUT_GITHUB_TOKEN": token, "INPUT_VERSION": "v1", "INPUT_TAG": "v1",
				"GITHUB_REPOSITORY": "tagdb/tags", "SOURCE_DATE_EPOCH": "1700000000"}, want: "::error::"},
		{name: "action, token from GITHUB_TOKEN", args: []string{"action"},
			vars: map[string]string{"INPUT_MODE": "release", "GITHUB_TOKEN": token, "INPUT_VERSION": "v1", "INPUT_TAG": "v1",
				"GITHUB_REPOSITORY": "tagdb/tags", "SOURCE_DATE_EPOCH": "1700000000"}, want: "::error::"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake := fakegithub.New(fakegithub.Options{Token: token})
			fake.AddFault(fakegithub.Fault{Route: "*", Status: 401, Message: "Bad credentials", EchoAuthorization: true, Times: -1})
			srv := httptest.NewServer(fake)
			defer srv.Close()
			vars := map[string]string{"GITHUB_API_URL": srv.URL, "RUNNER_TEMP": t.TempDir()}
			for k, v := range c.vars {
				vars[k] = v
			}
			args := c.args
			if c.name == "download" {
				args = append(args, "--api-url", srv.URL)
			}
			code, stdout, stderr := runTagdb(t, vars, args...)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
			}
			// The runner's ::add-mask:: command is the one line that must
			// name the token: it is what masks it in the job's log.
			var printed []string
			for _, l := range strings.Split(stdout+stderr, "\n") {
				if !strings.HasPrefix(l, "::add-mask::") {
					printed = append(printed, l)
				}
			}
			all := strings.Join(printed, "\n")
			if strings.Contains(all, token) || strings.Contains(all, token[4:12]) {
				t.Errorf("the token was printed:\n%s", all)
			}
			if !strings.Contains(all, "Authorization: Bearer ***") || !strings.Contains(all, c.want) {
				t.Errorf("the failure is not reported with the echo masked (want %q):\n%s", c.want, all)
			}
		})
	}
}
