package main

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tagdb/tagdb-action/parquetview"
	"github.com/tagdb/tagdb-action/search"
)

// createSubstringIndex is the builder's --fts post-processing step: the
// trigram index lives with the code that queries it.
func createSubstringIndex(ctx context.Context, db *sql.DB) error {
	return search.CreateSubstringIndex(ctx, db)
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
