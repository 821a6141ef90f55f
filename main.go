// Command tagdb builds, checks and publishes the unified image-generation tag
// database. The same binary is the GitHub Action (`tagdb action`, run by
// action.yml); every stage can also be run alone from a terminal.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/tagdb/tagdb-action/action"
	"github.com/tagdb/tagdb-action/internal/redact"
)

// programVersion is the tagdb release this source tree is. It is part of every
// build fingerprint, so bump it when a change alters what a build writes.
// Release binaries of the action replace it with their tag at link time
// (scripts/release.sh: -X main.programVersion=vX.Y.Z); a build from source
// keeps this default.
var programVersion = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
		stdin:  os.Stdin,
	}, os.Args[1:])
	stop()
	os.Exit(code)
}

// commands lists every subcommand. Each lives in its own cmd_*.go file.
func commands() []command {
	return []command{
		{name: "build", summary: "build one licence edition of the tag database from a sources manifest", run: cmdBuild},
		{name: "migrate", summary: "create a database or bring an existing one up to the current schema", run: cmdMigrate},
		{name: "validate", summary: "check a database against the schema and the data invariants readers rely on", run: cmdValidate},
		{name: "schema", summary: "dump a database's schema as JSON, or diff two schemas (dump | diff)", run: cmdSchema},
		{name: "release", summary: "publish a built database as a GitHub release", run: cmdRelease},
		{name: "download", summary: "fetch, verify and unpack one edition of a published database", run: cmdDownload},
		{name: "diff", summary: "compare the data of two databases by tag_id: tags, types, aliases, counts, translations, sources", run: cmdDiff},
		{name: "check", summary: "pull-request schema check: validate the migrations and diff them against a base", run: cmdCheck},
		{name: "search", summary: "query a built database: exact, prompt, prefix, translation, cross-format", run: cmdSearch},
		{name: "gen", summary: "write a synthetic full-size site_tags tree, base DB and manifest for benchmarks", run: cmdGen},
		{name: "action", summary: "run as the GitHub Action (inputs from INPUT_* variables)", run: cmdAction},
		{name: "version", summary: "print the program and schema versions", run: cmdVersion},
	}
}

// run executes one command line and returns the process exit code:
// 0 success, 1 failure, 2 usage error.
func run(ctx context.Context, e *env, args []string) int {
	e.ctx = ctx
	// Every command, and everything a command prints (API error bodies
	// included), goes through one redactor of every secret the process was
	// given: a token never reaches a terminal or a CI log.
	rd := redact.New(secrets(e.getenv)...)
	stdout, stderr := rd.Writer(e.stdout), rd.Writer(e.stderr)
	e.rawStdout, e.stdout, e.stderr = e.stdout, stdout, stderr
	defer flush(stdout, stderr)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) == 0 {
			printTopUsage(e.stderr)
			return 2
		}
		printTopUsage(e.stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(e, args[1:])
		return exitCode(e, c.name, err)
	}
	fmt.Fprintf(e.stderr, "tagdb: unknown command %q\n\n", args[0])
	printTopUsage(e.stderr)
	return 2
}

func exitCode(e *env, name string, err error) int {
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "tagdb %s: %s\n", name, ue.msg)
		fmt.Fprintf(e.stderr, "Run 'tagdb %s --help' for usage.\n", name)
		return 2
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintf(e.stderr, "tagdb %s: %s\n", name, ee.msg)
		}
		return ee.code
	default:
		fmt.Fprintf(e.stderr, "tagdb %s: %v\n", name, err)
		return 1
	}
}

func printTopUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: tagdb <command> [flags]")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "Run 'tagdb <command> --help' for a command's flags.")
	fmt.Fprintln(w, "With no flags, 'tagdb build' builds the bundled sample into ./tagdb.sqlite.")
}

// secrets are the values of the variables that hold a token: GITHUB_TOKEN
// and GH_TOKEN, and every action input whose name says token (github-token).
func secrets(getenv func(string) string) []string {
	vals := []string{getenv("GITHUB_TOKEN"), getenv("GH_TOKEN")}
	for _, in := range action.Table() {
		if strings.Contains(in.Name, "token") {
			vals = append(vals, getenv(in.Env()))
		}
	}
	return vals
}

// flush writes out what the redacting writers kept back.
func flush(ws ...io.Writer) {
	for _, w := range ws {
		if f, ok := w.(interface{ Flush() error }); ok {
			f.Flush()
		}
	}
}
