package main

import (
	"bytes"
	"context"
	"testing"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

// runTagdb runs one tagdb command line in-process, as main does, and returns
// its exit code and output streams. vars is the whole environment the command
// sees (nil for none), so a test never depends on the variables of the shell
// that runs it (a GITHUB_TOKEN or SOURCE_DATE_EPOCH there would change what a
// command does).
func runTagdb(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }}
	code = run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}
