package main

import (
	"fmt"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations/validate"
)

func cmdValidate(e *env, args []string) error {
	fs := newFlags(e, "validate", "--db PATH [--format text|json] [--require-delete-journal] [--quick] [--examples N] [--schema-only]", `
Check a database against the schema the migrations produce (by name: column
order and DDL text do not matter) and against the data invariants its readers
rely on: integrity, foreign keys, alias/preferred consistency, 0/1 booleans,
ISO-8601 datetimes, id ranges, master data, the version row. One line per
problem; exit 1 if there is any. Notes (extra tables or columns, missing
secondary indexes, WAL mode) do not fail.`)
	db := fs.String("db", "", "database `PATH` to check (opened read-only)")
	format := fs.String("format", "text", "output `format`: text or json")
	wal := fs.Bool("require-delete-journal", false, "treat a WAL-mode file as a problem (for files about to be published)")
	quick := fs.Bool("quick", false, "run quick_check instead of the slower full integrity_check")
	examples := fs.Int("examples", 3, "offending rows or values named per problem")
	schemaOnly := fs.Bool("schema-only", false, "compare the schema only, skip the data checks")
	pos, err := parseFlags(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *db == "" {
		return usagef("--db PATH is required")
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	if *examples < 1 {
		return usagef("--examples must be at least 1")
	}
	conn, err := sqlitedb.Open(e.ctx, *db, sqlitedb.ReadOnly)
	if err != nil {
		return err
	}
	defer conn.Close()
	rep, err := validate.Run(e.ctx, conn, validate.Options{
		RequireDeleteJournal: *wal, Quick: *quick, Examples: *examples, SchemaOnly: *schemaOnly,
	})
	if err != nil {
		return fmt.Errorf("%s: %w", *db, err)
	}
	if *format == "json" {
		if err := rep.WriteJSON(e.stdout); err != nil {
			return err
		}
	} else {
		if err := rep.WriteText(e.stdout); err != nil {
			return err
		}
		if rep.OK() {
			fmt.Fprintf(e.stdout, "%s: valid (%s)\n", *db, plural(len(rep.Notes), "note"))
		}
	}
	if !rep.OK() {
		return &exitError{code: 1, msg: fmt.Sprintf("%s: %s", *db, plural(len(rep.Problems), "problem"))}
	}
	return nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
