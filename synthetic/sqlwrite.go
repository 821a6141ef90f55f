package synthetic

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// column is one column of a generated table, with the declared type pandas'
// to_sql gives it (int64/bool → INTEGER, str → TEXT, datetime → TIMESTAMP).
type column struct{ name, decl string }

// createPandasTable creates a table the way pandas.DataFrame.to_sql does for
// the site_tags files: the "index" column first, then the data columns.
// indexPandasTable adds pandas' ix_<table>_index after the rows are in (a
// sorted build is cheaper than maintaining it row by row).
func createPandasTable(ctx context.Context, tx *sql.Tx, table string, cols []column) error {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n%s INTEGER", sqlitedb.QuoteIdent(table), sqlitedb.QuoteIdent("index"))
	for _, c := range cols {
		fmt.Fprintf(&b, ",\n  %s %s", sqlitedb.QuoteIdent(c.name), c.decl)
	}
	b.WriteString("\n)")
	if _, err := tx.ExecContext(ctx, b.String()); err != nil {
		return fmt.Errorf("create table %s: %w", table, err)
	}
	return nil
}

func indexPandasTable(ctx context.Context, tx *sql.Tx, table string) error {
	idx := fmt.Sprintf("CREATE INDEX %s ON %s (%s)", sqlitedb.QuoteIdent("ix_"+table+"_index"),
		sqlitedb.QuoteIdent(table), sqlitedb.QuoteIdent("index"))
	if _, err := tx.ExecContext(ctx, idx); err != nil {
		return fmt.Errorf("create index on %s: %w", table, err)
	}
	return nil
}

// tableWriter inserts rows in multi-row INSERT statements: one prepared
// statement for full batches, so the per-row cost is one append to args.
type tableWriter struct {
	ctx    context.Context
	tx     *sql.Tx
	insert string // "INSERT INTO t (cols) VALUES "
	one    string // "(?,?,...)"
	ncols  int
	batch  int
	full   *sql.Stmt
	args   []any
	rows   int64
}

// maxParams stays well under SQLite's default SQLITE_MAX_VARIABLE_NUMBER
// (32766); batches beyond a few hundred rows gain nothing.
const maxParams = 8000

func newTableWriter(ctx context.Context, tx *sql.Tx, table string, names []string) (*tableWriter, error) {
	return newWriter(ctx, tx, "INSERT", table, names)
}

// newIgnoringWriter is a tableWriter whose rows are skipped, not failed, when
// they break a UNIQUE constraint.
func newIgnoringWriter(ctx context.Context, tx *sql.Tx, table string, names []string) (*tableWriter, error) {
	return newWriter(ctx, tx, "INSERT OR IGNORE", table, names)
}

func newWriter(ctx context.Context, tx *sql.Tx, verb, table string, names []string) (*tableWriter, error) {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = sqlitedb.QuoteIdent(n)
	}
	w := &tableWriter{
		ctx:    ctx,
		tx:     tx,
		insert: fmt.Sprintf("%s INTO %s (%s) VALUES ", verb, sqlitedb.QuoteIdent(table), strings.Join(q, ", ")),
		one:    "(" + strings.TrimSuffix(strings.Repeat("?,", len(names)), ",") + ")",
		ncols:  len(names),
	}
	w.batch = max(1, min(256, maxParams/len(names)))
	stmt, err := tx.PrepareContext(ctx, w.sql(w.batch))
	if err != nil {
		return nil, fmt.Errorf("prepare insert into %s: %w", table, err)
	}
	w.full = stmt
	w.args = make([]any, 0, w.batch*w.ncols)
	return w, nil
}

func (w *tableWriter) sql(rows int) string {
	return w.insert + strings.TrimSuffix(strings.Repeat(w.one+",", rows), ",")
}

// row adds one row; vals must have one value per column.
func (w *tableWriter) row(vals ...any) error {
	if len(vals) != w.ncols {
		return fmt.Errorf("%s: %d values for %d columns", w.insert, len(vals), w.ncols)
	}
	w.args = append(w.args, vals...)
	w.rows++
	if len(w.args) == cap(w.args) {
		if _, err := w.full.ExecContext(w.ctx, w.args...); err != nil {
			return fmt.Errorf("%s: %w", strings.TrimSpace(w.insert), err)
		}
		clear(w.args)
		w.args = w.args[:0]
	}
	return nil
}

// close writes the last partial batch and releases the statement.
func (w *tableWriter) close() error {
	defer w.full.Close()
	if len(w.args) == 0 {
		return nil
	}
	if _, err := w.tx.ExecContext(w.ctx, w.sql(len(w.args)/w.ncols), w.args...); err != nil {
		return fmt.Errorf("%s: %w", strings.TrimSpace(w.insert), err)
	}
	w.args = w.args[:0]
	return nil
}

// openFresh opens a new SQLite file for bulk writing under a temporary name
// beside path; finish moves it into place. A generated file is always
// written from scratch, in one transaction, so it is byte-identical for the
// same seed.
func openFresh(ctx context.Context, path string, cacheKiB int) (*sql.DB, *files.Atomic, error) {
	a, err := files.Create(path, 0o644)
	if err != nil {
		return nil, nil, err
	}
	db, err := sqlitedb.Open(ctx, a.Name(), sqlitedb.Bulk)
	if err != nil {
		a.Abort()
		return nil, nil, err
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size=-%d", cacheKiB)); err != nil {
		db.Close()
		a.Abort()
		return nil, nil, fmt.Errorf("%s: %w", a.Name(), err)
	}
	return db, a, nil
}

// finish closes db and moves the finished file into place.
func finish(db *sql.DB, a *files.Atomic) error {
	if err := db.Close(); err != nil {
		return fmt.Errorf("%s: %w", a.Name(), err)
	}
	return a.Commit()
}
