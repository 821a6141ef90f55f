package main

import (
	"fmt"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/internal/textfmt"
	"github.com/tagdb/tagdb-action/migrations/validate"
)

func cmdValidate(e *env, args []string) error {
	fs := newFlags(e, "validate", "--db PATH [--full] [--format text|json] [--require-delete-journal] [--examples N] [--schema-only] [--workers N]", `
Check a database against the schema the migrations produce (by name: column
order and DDL text do not matter) and against the data invariants its readers
rely on: b-tree structure, foreign keys, alias/preferred consistency, 0/1
booleans, ISO-8601 datetimes, id ranges, master data, the version row. One
line per problem; exit 1 if there is any. Notes (extra tables or columns,
missing secondary indexes, WAL mode) do not fail.

The checks run table by table on one connection per core. The structure
check differs between the two modes:

  default  PRAGMA quick_check of each table: every page of the table and of
           its indexes (cell layout, key order, overflow chains, depth), that
           each index has as many entries as the table has rows, every row's
           record format and NOT NULL constraints, the free-list.
  --full   PRAGMA integrity_check of each table, which also looks up every
           row's entries in every index (an index that disagrees with its
           table, a broken UNIQUE), plus a page accounting of the whole file
           (no page lost, or used by the b-trees of two tables), which the
           per-table checks cannot see. Several times slower. It also
           recomputes TAG_PREFIX_TOP (autocomplete's stored answers), which
           the default does only for files of up to 524,288 tags.

Schema, foreign keys and data rules are the same in both modes. Neither
check evaluates CHECK constraints (SQLite does not load them on a read-only
connection); the data rules check the schema's one, alias/preferred_tag_id.`)
	db := fs.String("db", "", "database `PATH` to check (opened read-only)")
	format := fs.String("format", "text", "output `format`: text or json")
	wal := fs.Bool("require-delete-journal", false, "treat a WAL-mode file as a problem (for files about to be published)")
	full := fs.Bool("full", false, "run integrity_check and the page accounting instead of quick_check (see above)")
	quick := fs.Bool("quick", false, "the default structure check; kept for scripts that pass it")
	examples := fs.Int("examples", 3, "offending rows or values named per problem")
	schemaOnly := fs.Bool("schema-only", false, "compare the schema only, skip the data checks")
	workers := fs.Int("workers", 0, "connections checking at once (`N`; 0 = one per core)")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
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
	if *full && *quick {
		return usagef("--full and --quick contradict each other")
	}
	if *workers < 0 {
		return usagef("--workers must be 0 or more")
	}
	conn, err := sqlitedb.Open(e.ctx, *db, sqlitedb.ReadOnly)
	if err != nil {
		return err
	}
	defer conn.Close()
	rep, err := validate.Run(e.ctx, conn, validate.Options{
		RequireDeleteJournal: *wal, Quick: !*full, Examples: *examples, SchemaOnly: *schemaOnly, Workers: *workers,
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
			fmt.Fprintf(e.stdout, "%s: valid (%s)\n", *db, textfmt.Plural(len(rep.Notes), "note"))
		}
	}
	if !rep.OK() {
		return &exitError{code: 1, msg: fmt.Sprintf("%s: %s", *db, textfmt.Plural(len(rep.Problems), "problem"))}
	}
	return nil
}
