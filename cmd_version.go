package main

import (
	"fmt"

	"github.com/tagdb/tagdb-action/migrations"
)

func cmdVersion(e *env, args []string) error {
	fs := newFlags(e, "version", "", "Print the program version and the newest schema version it knows.")
	if _, err := parseFlags(e, fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "tagdb %s (schema version %d)\n", programVersion, migrations.LatestVersion())
	return nil
}
