package main

// The pull-request schema check (`tagdb check`, and mode check of the action):
// apply a migrations folder to an empty database and to the published one,
// validate both, diff the schema against a base and say what changes for the
// readers of published files.
//
// How the base is chosen, and which migration files count as new:
//
//   - With a base database (the latest release's file) its own bookkeeping is
//     the truth: files newer than max(schema_migrations.version, user_version)
//     are new, and an applied file whose sha256 differs from the folder's copy
//     was edited. The diff is the published file before and after the
//     migrations run on a copy of it: exactly what its readers will see, and
//     immune to what a build adds beside the migrations' schema.
//   - With only a base schema (the base branch's golden dump) there are no
//     version numbers. The embedded migrations' LatestVersion is no help in
//     the pull-request workflow: the action is built from the pull request's
//     own tree (uses: ./), so its embedded files already are the PR's. So the
//     base version is inferred: the smallest k whose first k migrations
//     reproduce the base schema. Smallest, because a data-only file after the
//     last schema change (a new format row) leaves the schema as it was and is
//     new all the same. When no prefix reproduces the base, an existing file
//     was changed (or renumbered): that fails the check.
//   - With neither, the migrations embedded in this binary are the base, and
//     LatestVersion is the base version (right for a released tagdb checking
//     a working tree; a binary built from the same tree compares it with
//     itself and says so).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/tagdb/tagdb-action/internal/files"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/migrations/schema"
	"github.com/tagdb/tagdb-action/migrations/validate"
)

// checkOptions says what to check and against what.
type checkOptions struct {
	MigrationsDir    string // the PR's migrations folder (os.DirFS); "" = the migrations embedded in this binary
	BaseDB           string // optional: a base database (the latest release's DB, already downloaded) to migrate a copy of and validate
	BaseSchema       string // optional: a schema dump JSON (or DB) to diff against when there is no BaseDB, e.g. the base branch's golden
	AllowDestructive bool   // report destructive and breaking changes as warnings instead of failing
}

// checkAnnotation is one message pinned to a line of a migration file. File
// is "" (and Line 0) for findings that belong to no file.
type checkAnnotation struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Level   string `json:"level"` // error, warning or notice
	Title   string `json:"title"`
	Message string `json:"message"`
}

// checkStep is one thing the check tried: applying the migrations somewhere,
// validating a database, comparing checksums.
type checkStep struct {
	Name     string   `json:"name"`
	Status   string   `json:"status"` // ok, failed or skipped
	Detail   string   `json:"detail"`
	Problems []string `json:"problems,omitempty"`
	Notes    []string `json:"notes,omitempty"`
}

const (
	stepOK      = "ok"
	stepFailed  = "failed"
	stepSkipped = "skipped"
)

// checkResult is what runCheck found. Markdown is the step summary and the PR
// comment body (without the hidden marker that finds the comment again).
type checkResult struct {
	Markdown    string            `json:"-"`
	Annotations []checkAnnotation `json:"annotations"`
	Failed      bool              `json:"failed"`
	Changes     []schema.Change   `json:"changes"`

	Reasons     []string    `json:"reasons,omitempty"` // why Failed, one phrase each
	Migrations  string      `json:"migrations"`        // the folder checked, as given
	Files       []string    `json:"files"`             // its migration files, in order
	Base        string      `json:"base"`              // what the changes are measured against
	BaseVersion int         `json:"base_version"`      // -1 when it could not be told
	NewFiles    []string    `json:"new_files"`         // files newer than the base
	Compared    bool        `json:"compared"`          // false when no diff was possible: Changes is then empty, not "no change"
	Steps       []checkStep `json:"steps"`
	Notes       []string    `json:"notes,omitempty"` // about the check itself (which base, why)
}

// checker carries one run's inputs and what it has learnt so far.
type checker struct {
	ctx  context.Context
	e    *env
	opts checkOptions
	res  *checkResult

	migs  []migrations.Migration
	steps []*schema.Snapshot // steps[k]: the schema after the first k migrations
	delta [][]schema.Change  // delta[k]: what migration k changed (k >= 1)
	fresh *sql.DB
	// master is the fresh database's master data: what the published file
	// must hold after the migrations.
	master *migrations.MasterData

	oldLabel, newLabel string
}

// runCheck does the whole check and returns what to report; it does not
// print or exit. An error means the check could not run (a base that cannot
// be read, a cancelled context); what is wrong with the migrations themselves
// is in the result.
func runCheck(e *env, o checkOptions) (*checkResult, error) {
	ctx := e.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	c := &checker{ctx: ctx, e: e, opts: o, res: &checkResult{Migrations: o.MigrationsDir, BaseVersion: -1}}
	if o.MigrationsDir == "" {
		c.res.Migrations = "(embedded)"
	}
	c.newLabel = c.res.Migrations
	defer func() {
		if c.fresh != nil {
			c.fresh.Close()
		}
	}()
	if err := c.run(); err != nil {
		return nil, err
	}
	c.finish()
	return c.res, nil
}

func (c *checker) run() error {
	var fsys fs.FS // nil = embedded
	if dir := c.opts.MigrationsDir; dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("migrations folder: %w", err)
		}
		if !st.IsDir() {
			return fmt.Errorf("migrations folder %s is not a directory", dir)
		}
		fsys = os.DirFS(dir)
	}
	migs, err := migrations.List(fsys)
	if err != nil {
		// A malformed name, a gap or a duplicate version: the PR's own fault.
		msg := strings.TrimPrefix(err.Error(), "migrations: ")
		c.step(checkStep{Name: "migration files are well-formed", Status: stepFailed, Detail: msg, Problems: []string{msg}})
		c.annotate(c.fileOf(msg, ""), checkLineOf(msg), "error", "invalid migration files", msg)
		c.fail("the migration files are invalid")
		return nil
	}
	if len(migs) == 0 {
		msg := fmt.Sprintf("no migration files (NNNN_snake_name.sql) in %s", c.res.Migrations)
		c.step(checkStep{Name: "migration files are well-formed", Status: stepFailed, Detail: msg, Problems: []string{msg}})
		c.annotate("", 0, "error", "invalid migration files", msg)
		c.fail("the migration files are invalid")
		return nil
	}
	c.migs = migs
	for _, m := range migs {
		c.res.Files = append(c.res.Files, m.File)
	}
	if err := c.applyFresh(); err != nil {
		return err
	}
	switch {
	case c.opts.BaseDB != "":
		return c.againstDB()
	case c.opts.BaseSchema != "":
		empty, err := checkEmptyFile(c.opts.BaseSchema)
		if err != nil {
			return fmt.Errorf("base schema: %w", err)
		}
		if !empty {
			return c.againstSchema()
		}
		// The workflow writes the base branch's golden with `|| true`: a
		// branch without one leaves an empty file, not an error.
		c.note(fmt.Sprintf("the base schema %s is empty (the base branch has no golden schema?): comparing with the migrations built into this tagdb instead", c.opts.BaseSchema))
	}
	return c.againstEmbedded()
}

// applyFresh applies the migrations one by one to an empty in-memory
// database, keeping the schema after each: the last is the new schema, and
// the steps tell which file caused which change.
func (c *checker) applyFresh() error {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return fmt.Errorf("open in-memory database: %w", err)
	}
	// One connection, kept forever: every connection to ":memory:" is a
	// different, empty database.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	c.fresh = db
	empty, err := schema.Inspect(c.ctx, db)
	if err != nil {
		return fmt.Errorf("empty database: %w", err)
	}
	c.steps = []*schema.Snapshot{empty}
	c.delta = [][]schema.Change{nil}
	name := "migrations apply to an empty database"
	for k := 1; k <= len(c.migs); k++ {
		if _, err := migrations.Apply(c.ctx, db, migrations.Options{FS: c.prefix(k), Now: checkEpoch}); err != nil {
			if c.ctx.Err() != nil {
				return c.ctx.Err()
			}
			msg := strings.TrimPrefix(err.Error(), "migrate: ")
			c.step(checkStep{Name: name, Status: stepFailed, Detail: msg, Problems: []string{msg}})
			c.annotate(c.fileOf(msg, c.migs[k-1].File), checkLineOf(msg), "error", "migration fails on an empty database", msg)
			c.fail("the migrations do not apply to an empty database")
			c.steps, c.delta = nil, nil
			return nil
		}
		snap, err := schema.Inspect(c.ctx, db)
		if err != nil {
			return fmt.Errorf("after %s: %w", c.migs[k-1].File, err)
		}
		c.delta = append(c.delta, schema.Diff(c.steps[k-1], snap))
		c.steps = append(c.steps, snap)
	}
	c.step(checkStep{Name: name, Status: stepOK, Detail: fmt.Sprintf("%s applied", c.span(1, len(c.migs)))})

	c.master, err = migrations.ReadMaster(c.ctx, db)
	if err != nil {
		return fmt.Errorf("empty database after the migrations: %w", err)
	}
	rep, err := validate.Run(c.ctx, db, validate.Options{Expected: c.newSchema(), Master: c.master})
	if err != nil {
		return fmt.Errorf("validate the empty database: %w", err)
	}
	c.validated("the migrated empty database validates", rep, "the empty database does not validate")
	return nil
}

// newSchema is the schema the migrations produce, nil when they do not apply.
func (c *checker) newSchema() *schema.Snapshot {
	if len(c.steps) == 0 {
		return nil
	}
	return c.steps[len(c.steps)-1]
}

// prefix is the first k migrations as a file system, byte for byte the same
// files (so the same checksums). Apply takes an fs.FS and applies all of it.
func (c *checker) prefix(k int) fs.FS {
	m := fstest.MapFS{}
	for _, mig := range c.migs[:k] {
		m[mig.File] = &fstest.MapFile{Data: []byte(mig.SQL), Mode: 0o444}
	}
	return m
}

// againstDB migrates a copy of the published database and validates it.
func (c *checker) againstDB() error {
	path := c.opts.BaseDB
	c.oldLabel = filepath.Base(path)
	dir, err := os.MkdirTemp("", "tagdb-check-*")
	if err != nil {
		return fmt.Errorf("base database: %w", err)
	}
	defer os.RemoveAll(dir)
	cp := filepath.Join(dir, "base.sqlite")
	// The copy is what gets migrated: the caller's file is never opened for
	// writing, and a WAL-mode original gets no -shm file from us.
	if err := files.Copy(path, cp); err != nil {
		return fmt.Errorf("base database: copy %s: %w", path, err)
	}
	db, err := sqlitedb.Open(c.ctx, cp, sqlitedb.ReadWrite)
	if err != nil {
		return fmt.Errorf("base database %s: %w", path, err)
	}
	defer db.Close()
	old, err := schema.Inspect(c.ctx, db)
	if err != nil {
		return fmt.Errorf("base database %s: %w", path, err)
	}
	state, err := checkReadMigState(c.ctx, db)
	if err != nil {
		return fmt.Errorf("base database %s: %w", path, err)
	}
	v := state.version()
	c.res.BaseVersion = v
	c.res.Base = fmt.Sprintf("published database %s at schema version %d", mdCode(filepath.Base(path)), v)
	if !state.tracked {
		c.res.Base = fmt.Sprintf("published database %s (made without tagdb migrations: adopted)", mdCode(filepath.Base(path)))
	}
	c.setNew(v)

	// Edited applied migrations: never fixable by the next run, so they are
	// reported whatever else happens.
	edited := c.editedAgainst(state)
	if len(c.steps) == 0 {
		c.step(checkStep{Name: "migrations apply to the published database", Status: stepSkipped, Detail: "not run: the migrations do not apply to an empty database"})
		return nil
	}
	if len(edited) > 0 {
		c.step(checkStep{Name: "migrations apply to the published database", Status: stepSkipped, Detail: "not run: applied migrations were edited (above)"})
		c.diff(old, c.newSchema(), v, "the published database compared with a new one, as the migrations do not apply to it")
		return nil
	}

	name := "migrations apply to the published database"
	first := max(v+1, 1)
	if first > len(c.migs) {
		first = len(c.migs) // nothing pending: one run still checks versions and checksums
	}
	for k := first; k <= len(c.migs); k++ {
		_, err := migrations.Apply(c.ctx, db, migrations.Options{FS: c.prefix(k), Now: checkEpoch})
		if err == nil {
			continue
		}
		if c.ctx.Err() != nil {
			return c.ctx.Err()
		}
		msg := strings.TrimPrefix(err.Error(), "migrate: ")
		if errors.Is(err, migrations.ErrNewer) {
			msg += " (is this branch behind its base? merge or rebase it)"
		}
		c.step(checkStep{Name: name, Status: stepFailed, Detail: msg, Problems: []string{msg}})
		if !errors.Is(err, migrations.ErrNewer) {
			c.annotate(c.fileOf(msg, c.migs[k-1].File), checkLineOf(msg), "error", "migration fails on the published database", msg)
		}
		c.fail("the migrations do not apply to the published database")
		c.step(checkStep{Name: "the migrated published database validates", Status: stepSkipped, Detail: "not run: the migrations did not apply"})
		c.diff(old, c.newSchema(), v, "the published database compared with a new one, as the migrations do not apply to it")
		return nil
	}
	detail := "nothing to apply: it is up to date"
	if v < len(c.migs) {
		detail = fmt.Sprintf("%s applied to a copy", c.span(v+1, len(c.migs)))
	}
	c.step(checkStep{Name: name, Status: stepOK, Detail: detail})

	migrated, err := schema.Inspect(c.ctx, db)
	if err != nil {
		return fmt.Errorf("base database %s after the migrations: %w", path, err)
	}
	// quick_check: the PR cannot have broken the b-trees of the published
	// file, and the full integrity_check dominates the time on a big one.
	rep, err := validate.Run(c.ctx, db, validate.Options{Expected: c.newSchema(), Master: c.master, Quick: true})
	if err != nil {
		return fmt.Errorf("validate the migrated copy of %s: %w", path, err)
	}
	c.validated("the migrated published database validates", rep, "the migrated published database does not validate")
	c.diff(old, migrated, v, "")
	return nil
}

// checkMigState is a database's migration bookkeeping.
type checkMigState struct {
	tracked     bool // has a schema_migrations table
	userVersion int
	applied     map[int][2]string // version -> name, sha256
}

func (s checkMigState) version() int {
	v := s.userVersion
	for k := range s.applied {
		v = max(v, k)
	}
	return v
}

func checkReadMigState(ctx context.Context, db *sql.DB) (checkMigState, error) {
	s := checkMigState{applied: map[int][2]string{}}
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&s.userVersion); err != nil {
		return s, fmt.Errorf("read user_version: %w", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations' COLLATE NOCASE`).Scan(&n); err != nil {
		return s, fmt.Errorf("look for schema_migrations: %w", err)
	}
	if n == 0 {
		return s, nil
	}
	s.tracked = true
	rows, err := db.QueryContext(ctx, `SELECT version, name, sha256 FROM schema_migrations`)
	if err != nil {
		return s, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		var name, sum string
		if err := rows.Scan(&v, &name, &sum); err != nil {
			return s, fmt.Errorf("read schema_migrations: %w", err)
		}
		s.applied[v] = [2]string{name, sum}
	}
	if err := rows.Err(); err != nil {
		return s, fmt.Errorf("read schema_migrations: %w", err)
	}
	return s, nil
}

// editedAgainst compares the folder with what the published database
// recorded when each migration was applied.
func (c *checker) editedAgainst(s checkMigState) []string {
	var problems []string
	versions := make([]int, 0, len(s.applied))
	for v := range s.applied {
		versions = append(versions, v)
	}
	sort.Ints(versions)
	for _, v := range versions {
		if v < 1 || v > len(c.migs) {
			continue // newer than the folder: Apply reports that
		}
		m, rec := c.migs[v-1], s.applied[v]
		var msg string
		switch {
		case rec[0] != m.Name:
			msg = fmt.Sprintf("%s: version %04d was applied to the published database as %q; "+
				"never rename or replace an applied migration, add a new one", m.File, v, rec[0])
		case rec[1] != m.SHA256:
			msg = fmt.Sprintf("%s was edited after it was applied to the published database "+
				"(applied with sha256 %s, the file now has sha256 %s): published files will never run the edit "+
				"and `tagdb migrate` refuses them; revert it and add a new migration", m.File, checkShort(rec[1]), checkShort(m.SHA256))
		default:
			continue
		}
		problems = append(problems, msg)
		c.annotate(c.path(m.File), 1, "error", "applied migration changed", msg)
	}
	c.checksumStep(problems, "every applied migration is as it was applied to the published database")
	return problems
}

func (c *checker) checksumStep(problems []string, okDetail string) {
	name := "applied migrations are unchanged"
	if len(problems) == 0 {
		c.step(checkStep{Name: name, Status: stepOK, Detail: okDetail})
		return
	}
	c.step(checkStep{Name: name, Status: stepFailed, Detail: plural(len(problems), "edited migration"), Problems: problems})
	c.fail("applied migrations were edited")
}

// againstSchema diffs against a schema dump (the base branch's golden).
func (c *checker) againstSchema() error {
	path := c.opts.BaseSchema
	old, err := schema.LoadContext(c.ctx, path)
	if err != nil {
		return fmt.Errorf("base schema: %w", err)
	}
	c.oldLabel = filepath.Base(path)
	if c.newSchema() == nil {
		c.res.Base = fmt.Sprintf("base schema %s", mdCode(filepath.Base(path)))
		return nil
	}
	v := -1
	for k, snap := range c.steps {
		if len(schema.Diff(old, snap)) == 0 {
			v = k
			break
		}
	}
	if v < 0 {
		msg := fmt.Sprintf("no prefix of the migrations reproduces the base schema %s: an existing migration was edited, "+
			"renumbered or removed (published files would never run the change); revert it and add a new migration", filepath.Base(path))
		c.step(checkStep{Name: "applied migrations are unchanged", Status: stepFailed, Detail: "the base schema is not reproduced", Problems: []string{msg}})
		c.annotate("", 0, "error", "existing migrations changed", msg)
		c.fail("existing migrations were changed")
		c.res.Base = fmt.Sprintf("base schema %s (not reproduced by any prefix of the migrations)", mdCode(filepath.Base(path)))
		c.setNew(-1)
	} else {
		c.res.Base = fmt.Sprintf("base schema %s, reproduced by %s", mdCode(filepath.Base(path)), c.span(1, v))
		if v == 0 {
			c.res.Base = fmt.Sprintf("base schema %s (empty)", mdCode(filepath.Base(path)))
		}
		c.res.BaseVersion = v
		c.setNew(v)
	}
	c.diff(old, c.newSchema(), v, "")
	return nil
}

// againstEmbedded diffs against the migrations built into this binary.
func (c *checker) againstEmbedded() error {
	c.oldLabel = "tagdb " + programVersion
	embedded, err := migrations.List(nil)
	if err != nil {
		return fmt.Errorf("embedded migrations: %w", err)
	}
	old, err := migrations.Expected(c.ctx)
	if err != nil {
		return fmt.Errorf("embedded migrations: %w", err)
	}
	v := migrations.LatestVersion()
	c.res.BaseVersion = v
	c.res.Base = fmt.Sprintf("the migrations built into tagdb %s (%s)", programVersion, checkSpan(embedded, 1, v))
	same := len(embedded) == len(c.migs)
	var problems []string
	for i, m := range embedded {
		if i >= len(c.migs) {
			same = false
			continue
		}
		f := c.migs[i]
		if f.SHA256 != m.SHA256 || f.Name != m.Name {
			same = false
			msg := fmt.Sprintf("%s differs from %s built into tagdb %s (sha256 %s, built-in %s): "+
				"never edit, rename or replace a released migration, add a new one", f.File, m.File, programVersion, checkShort(f.SHA256), checkShort(m.SHA256))
			problems = append(problems, msg)
			c.annotate(c.path(f.File), 1, "error", "released migration changed", msg)
		}
	}
	if c.opts.MigrationsDir == "" || same {
		c.note("the base is the same set of migrations as the one checked (this tagdb was built from it): " +
			"give a base database or a base schema to see what changes")
	}
	if len(c.migs) < len(embedded) {
		c.note(fmt.Sprintf("the folder has %d migrations, this tagdb has %d: the folder is older than this tagdb", len(c.migs), len(embedded)))
	}
	c.checksumStep(problems, "the files this tagdb also has are identical to its own")
	c.setNew(v)
	if c.newSchema() != nil {
		c.diff(old, c.newSchema(), v, "")
	}
	return nil
}

// setNew records which files are newer than base version v (-1: unknown).
func (c *checker) setNew(v int) {
	if v < 0 {
		return
	}
	for _, m := range c.migs {
		if m.Version > v {
			c.res.NewFiles = append(c.res.NewFiles, m.File)
		}
	}
}

// diff records the changes from old to new and annotates the migration that
// causes each destructive or breaking one. v is the base version (-1:
// unknown); why, when set, says why the comparison is not the usual one.
func (c *checker) diff(old, new *schema.Snapshot, v int, why string) {
	if new == nil {
		return
	}
	if why != "" {
		c.note(why)
	}
	c.res.Changes = schema.Diff(old, new)
	c.res.Compared = true
	level := "error"
	if c.opts.AllowDestructive {
		level = "warning"
	}
	for _, ch := range c.res.Changes {
		if ch.Class == schema.Additive {
			// With an unknown base, point at where even a safe change comes
			// from: it may be an edit of a file published files already ran.
			if v < 0 {
				if file, line := c.locate(ch, v); file != "" {
					c.annotate(file, line, "notice", fmt.Sprintf("schema change: %s %s %s", ch.Action, ch.Object, ch.Name),
						ch.Detail+"; the base version is unknown, so check that this file is not one the published files already ran.")
				}
			}
			continue
		}
		file, line := c.locate(ch, v)
		msg := ch.Detail + "."
		if c.opts.AllowDestructive {
			msg += " Allowed by allow-destructive: say so in the release notes."
		} else {
			msg += " If it is intended, set allow-destructive and say so in the release notes."
		}
		c.annotate(file, line, level, fmt.Sprintf("%s schema change: %s %s %s", ch.Class, ch.Action, ch.Object, ch.Name), msg)
	}
	n := schema.Count(c.res.Changes)
	if bad := n[schema.Destructive] + n[schema.Breaking]; bad > 0 && !c.opts.AllowDestructive {
		var parts []string
		if d := n[schema.Destructive]; d > 0 {
			parts = append(parts, plural(d, "destructive change"))
		}
		if b := n[schema.Breaking]; b > 0 {
			parts = append(parts, plural(b, "breaking change"))
		}
		c.fail(strings.Join(parts, " and "))
	}
}

// locate finds the migration file and line that cause a change: the last
// file after the base whose own step made a change to the same object, else
// the file after the base whose SQL names it best; line 1 when the file is
// known but the statement is not. An unknown base (-1) searches every file.
func (c *checker) locate(ch schema.Change, v int) (string, int) {
	from := max(v, 0) + 1
	if from > len(c.migs) {
		from = 1 // nothing new: the cause is an edited old file
	}
	for k := len(c.delta) - 1; k >= from; k-- {
		for _, d := range c.delta[k] {
			if d.Object == ch.Object && strings.EqualFold(d.Name, ch.Name) {
				m := c.migs[k-1]
				return c.path(m.File), max(checkFindLine(m.SQL, ch), 1)
			}
		}
	}
	best, bestLine, bestScore := -1, 0, 0
	for k := len(c.migs); k >= from; k-- {
		if line, score := checkBestStatement(c.migs[k-1].SQL, ch); score > bestScore {
			best, bestLine, bestScore = k, line, score
		}
	}
	if best > 0 {
		return c.path(c.migs[best-1].File), bestLine
	}
	if v >= 0 && v < len(c.migs) {
		return c.path(c.migs[len(c.migs)-1].File), 1
	}
	return "", 0
}

// validated records a validation report as a step.
func (c *checker) validated(name string, rep *validate.Report, reason string) {
	s := checkStep{Name: name, Status: stepOK, Problems: rep.Problems, Notes: rep.Notes}
	switch {
	case !rep.OK():
		s.Status = stepFailed
		s.Detail = plural(len(rep.Problems), "problem")
		c.fail(reason)
		c.annotate("", 0, "error", "validation failed: "+name, fmt.Sprintf("%s, the first: %s", s.Detail, rep.Problems[0]))
	case len(rep.Notes) > 0:
		s.Detail = "valid, " + plural(len(rep.Notes), "note")
	default:
		s.Detail = "valid"
	}
	c.step(s)
}

func (c *checker) step(s checkStep) { c.res.Steps = append(c.res.Steps, s) }

func (c *checker) note(s string) { c.res.Notes = append(c.res.Notes, s) }

func (c *checker) fail(reason string) {
	c.res.Failed = true
	c.res.Reasons = append(c.res.Reasons, reason)
}

func (c *checker) annotate(file string, line int, level, title, msg string) {
	if file == "" {
		line = 0
	} else if line < 1 {
		line = 1
	}
	c.res.Annotations = append(c.res.Annotations, checkAnnotation{File: file, Line: line, Level: level, Title: title, Message: msg})
}

// path is the annotation path of a migration file: relative to the
// workspace, as GitHub matches annotations against the repository's files.
func (c *checker) path(file string) string {
	dir := c.opts.MigrationsDir
	if dir == "" {
		dir = "migrations"
	}
	if filepath.IsAbs(dir) && c.e != nil && c.e.getenv != nil {
		if ws := c.e.getenv("GITHUB_WORKSPACE"); ws != "" {
			if rel, err := filepath.Rel(ws, dir); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				dir = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Join(dir, file))
}

var checkFileRef = regexp.MustCompile(`([^\s:/\\]+\.sql)\b`)
var checkLineRef = regexp.MustCompile(`\.sql line (\d+):`)

// fileOf finds the migration file a runner or List error names first
// ("0006_x.sql line 3: ...", "0099-Bad.sql: name must be ..."): their errors
// lead with it. fallback is used when none is named.
func (c *checker) fileOf(msg, fallback string) string {
	if m := checkFileRef.FindStringSubmatch(msg); m != nil {
		return c.path(m[1])
	}
	if fallback != "" {
		return c.path(fallback)
	}
	return ""
}

func checkLineOf(msg string) int {
	if m := checkLineRef.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

// span names a range of the folder's migrations: "0001–0006", "0006".
func (c *checker) span(from, to int) string { return checkSpan(c.migs, from, to) }

func checkSpan(migs []migrations.Migration, from, to int) string {
	switch {
	case to < from || to < 1:
		return "no migrations"
	case from == to:
		return mdCode(migs[from-1].File)
	}
	return fmt.Sprintf("%04d–%04d", from, to)
}

// finish works out the verdict and renders the markdown.
func (c *checker) finish() {
	r := c.res
	if r.Changes == nil {
		r.Changes = []schema.Change{}
	}
	if r.NewFiles == nil {
		r.NewFiles = []string{}
	}
	if r.Files == nil {
		r.Files = []string{}
	}
	if r.Annotations == nil {
		r.Annotations = []checkAnnotation{}
	}
	r.Markdown = c.markdown()
}

// checkMaxMarkdown keeps the body under GitHub's 65536-character comment limit,
// with room for the marker the action adds.
const checkMaxMarkdown = 60000

func (c *checker) markdown() string {
	r := c.res
	var b strings.Builder
	b.WriteString("## tagdb schema check\n\n")
	n := schema.Count(r.Changes)
	bad := n[schema.Destructive] + n[schema.Breaking]
	switch {
	case r.Failed:
		fmt.Fprintf(&b, "❌ **Failed:** %s.", strings.Join(r.Reasons, "; "))
		if bad > 0 && !c.opts.AllowDestructive {
			b.WriteString(" If the destructive or breaking changes are intended, set `allow-destructive` and say so in the release notes.")
		}
		b.WriteString("\n\n")
	case bad > 0:
		fmt.Fprintf(&b, "✅ **Passed** with %d destructive and %d breaking change(s), allowed by `allow-destructive`: say so in the release notes.\n\n",
			n[schema.Destructive], n[schema.Breaking])
	case len(r.Changes) > 0:
		b.WriteString("✅ **Passed:** the migrations apply cleanly and every schema change is additive.\n\n")
	default:
		b.WriteString("✅ **Passed:** the migrations apply cleanly; the schema does not change.\n\n")
	}

	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| migrations | %s: %s |\n", mdCode(r.Migrations), mdCell(plural(len(r.Files), "file")))
	fmt.Fprintf(&b, "| base | %s |\n", mdCell(checkOrDash(r.Base)))
	newFiles := "none"
	switch {
	case r.BaseVersion < 0 && len(r.Files) > 0:
		newFiles = "unknown (the base version could not be told)"
	case len(r.NewFiles) > 0:
		var names []string
		for _, f := range r.NewFiles {
			names = append(names, mdCode(f))
		}
		newFiles = strings.Join(names, ", ")
	}
	fmt.Fprintf(&b, "| new migration files | %s |\n\n", mdCell(newFiles))

	if r.Compared {
		var d strings.Builder
		_ = schema.WriteMarkdown(&d, r.Changes, c.oldLabel, c.newLabel)
		b.WriteString(d.String())
		b.WriteString("\n")
	}

	b.WriteString("### Checks\n\n| | check | result |\n|---|---|---|\n")
	for _, s := range r.Steps {
		icon := map[string]string{stepOK: "✅", stepFailed: "❌", stepSkipped: "➖"}[s.Status]
		fmt.Fprintf(&b, "| %s | %s | %s |\n", icon, mdCell(s.Name), mdCell(checkOrDash(s.Detail)))
	}
	b.WriteString("\n")
	for _, s := range r.Steps {
		if len(s.Problems) == 0 || (len(s.Problems) == 1 && s.Problems[0] == s.Detail) {
			continue
		}
		fmt.Fprintf(&b, "**%s: problems**\n\n", s.Name)
		for _, p := range s.Problems {
			fmt.Fprintf(&b, "- %s\n", p)
		}
		b.WriteString("\n")
	}
	notes := append([]string(nil), r.Notes...)
	for _, s := range r.Steps {
		for _, n := range s.Notes {
			notes = append(notes, s.Name+": "+n)
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n", plural(len(notes), "note"))
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
		b.WriteString("\n</details>\n")
	}
	out := b.String()
	if len(out) > checkMaxMarkdown {
		cut := strings.LastIndex(out[:checkMaxMarkdown], "\n")
		out = out[:cut+1] + fmt.Sprintf("\n… truncated (%d more characters): run `tagdb check` for the full report.\n", len(out)-cut-1)
	}
	return out
}

// writeText prints the result for a terminal: the verdict, the changes, the
// checks and the annotations as file:line: lines an editor can follow.
func (r *checkResult) writeText(w io.Writer) error {
	var b strings.Builder
	verdict := "passed"
	if r.Failed {
		verdict = "FAILED: " + strings.Join(r.Reasons, "; ")
	}
	fmt.Fprintf(&b, "schema check %s\n", verdict)
	fmt.Fprintf(&b, "migrations: %s (%s)\n", r.Migrations, plural(len(r.Files), "file"))
	fmt.Fprintf(&b, "base: %s\n", checkOrDash(strings.ReplaceAll(r.Base, "`", "")))
	if len(r.NewFiles) > 0 {
		fmt.Fprintf(&b, "new files: %s\n", strings.Join(r.NewFiles, ", "))
	}
	b.WriteString("\n")
	if r.Compared {
		if err := schema.WriteText(&b, r.Changes); err != nil {
			return err
		}
	} else {
		b.WriteString("schema not compared: the migrations could not be applied\n")
	}
	b.WriteString("\n")
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "%-7s %s: %s\n", s.Status, s.Name, strings.ReplaceAll(s.Detail, "`", ""))
		for _, p := range s.Problems {
			if p != s.Detail {
				fmt.Fprintf(&b, "        %s\n", p)
			}
		}
		for _, n := range s.Notes {
			fmt.Fprintf(&b, "        note: %s\n", n)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	if len(r.Annotations) > 0 {
		b.WriteString("\n")
	}
	for _, a := range r.Annotations {
		where := "-"
		if a.File != "" {
			where = fmt.Sprintf("%s:%d", a.File, a.Line)
		}
		fmt.Fprintf(&b, "%s: %s: %s: %s\n", where, a.Level, a.Title, a.Message)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func checkEpoch() time.Time { return time.Unix(0, 0).UTC() }

func checkShort(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

func checkOrDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// code renders s as Markdown inline code.
func mdCode(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + s + fence
}

// cellText keeps a Markdown table row intact.
func mdCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}

func checkEmptyFile(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(string(data)) == "", nil
}

// Finding the statement behind a change. The SQL is tokenised just enough to
// skip comments and string literals and to split statements on semicolons;
// identifiers are compared case-insensitively, quoted or not, as SQLite does.

type checkToken struct {
	text string
	line int
}

type checkStatement []checkToken

func (s checkStatement) find(name string) int {
	if name == "" {
		return 0
	}
	for _, t := range s {
		if strings.EqualFold(t.text, name) {
			return t.line
		}
	}
	return 0
}

func checkSplitSQL(src string) []checkStatement {
	var out []checkStatement
	var cur checkStatement
	line := 1
	for i := 0; i < len(src); {
		ch := src[i]
		switch {
		case ch == '\n':
			line++
			i++
		case ch == '-' && strings.HasPrefix(src[i:], "--"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case ch == '/' && strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			j := len(src)
			if end >= 0 {
				j = i + 2 + end + 2
			}
			line += strings.Count(src[i:j], "\n")
			i = j
		case ch == '\'' || ch == '"' || ch == '`' || ch == '[':
			closer := ch
			if ch == '[' {
				closer = ']'
			}
			j := i + 1
			var text strings.Builder
			for j < len(src) {
				if src[j] == closer {
					if closer != ']' && j+1 < len(src) && src[j+1] == closer {
						text.WriteByte(closer)
						j += 2
						continue
					}
					break
				}
				text.WriteByte(src[j])
				j++
			}
			if ch != '\'' { // a quoted identifier; '...' is a string literal
				cur = append(cur, checkToken{text: text.String(), line: line})
			}
			line += strings.Count(src[i:min(j+1, len(src))], "\n")
			i = j + 1
		case ch == ';':
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = nil
			i++
		case checkIdentByte(ch):
			j := i
			for j < len(src) && checkIdentByte(src[j]) {
				j++
			}
			cur = append(cur, checkToken{text: src[i:j], line: line})
			i = j
		default:
			i++
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func checkIdentByte(b byte) bool {
	return b == '_' || b == '$' || b >= 0x80 || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

// checkChangeNames returns the table and the specific object (column, index or
// named check) a change is about, as they would be written in SQL.
func checkChangeNames(ch schema.Change) (table, specific string) {
	table = ch.Table
	switch ch.Object {
	case "column":
		if i := strings.Index(ch.Name, "."); i >= 0 {
			specific = ch.Name[i+1:]
		}
	case "index":
		if i := strings.LastIndex(ch.Name, " index "); i >= 0 {
			specific = ch.Name[i+len(" index "):]
		}
	case "check":
		if i := strings.LastIndex(ch.Name, " CHECK "); i >= 0 {
			specific = ch.Name[i+len(" CHECK "):]
		}
	}
	return table, specific
}

// checkBestStatement scores the statements of src by how surely they cause ch and
// returns the line of the best one's most specific mention and its score (0:
// none mentions it). Statements that alter or drop win ties over those that
// only read the table.
func checkBestStatement(src string, ch schema.Change) (int, int) {
	table, specific := checkChangeNames(ch)
	bestLine, bestScore := 0, 0
	for _, st := range checkSplitSQL(src) {
		tl, sl := st.find(table), st.find(specific)
		score, line := 0, 0
		switch {
		case sl > 0 && tl > 0:
			score, line = 6, sl
		case sl > 0:
			score, line = 4, sl
		case tl > 0:
			score, line = 2, tl
		}
		if score > 0 && (strings.EqualFold(st[0].text, "ALTER") || strings.EqualFold(st[0].text, "DROP")) {
			score++
		}
		if score > bestScore {
			bestLine, bestScore = line, score
		}
	}
	return bestLine, bestScore
}

// checkFindLine is the line of the statement in src that best matches ch, 0 if none.
func checkFindLine(src string, ch schema.Change) int {
	line, _ := checkBestStatement(src, ch)
	return line
}
