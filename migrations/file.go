package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// BackupSuffix is appended to a database path for MigrateFile's backup.
const BackupSuffix = ".pre-migrate.bak"

// MigrateFile is `tagdb migrate`: it creates the file if missing (built in a
// temporary file beside it and renamed into place, so a failure leaves
// nothing); on an existing file with pending work it writes a backup beside
// it first and restores it byte-for-byte if anything fails; nothing pending
// means no write at all. A dry run changes nothing and creates nothing.
func MigrateFile(ctx context.Context, path string, opts Options) (*Result, error) {
	migs, err := List(opts.FS)
	if err != nil {
		return nil, err
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return createFile(ctx, path, migs, opts, log)
	case err != nil:
		return nil, err
	case st.IsDir():
		return nil, fmt.Errorf("%s is a directory", path)
	}

	// Plan on a read-write connection that writes nothing: a read-only one
	// would leave -wal/-shm files beside a WAL-mode file when it closes.
	res, pending, err := planFile(ctx, path, migs, opts)
	if err != nil || !pending || opts.DryRun {
		return res, err
	}
	// Our planning connection was the last one to close, so SQLite has
	// checkpointed its WAL and rolled back any hot journal. A non-empty one
	// left now belongs to another process, and copying the main file alone
	// would not be a backup. (Empty ones are left by read-only readers.)
	for _, side := range []string{"-wal", "-journal"} {
		if st, err := os.Stat(path + side); err == nil && st.Size() > 0 {
			return nil, fmt.Errorf("%s%s is not empty: another process has the database open; close it and retry", path, side)
		}
	}

	backup := path + BackupSuffix
	if _, err := os.Stat(backup); err == nil {
		return nil, fmt.Errorf("backup %s already exists (left by an interrupted run?): restore or remove it first", backup)
	}
	if err := files.CopyKeepMode(path, backup); err != nil {
		os.Remove(backup)
		return nil, fmt.Errorf("back up %s: %w", path, err)
	}
	fmt.Fprintf(log, "backup written to %s\n", backup)

	res, err = migrateOpen(ctx, path, migs, opts)
	if err != nil {
		if rerr := restore(path, backup); rerr != nil {
			return nil, fmt.Errorf("%w; restoring the backup also failed: %v; the original file is %s", err, rerr, backup)
		}
		fmt.Fprintf(log, "restored %s from the backup: the file is as it was\n", path)
		return nil, err
	}
	fmt.Fprintf(log, "migrated %s from schema version %d to %d\n", path, res.From, res.To)
	if opts.KeepBackup {
		res.Backup = backup
	} else if err := os.Remove(backup); err != nil {
		return res, fmt.Errorf("succeeded, but removing the backup failed: %w", err)
	}
	return res, nil
}

// planFile works out what path needs. In a dry run it also runs the
// migrations inside a transaction that is rolled back, to report exactly.
func planFile(ctx context.Context, path string, migs []Migration, opts Options) (*Result, bool, error) {
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		return nil, false, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	defer conn.Close()
	if opts.DryRun {
		res, err := apply(ctx, conn, migs, opts)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return res, len(res.Applied) > 0, nil
	}
	p, err := makePlan(ctx, conn, migs)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	if len(p.pending) > 0 {
		return nil, true, nil
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	fmt.Fprintf(log, "schema version %d is current: nothing to do\n", p.from)
	return &Result{From: p.from, To: p.from}, false, nil
}

func migrateOpen(ctx context.Context, path string, migs []Migration, opts Options) (res *Result, err error) {
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close %s: %w", path, cerr)
		}
	}()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer conn.Close()
	res, err = apply(ctx, conn, migs, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return res, nil
}

func createFile(ctx context.Context, path string, migs []Migration, opts Options, log io.Writer) (*Result, error) {
	if opts.DryRun {
		fmt.Fprintf(log, "would create %s\n", path)
		db, err := OpenMemory(ctx)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		conn, err := db.Conn(ctx)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		res, err := apply(ctx, conn, migs, opts)
		if err != nil {
			return nil, err
		}
		res.Created = true
		return res, nil
	}
	a, err := files.Create(path, 0o600)
	if err != nil {
		return nil, err
	}
	defer a.Abort() // removes the file and its journals unless committed
	res, err := migrateOpen(ctx, a.Name(), migs, opts)
	if err != nil {
		return nil, err
	}
	if err := a.Commit(); err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	res.Created = true
	fmt.Fprintf(log, "created %s at schema version %d\n", path, res.To)
	return res, nil
}

// restore puts the backup back in place of path. The database is closed by
// then; rename is atomic, so path is always either the failed or the original
// file, never a mix.
func restore(path, backup string) error {
	for _, side := range []string{"-wal", "-journal", "-shm"} {
		if err := os.Remove(path + side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return os.Rename(backup, path)
}

// compile-time check that *sql.Conn and *sql.Tx satisfy querier.
var (
	_ querier = (*sql.Conn)(nil)
	_ querier = (*sql.Tx)(nil)
)
