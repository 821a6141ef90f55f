package sitetags

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record/recordtest"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// buildSQLite runs a fixture script into a new SQLite file and leaves it in
// a reproducible state: rollback journal, no free pages. Small 1 KiB pages
// keep fixtures small.
func buildSQLite(ctx context.Context, path, script string) error {
	return buildSQLitePages(ctx, path, script, 1024)
}

// buildSQLitePages is buildSQLite with a chosen page size.
func buildSQLitePages(ctx context.Context, path, script string, pageSize int) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, stmt := range []string{fmt.Sprintf("PRAGMA page_size = %d", pageSize), "PRAGMA journal_mode = DELETE", script, "VACUUM"} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return db.Close()
}

// fixtureSite builds testdata/<name>.sql into <tmp>/<domain>/tags.sqlite.
func fixtureSite(t testing.TB, name, domain string) Site {
	t.Helper()
	script, err := os.ReadFile(filepath.Join("testdata", name+".sql"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), domain)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, sqliteFile)
	if err := buildSQLite(context.Background(), path, string(script)); err != nil {
		t.Fatal(err)
	}
	format, ok := DomainFormat(domain)
	if !ok {
		t.Fatalf("fixture domain %q is unknown", domain)
	}
	return Site{Domain: domain, Format: format, Path: path}
}

// result is everything one read of a site produced.
type result struct {
	rows   []string
	events []string
	stats  Stats
	rule   int
}

// readSite opens s and drains it. Rows are rendered as they arrive, because a
// batch is only valid until the next call.
func readSite(t testing.TB, s Site, ov Overrides, batch int) (result, error) {
	t.Helper()
	rec := &recordtest.Events{}
	src, err := Open(context.Background(), s, Options{Events: rec, Overrides: ov, BatchSize: batch})
	if err != nil {
		return result{events: rec.Lines}, err
	}
	defer src.Close()
	var res result
	for {
		rows, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, err
		}
		if len(rows) == 0 || len(rows) > max(batch, DefaultBatchSize) {
			t.Fatalf("Next returned a batch of %d rows", len(rows))
		}
		for _, r := range rows {
			res.rows = append(res.rows, recordtest.RowString(r))
		}
	}
	if _, err := src.Next(); err != io.EOF {
		t.Fatalf("Next after the end = %v, want io.EOF", err)
	}
	rd := src.(*Reader)
	res.events, res.stats, res.rule = rec.Lines, rd.Stats(), rd.lay.rule
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	return res, nil
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
