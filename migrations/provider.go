package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"time"
)

// Provider applies one set of migration files. It reads and checks the files
// once, when it is made; its methods then work on any number of databases.
// Apply and MigrateFile are the one-off forms of the same runner.
type Provider struct {
	migs  []Migration
	now   func() time.Time
	log   io.Writer
	setup func(ctx context.Context, conn *sql.Conn) error
	// timeout bounds each migration (0: no bound).
	timeout time.Duration
}

// ProviderOption configures a Provider.
type ProviderOption func(*Provider)

// WithNow sets the clock for schema_migrations.applied_at (default
// time.Now). The builder passes its fixed build time, and reference or
// throw-away databases FixedTime, so that the files are reproducible.
func WithNow(now func() time.Time) ProviderOption {
	return func(p *Provider) {
		if now != nil {
			p.now = now
		}
	}
}

// WithLog sends the plan and progress lines to w (default: discarded).
func WithLog(w io.Writer) ProviderOption {
	return func(p *Provider) {
		if w != nil {
			p.log = w
		}
	}
}

// WithConnSetup runs fn on every connection the provider takes from a
// database, before it reads or migrates anything: the place to install what
// a run must be confined by (an authorizer, limits, PRAGMAs), or to take
// measurements before the migrations change the data. An error from fn stops
// the run.
func WithConnSetup(fn func(ctx context.Context, conn *sql.Conn) error) ProviderOption {
	return func(p *Provider) { p.setup = fn }
}

// WithTimeout bounds each migration: one that runs longer than d is
// interrupted, rolled back and reported as an *Error wrapping ErrTimeLimit
// with the statement that was running. d <= 0 means no bound (the default).
func WithTimeout(d time.Duration) ProviderOption {
	return func(p *Provider) { p.timeout = d }
}

// NewProvider reads the migrations in the root of fsys (nil: the ones
// embedded in this binary) as List does; a file List rejects is an error here.
func NewProvider(fsys fs.FS, opts ...ProviderOption) (*Provider, error) {
	migs, err := List(fsys)
	if err != nil {
		return nil, err
	}
	p := &Provider{migs: migs, now: time.Now, log: io.Discard}
	for _, o := range opts {
		o(p)
	}
	return p, nil
}

// Migrations returns the provider's migrations, sorted by version.
func (p *Provider) Migrations() []Migration { return slices.Clone(p.migs) }

// Latest is the highest version of the provider's migrations, 0 when there
// are none.
func (p *Provider) Latest() int { return latestOf(p.migs) }

// Status is a database's migration state measured against a provider's
// files. Reading it writes nothing and fails only when the database cannot
// be read: the problems Up would refuse are reported in it, all of them.
type Status struct {
	// Version is what the database says it is at: the highest of
	// schema_migrations' versions and PRAGMA user_version.
	Version int
	// Tracked: the database has a schema_migrations table.
	Tracked bool
	// Adopt: it has tables but no schema_migrations (a file made by the
	// Python builder); Up adopts it, recording a baseline.
	Adopt bool
	// Newer: Version is beyond the provider's latest; Up fails with ErrNewer.
	Newer bool
	// Applied are the schema_migrations rows, by version.
	Applied []Applied
	// Pending are the migrations Up would apply, in order.
	Pending []Migration
	// Mismatches are applied migrations whose file has since been renamed or
	// edited; Up fails on the first (ErrChecksum for an edit).
	Mismatches []Mismatch
	// Missing are migrations not applied although a later one is; Up fails.
	Missing []Migration

	tables []string // user tables other than schema_migrations, by name
}

// Applied is one schema_migrations row.
type Applied struct {
	Version int
	Name    string
	SHA256  string
}

// Mismatch is an applied migration whose file is no longer what was applied:
// Applied.Name differs from Migration.Name (renamed or replaced), or only the
// checksums differ (edited).
type Mismatch struct {
	Migration Migration
	Applied   Applied
}

// Status reads db's migration state.
func (p *Provider) Status(ctx context.Context, db *sql.DB) (*Status, error) {
	conn, err := p.conn(ctx, db)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	st, err := readStatus(ctx, conn, p.migs)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	return st, nil
}

// Up applies every pending migration.
func (p *Provider) Up(ctx context.Context, db *sql.DB) (*Result, error) {
	return p.run(ctx, db, p.Latest(), false)
}

// UpTo applies the pending migrations up to and including version; a
// database already there or beyond it is left alone. Versions, checksums and
// order are checked against all of the provider's files, as Up does.
func (p *Provider) UpTo(ctx context.Context, db *sql.DB, version int) (*Result, error) {
	if version < 0 || version > p.Latest() {
		return nil, fmt.Errorf("migrate: no migration %04d (the latest is %04d)", version, p.Latest())
	}
	return p.run(ctx, db, version, false)
}

// UpEach applies every pending migration as Up does, one transaction each,
// and calls each after every one has been committed, on the connection that
// applied it (so it sees exactly what the migration left, and the pool's one
// connection is not needed twice). An error from each stops the run; the
// returned error wraps it. Checking a database after every migration this way
// costs one pass, where UpTo for each version would re-read the bookkeeping
// every time.
func (p *Provider) UpEach(ctx context.Context, db *sql.DB, each func(ctx context.Context, conn *sql.Conn, step Step) error) (*Result, error) {
	return p.runOpts(ctx, db, p.Latest(), Options{each: each})
}

func (p *Provider) run(ctx context.Context, db *sql.DB, target int, dryRun bool) (*Result, error) {
	return p.runOpts(ctx, db, target, Options{DryRun: dryRun})
}

func (p *Provider) runOpts(ctx context.Context, db *sql.DB, target int, opts Options) (*Result, error) {
	conn, err := p.conn(ctx, db)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	opts.Now, opts.Log, opts.timeout = p.now, p.log, p.timeout
	res, err := applyTo(ctx, conn, p.migs, target, opts)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return res, nil
}

// conn takes one connection from db (a migration's statements and its
// bookkeeping must share it) and runs the setup hook on it.
func (p *Provider) conn(ctx context.Context, db *sql.DB) (*sql.Conn, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if p.setup != nil {
		if err := p.setup(ctx, conn); err != nil {
			conn.Close()
			return nil, fmt.Errorf("migrate: connection setup: %w", err)
		}
	}
	return conn, nil
}
