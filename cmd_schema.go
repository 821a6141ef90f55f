package main

import (
	"fmt"

	"github.com/tagdb/tagdb-action/migrations/schema"
)

const schemaUsage = `Usage: tagdb schema <dump|diff> ...

  tagdb schema dump --db PATH
      Print the schema of a database (or of a dump) as stable, sorted JSON:
      the format of migrations/testdata/schema.golden.json.
  tagdb schema diff OLD NEW [--format text|markdown|json]
      List what changed from OLD to NEW (each a database file or a JSON dump),
      each change classed additive, breaking or destructive. Exit 0 when every
      change is additive (or there is none), 1 otherwise.

Run 'tagdb schema dump --help' or 'tagdb schema diff --help' for flags.
`

func cmdSchema(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("missing subcommand: dump or diff")
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		fmt.Fprint(e.stdout, schemaUsage)
		return nil
	case "dump":
		return cmdSchemaDump(e, args[1:])
	case "diff":
		return cmdSchemaDiff(e, args[1:])
	}
	return usagef("unknown subcommand %q: want dump or diff", args[0])
}

func cmdSchemaDump(e *env, args []string) error {
	fs := newFlags(e, "schema dump", "--db PATH", `
Print the schema of PATH (a database, opened read-only, or a JSON dump) as JSON.
Tables, columns, indexes and constraints are sorted by name, so the same schema
always prints the same bytes.`)
	db := fs.String("db", "", "database `PATH` (or JSON dump) to describe")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if *db == "" {
		return usagef("--db PATH is required")
	}
	snap, err := schema.LoadContext(e.ctx, *db)
	if err != nil {
		return err
	}
	return snap.WriteJSON(e.stdout)
}

func cmdSchemaDiff(e *env, args []string) error {
	fs := newFlags(e, "schema diff", "OLD NEW [--format text|markdown|json]", `
Compare two schemas (each a database file or a 'tagdb schema dump' JSON file)
by name and class each change: additive (safe for readers), breaking (NOT NULL
without default, new UNIQUE, CHECK or foreign key, rename) or destructive
(dropped table, column or constraint, changed type affinity). The markdown
format is the pull-request comment. Exit 0 when every change is additive, 1
otherwise.`)
	format := fs.String("format", "text", "output `format`: text, markdown or json")
	pos, err := parseFlags(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("want two schemas, OLD and NEW; got %d arguments", len(pos))
	}
	if err := reportFormat(*format); err != nil {
		return err
	}
	old, err := schema.LoadContext(e.ctx, pos[0])
	if err != nil {
		return err
	}
	cur, err := schema.LoadContext(e.ctx, pos[1])
	if err != nil {
		return err
	}
	changes := schema.Diff(old, cur)
	switch *format {
	case "markdown":
		err = schema.WriteMarkdown(e.stdout, changes, pos[0], pos[1])
	case "json":
		err = schema.WriteDiffJSON(e.stdout, changes, pos[0], pos[1])
	default:
		err = schema.WriteText(e.stdout, changes)
	}
	if err != nil {
		return err
	}
	if !schema.OnlyAdditive(changes) {
		n := schema.Count(changes)
		return &exitError{code: 1, msg: fmt.Sprintf("%d destructive, %d breaking change(s)", n[schema.Destructive], n[schema.Breaking])}
	}
	return nil
}
