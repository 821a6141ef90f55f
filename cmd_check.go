package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/tagdb/tagdb-action/migrations/check"
)

func cmdCheck(e *env, args []string) error {
	fs := newFlags(e, "check", "[--migrations DIR] [--base-db DB] [--base-schema FILE] [--allow-destructive] [--format text|markdown|json] [--summary FILE]", `
The pull-request schema check. Applies the migrations of DIR to an empty
database and, with --base-db, to a copy of a published database (the file
itself is never written), validates both, and diffs the schema against the
base: the published database, else the --base-schema dump (e.g. the base
branch's migrations/testdata/schema.golden.json), else the migrations built
into this tagdb. Each change is classed additive, breaking or destructive and
pinned to the migration file that causes it. Exit 1 when a change is breaking
or destructive (unless --allow-destructive), when the migrations do not apply,
when an applied migration was edited, or when validation finds a problem.`)
	dir := fs.String("migrations", "", "migrations `DIR` to check (default: the migrations built into this tagdb)")
	baseDB := fs.String("base-db", "", "published database `DB` to migrate a copy of and diff against")
	baseSchema := fs.String("base-schema", "", "schema dump `FILE` (JSON or database) to diff against when there is no --base-db")
	allow := fs.Bool("allow-destructive", false, "report destructive and breaking changes as warnings instead of failing")
	format := fs.String("format", "text", "output `format`: text, markdown or json")
	summary := fs.String("summary", "", "also append the markdown report to `FILE` (e.g. $GITHUB_STEP_SUMMARY)")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if err := reportFormat(*format); err != nil {
		return err
	}
	res, err := runCheck(e, check.Options{Migrations: *dir, BaseDB: *baseDB, BaseSchema: *baseSchema, AllowDestructive: *allow})
	if err != nil {
		return err
	}
	switch *format {
	case "markdown":
		_, err = fmt.Fprint(e.stdout, res.Markdown())
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(res)
	default:
		err = res.WriteText(e.stdout)
	}
	if err != nil {
		return err
	}
	if *summary != "" {
		// Appended, like $GITHUB_STEP_SUMMARY: earlier steps' sections stay.
		f, err := os.OpenFile(*summary, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return fmt.Errorf("--summary: %w", err)
		}
		if _, err := f.WriteString(res.Markdown()); err != nil {
			f.Close()
			return fmt.Errorf("--summary %s: %w", *summary, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("--summary %s: %w", *summary, err)
		}
	}
	if res.Failed {
		return &exitError{code: 1, msg: "schema check failed: " + strings.Join(res.Reasons, "; ")}
	}
	return nil
}

// runCheck runs the schema check with what only the command line knows: this
// tagdb's version and the workspace the annotations' paths are relative to.
func runCheck(e *env, o check.Options) (*check.Result, error) {
	o.Version = programVersion
	o.Workspace = e.getenv("GITHUB_WORKSPACE")
	return check.Run(e.ctx, o)
}
