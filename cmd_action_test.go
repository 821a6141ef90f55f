package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/action"
	"github.com/tagdb/tagdb-action/release/fakegithub"
)

// actionRun runs `tagdb action` in-process with the variables the runner
// would set, and returns the exit code and output.
func actionRun(t *testing.T, vars map[string]string) (int, string, string) {
	t.Helper()
	return runTagdb(t, vars, "action")
}

// Every mode of the action, wired as the runner runs it: inputs from INPUT_*
// variables, outputs and the summary to stdout or to the runner's files, and
// GitHub faked.
func TestCmdActionModes(t *testing.T) {
	fake := fakegithub.New(fakegithub.Options{Token: "tok"})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	event := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(event, []byte(`{"pull_request":{"number":5}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	base := func(mode string) map[string]string {
		return map[string]string{
			"INPUT_MODE": mode, "INPUT_VERSION": "v1", "INPUT_TAG": "v-cmd", "RUNNER_TEMP": t.TempDir(),
			"GITHUB_REPOSITORY": "tagdb/tags", "GITHUB_TOKEN": "tok", "GITHUB_API_URL": srv.URL, "SOURCE_DATE_EPOCH": "1700000000",
		}
	}
	outFile := filepath.Join(t.TempDir(), "github_output")
	for _, tt := range []struct {
		name     string
		vars     map[string]string
		code     int
		want     []string // in stdout
		wantFile string   // in $GITHUB_OUTPUT
		after    func(t *testing.T)
	}{
		{name: "build", vars: base("build"), want: []string{"changed=true\n", "db-path=", "## tagdb v1 — cc4 edition", "| total |"}},
		{name: "release", vars: base("release"), want: []string{"release-url=" + srv.URL + "/tagdb/tags/releases/tag/v-cmd\n", "asset-url="}, after: func(t *testing.T) {
			rels := fake.State().Repos["tagdb/tags"].Releases
			if len(rels) != 1 || rels[0].Draft {
				t.Errorf("releases %+v", rels)
			}
		}},
		{name: "release again, outputs to the runner's file", vars: merge(base("release"), map[string]string{"GITHUB_OUTPUT": outFile}), wantFile: "changed<<"},
		{name: "check", vars: merge(base("check"), map[string]string{"GITHUB_EVENT_PATH": event, "GITHUB_EVENT_NAME": "pull_request"}), want: []string{"## tagdb schema check"}, after: func(t *testing.T) {
			comments := fake.State().Repos["tagdb/tags"].Comments
			if len(comments) != 1 || comments[0].Issue != 5 || !strings.HasPrefix(comments[0].Body, action.CheckCommentMarker) {
				t.Errorf("comments %+v", comments)
			}
		}},
		{name: "bad input", vars: merge(base("deploy"), nil), code: 1, want: []string{`::error::input mode: "deploy" is not release, build or check`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := actionRun(t, tt.vars)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tt.code, out, errOut)
			}
			for _, want := range tt.want {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out+errOut, "tok") && !strings.Contains(out+errOut, "::add-mask::tok") {
				t.Errorf("the token appears unmasked")
			}
			if tt.wantFile != "" {
				b, err := os.ReadFile(outFile)
				if err != nil || !strings.Contains(string(b), tt.wantFile) {
					t.Errorf("$GITHUB_OUTPUT: %v\n%s", err, b)
				}
			}
			if tt.after != nil {
				tt.after(t)
			}
		})
	}
}

func merge(a, b map[string]string) map[string]string {
	for k, v := range b {
		a[k] = v
	}
	return a
}
