package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/tagdb/tagdb-action/migrations/internal/sqltext"
)

// Options configure Apply and MigrateFile.
type Options struct {
	FS     fs.FS            // nil = the embedded *.sql files
	Now    func() time.Time // applied_at stamp; nil = time.Now. The builder passes its fixed build time (reproducible files)
	DryRun bool
	Log    io.Writer // progress/plan lines; nil = discard

	// each, when set, runs after every applied migration has been committed,
	// on the same connection; an error stops the run. timeout, when > 0,
	// bounds each migration (its statements and commit). Both are set by
	// Provider.UpEach and WithTimeout.
	each    func(ctx context.Context, conn *sql.Conn, step Step) error
	timeout time.Duration

	// KeepBackup keeps MigrateFile's pre-migration copy (PATH.pre-migrate.bak)
	// after a successful run; by default it is removed once the run succeeds.
	KeepBackup bool
}

// Result says what a run did (or, in a dry run, would do).
type Result struct {
	From    int    `json:"from"`    // highest applied version before the run (0: new or adopted file)
	To      int    `json:"to"`      // after the run
	Applied []Step `json:"applied"` // migrations run, in order
	// Adopted is set when the database had tables but no schema_migrations
	// table: a file published by the Python builder. Baseline says what was found.
	Adopted  bool     `json:"adopted,omitempty"`
	Baseline []string `json:"baseline,omitempty"`
	Created  bool     `json:"created,omitempty"` // MigrateFile created the file
	Backup   string   `json:"backup,omitempty"`  // MigrateFile: the kept backup, if any
	DryRun   bool     `json:"dry_run,omitempty"`
}

// UpToDate reports whether there was nothing to apply.
func (r *Result) UpToDate() bool { return len(r.Applied) == 0 }

// Step is one applied migration.
type Step struct {
	Version int    `json:"version"`
	File    string `json:"file"`
	SHA256  string `json:"sha256"`
	// Skipped lists the guarded statements that did nothing because their
	// effect already existed ("TAG_STATUS.deprecated exists").
	Skipped []string `json:"skipped,omitempty"`
}

const trackingDDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    applied_at TEXT NOT NULL
)`

// querier is what both *sql.Conn and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// plan is what a database needs, read without writing anything.
type plan struct {
	from    int // highest version in schema_migrations
	pending []Migration
	adopted bool
	tables  []string
}

// makePlan reads the database's migration state and checks it against migs:
// unknown or newer versions, changed files and out-of-order gaps are errors.
func makePlan(ctx context.Context, q querier, migs []Migration) (*plan, error) {
	st, err := readStatus(ctx, q, migs)
	if err != nil {
		return nil, err
	}
	if st.Newer {
		return nil, fmt.Errorf("%w: the database is at schema version %d, this tagdb knows up to %d; use a newer tagdb",
			ErrNewer, st.Version, latestOf(migs))
	}
	if len(st.Mismatches) > 0 { // the first is reported; Status lists them all
		m, r := st.Mismatches[0].Migration, st.Mismatches[0].Applied
		if r.Name != m.Name {
			return nil, fmt.Errorf("schema_migrations: version %04d was applied as %q but this tagdb's file is %s", m.Version, r.Name, m.File)
		}
		return nil, fmt.Errorf("%w: %s was applied with sha256 %s but the file now has sha256 %s; "+
			"never edit an applied migration, add a new one", ErrChecksum, m.File, r.SHA256, m.SHA256)
	}
	p := &plan{pending: st.Pending, adopted: st.Adopt, tables: st.tables}
	for _, r := range st.Applied {
		p.from = max(p.from, r.Version)
	}
	if len(st.Missing) > 0 {
		return nil, fmt.Errorf("schema_migrations: %s is not applied but the later version %04d is; "+
			"a migration was inserted before one already applied", st.Missing[0].File, p.from)
	}
	return p, nil
}

// readStatus reads a database's migration bookkeeping and compares it with
// migs, without judging it: makePlan turns what it finds into errors.
func readStatus(ctx context.Context, q querier, migs []Migration) (*Status, error) {
	st := &Status{}
	var userVersion int
	if err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&userVersion); err != nil {
		return nil, fmt.Errorf("read user_version: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list tables: %w", err)
		}
		if strings.EqualFold(name, "schema_migrations") {
			st.Tracked = true
			continue
		}
		st.tables = append(st.tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}

	from := 0
	applied := map[int]Applied{}
	if st.Tracked {
		rows, err := q.QueryContext(ctx, `SELECT version, name, sha256 FROM schema_migrations ORDER BY version`)
		if err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		for rows.Next() {
			var r Applied
			if err := rows.Scan(&r.Version, &r.Name, &r.SHA256); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read schema_migrations: %w", err)
			}
			st.Applied = append(st.Applied, r)
			applied[r.Version] = r
			from = max(from, r.Version)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
	}
	st.Version = max(from, userVersion)
	st.Newer = st.Version > latestOf(migs)
	for _, m := range migs {
		r, ok := applied[m.Version]
		switch {
		case ok && (r.Name != m.Name || r.SHA256 != m.SHA256):
			st.Mismatches = append(st.Mismatches, Mismatch{Migration: m, Applied: r})
		case ok:
		case m.Version < from:
			st.Missing = append(st.Missing, m)
		default:
			st.Pending = append(st.Pending, m)
		}
	}
	st.Adopt = !st.Tracked && len(st.tables) > 0
	return st, nil
}

func latestOf(migs []Migration) int {
	if len(migs) == 0 {
		return 0
	}
	return migs[len(migs)-1].Version
}

// Apply brings an open database (any state: empty, Python-builder file, ours)
// up to date, each migration in one transaction with its schema_migrations
// row and PRAGMA user_version = its version, so a failure never leaves a
// half-applied migration. A dry run applies everything in one transaction and
// rolls it back, so the plan it prints is exact. It is Provider.Up for a
// one-off set of options.
//
// With a Bulk connection (journal_mode=OFF) SQLite cannot roll back: use it
// only on a file that is thrown away on error, as the builder does.
func Apply(ctx context.Context, db *sql.DB, opts Options) (*Result, error) {
	p, err := NewProvider(opts.FS, WithNow(opts.Now), WithLog(opts.Log))
	if err != nil {
		return nil, err
	}
	return p.run(ctx, db, p.Latest(), opts.DryRun)
}

// apply brings conn up to the last of migs.
func apply(ctx context.Context, conn *sql.Conn, migs []Migration, opts Options) (*Result, error) {
	return applyTo(ctx, conn, migs, latestOf(migs), opts)
}

// applyTo applies the pending migrations up to version target; the plan (and
// with it every check of versions and checksums) covers all of migs.
func applyTo(ctx context.Context, conn *sql.Conn, migs []Migration, target int, opts Options) (*Result, error) {
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	p, err := makePlan(ctx, conn, migs)
	if err != nil {
		return nil, err
	}
	pending := p.pending
	for len(pending) > 0 && pending[len(pending)-1].Version > target {
		pending = pending[:len(pending)-1]
	}
	res := &Result{From: p.from, To: p.from, Adopted: p.adopted, DryRun: opts.DryRun}
	if p.adopted {
		res.Baseline, err = baseline(ctx, conn, migs, p.tables)
		if err != nil {
			return nil, fmt.Errorf("adopt: %w", err)
		}
		fmt.Fprintf(log, "adopting a database without schema_migrations (a Python-builder file): %d tables\n", len(p.tables))
		for _, b := range res.Baseline {
			fmt.Fprintf(log, "  %s\n", b)
		}
	}
	if len(pending) == 0 {
		fmt.Fprintf(log, "schema version %d is current: nothing to do\n", p.from)
		return res, nil
	}
	verb := "apply"
	if opts.DryRun {
		verb = "would apply"
	}

	// Normal runs commit each migration on its own; a dry run keeps one
	// transaction open across all of them and rolls it back at the end.
	var dry *sql.Tx
	if opts.DryRun {
		if dry, err = conn.BeginTx(ctx, nil); err != nil {
			return nil, fmt.Errorf("begin: %w", err)
		}
		defer dry.Rollback()
	}
	stamp := now().UTC().Format(time.RFC3339)
	for _, m := range pending {
		step, err := applyOne(ctx, conn, dry, m, stamp, opts.timeout)
		if err != nil {
			return nil, err
		}
		if opts.each != nil {
			if err := opts.each(ctx, conn, step); err != nil {
				return nil, err
			}
		}
		res.Applied = append(res.Applied, step)
		res.To = m.Version
		fmt.Fprintf(log, "%s %s (sha256 %s)\n", verb, m.File, m.SHA256[:12])
		for _, s := range step.Skipped {
			fmt.Fprintf(log, "  skipped ADD COLUMN: %s\n", s)
		}
	}
	if opts.DryRun {
		fmt.Fprintf(log, "dry run: would go from schema version %d to %d; nothing was changed\n", res.From, res.To)
	}
	return res, nil
}

// applyOne runs one migration in its own transaction (or in dry, the dry
// run's) and commits it, within timeout when that is > 0. A migration that
// runs out of time is interrupted and rolled back, and its error wraps
// ErrTimeLimit and names the statement that was running.
func applyOne(ctx context.Context, conn *sql.Conn, dry *sql.Tx, m Migration, stamp string, timeout time.Duration) (Step, error) {
	mctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		mctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	step, err := func() (Step, error) {
		tx := dry
		if tx == nil {
			var err error
			if tx, err = conn.BeginTx(mctx, nil); err != nil {
				return Step{}, &Error{File: m.File, Err: fmt.Errorf("begin: %w", err)}
			}
		}
		step, err := runOne(mctx, tx, m, stamp)
		if err != nil {
			if dry == nil {
				tx.Rollback()
			}
			return step, err
		}
		if dry == nil {
			if err := tx.Commit(); err != nil {
				return step, &Error{File: m.File, Err: fmt.Errorf("commit: %w", err)}
			}
		}
		return step, nil
	}()
	if err != nil && ctx.Err() == nil && errors.Is(mctx.Err(), context.DeadlineExceeded) {
		e := &Error{File: m.File, Err: err}
		if inner := (*Error)(nil); errors.As(err, &inner) {
			e = &Error{File: inner.File, Line: inner.Line, Statement: inner.Statement, Err: inner.Err}
		}
		e.Err = fmt.Errorf("%w: still running after %s, the limit for one migration (%v)", ErrTimeLimit, timeout, e.Err)
		return step, e
	}
	return step, err
}

// runOne executes one migration's statements and its tracking row in tx.
func runOne(ctx context.Context, tx *sql.Tx, m Migration, stamp string) (Step, error) {
	step := Step{Version: m.Version, File: m.File, SHA256: m.SHA256}
	for _, st := range m.statements {
		// ALTER TABLE ... ADD COLUMN has no IF NOT EXISTS in SQLite. A column
		// that already exists is the adoption case (the Python builder's files
		// may have it, in either position), so the statement is skipped.
		if table, column, ok := sqltext.AddColumn(st); ok {
			exists, err := hasColumn(ctx, tx, table, column)
			if err != nil {
				return step, &Error{File: m.File, Line: st.Line, Statement: st.SQL, Err: err}
			}
			if exists {
				step.Skipped = append(step.Skipped, table+"."+column+" exists")
				continue
			}
		}
		if _, err := tx.ExecContext(ctx, st.SQL); err != nil {
			return step, &Error{File: m.File, Line: st.Line, Statement: st.SQL, Err: err}
		}
	}
	if _, err := tx.ExecContext(ctx, trackingDDL); err != nil {
		return step, &Error{File: m.File, Err: fmt.Errorf("create schema_migrations: %w", err)}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)`,
		m.Version, m.Name, m.SHA256, stamp); err != nil {
		return step, &Error{File: m.File, Err: fmt.Errorf("record in schema_migrations: %w", err)}
	}
	// PRAGMA arguments cannot be bound; the version is an int.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, m.Version)); err != nil {
		return step, &Error{File: m.File, Err: fmt.Errorf("set user_version: %w", err)}
	}
	return step, nil
}

func hasColumn(ctx context.Context, q querier, table, column string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_xinfo(?) WHERE name = ? COLLATE NOCASE`, table, column).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up %s.%s: %w", table, column, err)
	}
	return n > 0, nil
}

// columnOrder returns a table's columns in file order.
func columnOrder(ctx context.Context, q querier, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM pragma_table_xinfo(?) ORDER BY cid`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// baseline describes an adopted database against a fresh one made by the
// same migrations: which tables and columns exist, which are missing (the
// migrations add them) and where column order differs (harmless: everything
// goes by name).
func baseline(ctx context.Context, conn *sql.Conn, migs []Migration, tables []string) ([]string, error) {
	ref, err := OpenMemory(ctx)
	if err != nil {
		return nil, err
	}
	defer ref.Close()
	refConn, err := ref.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer refConn.Close()
	if _, err := apply(ctx, refConn, migs, Options{Now: FixedTime}); err != nil {
		return nil, fmt.Errorf("reference schema: %w", err)
	}
	refPlan, err := makePlan(ctx, refConn, migs)
	if err != nil {
		return nil, err
	}
	have := map[string]string{}
	for _, t := range tables {
		have[strings.ToLower(t)] = t
	}
	var out, missing []string
	for _, rt := range refPlan.tables {
		t, ok := have[strings.ToLower(rt)]
		if !ok {
			missing = append(missing, rt)
			continue
		}
		delete(have, strings.ToLower(rt))
		want, err := columnOrder(ctx, refConn, rt)
		if err != nil {
			return nil, err
		}
		got, err := columnOrder(ctx, conn, t)
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", t, err)
		}
		gotSet := map[string]bool{}
		for _, c := range got {
			gotSet[strings.ToLower(c)] = true
		}
		var lacks, common []string
		for _, c := range want {
			if gotSet[strings.ToLower(c)] {
				common = append(common, strings.ToLower(c))
			} else {
				lacks = append(lacks, c)
			}
		}
		var order []string
		for _, c := range got {
			for _, k := range common {
				if strings.EqualFold(c, k) {
					order = append(order, k)
				}
			}
		}
		switch {
		case len(lacks) > 0:
			out = append(out, fmt.Sprintf("%s lacks %s: the migrations add what they can", t, strings.Join(lacks, ", ")))
		case strings.Join(order, ",") != strings.Join(common, ","):
			out = append(out, fmt.Sprintf("%s has all columns, in the order %s (harmless: columns are used by name)", t, strings.Join(got, ", ")))
		default:
			out = append(out, fmt.Sprintf("%s has all columns", t))
		}
	}
	if len(missing) > 0 {
		out = append(out, "missing tables (the migrations create them): "+strings.Join(missing, ", "))
	}
	if len(have) > 0 {
		var extra []string
		for _, t := range tables {
			if _, ok := have[strings.ToLower(t)]; ok {
				extra = append(extra, t)
			}
		}
		out = append(out, "other tables, left as they are: "+strings.Join(extra, ", "))
	}
	return out, nil
}

// FixedTime is the applied_at stamp of reference databases (the Unix epoch),
// so that two of them made from the same files are byte-identical.
func FixedTime() time.Time { return time.Unix(0, 0).UTC() }
