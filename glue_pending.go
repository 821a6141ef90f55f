package main

import (
	"context"
	"database/sql"
	"errors"
)

// Wiring to packages still in progress; replaced when they land.
func createSubstringIndex(ctx context.Context, db *sql.DB) error {
	return errors.New("--fts: not available yet")
}

func exportParquet(e *env, db, dir string, formats []string) error {
	return errors.New("--parquet-dir: not available yet")
}
