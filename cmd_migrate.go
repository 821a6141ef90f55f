package main

import (
	"fmt"

	"github.com/tagdb/tagdb-action/migrations"
)

func cmdMigrate(e *env, args []string) error {
	fs := newFlags(e, "migrate", "--db PATH [--dry-run] [--keep-backup]", `
Create the database at PATH, or bring an existing one up to the current schema.
Each migration runs in one transaction together with its schema_migrations row.
A file made by the Python builder (no schema_migrations table) is adopted: what
it already has is kept, only what is missing is added. On an existing file a
backup (PATH`+migrations.BackupSuffix+`) is written first and put back if anything
fails. Running it again when nothing is pending changes nothing.`)
	db := fs.String("db", "", "database `PATH` to create or migrate")
	dry := fs.Bool("dry-run", false, "print what would be done and change nothing")
	keep := fs.Bool("keep-backup", false, "keep the backup after a successful run")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if *db == "" {
		return usagef("--db PATH is required")
	}
	res, err := migrations.MigrateFile(e.ctx, *db, migrations.Options{Log: e.stdout, DryRun: *dry, KeepBackup: *keep})
	if err != nil {
		return err
	}
	if res.Backup != "" {
		fmt.Fprintf(e.stdout, "backup kept at %s\n", res.Backup)
	}
	return nil
}
