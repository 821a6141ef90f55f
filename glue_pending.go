package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tagdb/tagdb-action/builder/parquetview"
)

// Wiring to packages still in progress; replaced when they land.
func createSubstringIndex(ctx context.Context, db *sql.DB) error {
	return errors.New("--fts: not available yet")
}

// exportParquet writes the Parquet view of each requested format of db.
func exportParquet(e *env, db, dir string, formats []string) error {
	if len(formats) == 0 {
		formats = []string{"danbooru"}
	}
	for _, f := range formats {
		files, err := parquetview.Export(e.ctx, db, dir, f, parquetview.Options{})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "parquet: %s: %d file(s) in %s\n", f, len(files), dir)
	}
	return nil
}
