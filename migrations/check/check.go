package check

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/internal/textfmt"
	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/migrations/sandbox"
	"github.com/tagdb/tagdb-action/migrations/schema"
	"github.com/tagdb/tagdb-action/migrations/validate"
)

// Options say what to check and against what.
type Options struct {
	Migrations       string // the PR's migrations folder; "" = the migrations embedded in this binary
	BaseDB           string // optional: a base database (the latest release's DB, already downloaded) to migrate a copy of and validate
	BaseSchema       string // optional: a schema dump JSON (or DB) to diff against when there is no BaseDB, e.g. the base branch's golden
	AllowDestructive bool   // report destructive and breaking changes as warnings instead of failing

	// Workspace is the checkout the annotations' paths are made relative to
	// (GitHub matches them against the repository's files); "" keeps them as
	// given.
	Workspace string
	// Version is this tagdb's version, naming the migrations built into it.
	Version string

	// TimeLimit bounds each migration on each database (0:
	// DefaultTimeLimit): one still running then is interrupted and fails
	// the check, naming its file and statement.
	TimeLimit time.Duration
	// MaxGrowth bounds how many bytes one migration may add to a database
	// (0: sandbox.DefaultMaxGrowth).
	MaxGrowth int64
}

// DefaultTimeLimit is the time one migration may take on one database:
// generous for an index on a full-size published file, short enough that an
// endless query fails the check instead of the job's timeout.
const DefaultTimeLimit = 5 * time.Minute

// checker carries one run's inputs and what it has learnt so far.
type checker struct {
	ctx  context.Context
	opts Options
	res  *Result

	fsys  fs.FS  // the migrations (nil: embedded)
	dir   string // the run's scratch folder: every file the check writes is in it
	migs  []migrations.Migration
	steps []*schema.Snapshot // steps[k]: the schema after the first k migrations
	delta [][]schema.Change  // delta[k]: what migration k changed (k >= 1)
	// master is the fresh database's master data: what the published file
	// must hold after the migrations.
	master *migrations.MasterData

	// The work done, counted for the test that keeps a run linear in the
	// number of migrations: migrations applied and schema inspections, over
	// all databases.
	applied, inspections int
	tables               int // tables inspected in full by the empty database's Inspector
}

// Run does the whole check and returns what to report; it does not print.
// An error means the check could not run (a base that cannot be read, a
// cancelled context); what is wrong with the migrations themselves is in the
// result.
func Run(ctx context.Context, o Options) (*Result, error) {
	c, err := runChecker(ctx, o)
	if err != nil {
		return nil, err
	}
	return c.res, nil
}

// runChecker is Run, returning the checker with its counts of the work done.
func runChecker(ctx context.Context, o Options) (*checker, error) {
	c := &checker{ctx: ctx, opts: o, res: &Result{Migrations: o.Migrations, BaseVersion: -1, allowDestructive: o.AllowDestructive}}
	if o.Migrations == "" {
		c.res.Migrations = "(embedded)"
	}
	c.res.newLabel = c.res.Migrations
	dir, err := os.MkdirTemp("", "tagdb-check-*")
	if err != nil {
		return nil, fmt.Errorf("scratch folder: %w", err)
	}
	defer os.RemoveAll(dir)
	c.dir = dir
	if err := c.run(); err != nil {
		return nil, err
	}
	c.finish()
	return c, nil
}

func (c *checker) run() error {
	var fsys fs.FS // nil = embedded
	if dir := c.opts.Migrations; dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("migrations folder: %w", err)
		}
		if !st.IsDir() {
			return fmt.Errorf("migrations folder %s is not a directory", dir)
		}
		fsys = os.DirFS(dir)
	}
	c.fsys = fsys
	// The files only: the databases get sandboxed providers (openSandboxed).
	prov, err := migrations.NewProvider(fsys)
	if err != nil {
		// A malformed name, a gap or a duplicate version: the PR's own fault.
		msg := strings.TrimPrefix(err.Error(), "migrations: ")
		file, line := c.where(err, "")
		c.step(Step{Name: "migration files are well-formed", Status: StepFailed, Detail: msg, Problems: []string{msg}})
		c.annotate(file, line, "error", "invalid migration files", msg)
		c.fail("the migration files are invalid")
		return nil
	}
	c.migs = prov.Migrations()
	if len(c.migs) == 0 {
		msg := fmt.Sprintf("no migration files (NNNN_snake_name.sql) in %s", c.res.Migrations)
		c.step(Step{Name: "migration files are well-formed", Status: StepFailed, Detail: msg, Problems: []string{msg}})
		c.annotate("", 0, "error", "invalid migration files", msg)
		c.fail("the migration files are invalid")
		return nil
	}
	for _, m := range c.migs {
		c.res.Files = append(c.res.Files, m.File)
	}
	if err := c.applyFresh(); err != nil {
		return err
	}
	switch {
	case c.opts.BaseDB != "":
		return c.againstDB()
	case c.opts.BaseSchema != "":
		empty, err := emptyFile(c.opts.BaseSchema)
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

// applyFresh applies the migrations one by one to an empty scratch
// database, in the sandbox, keeping the schema after each: the last is the
// new schema, and the steps tell which file caused which change. Each
// migration is applied once and only the tables it changed are inspected
// again, so the work grows linearly with the number of migrations.
func (c *checker) applyFresh() error {
	path := filepath.Join(c.dir, "empty.sqlite")
	name := "migrations apply to an empty database"
	sb := c.sandbox()
	prov, db, err := c.openSandboxed(path, sb)
	if err != nil {
		return fmt.Errorf("empty database: %w", err)
	}
	defer db.Close()
	var insp schema.Inspector
	conn, err := db.Conn(c.ctx)
	if err != nil {
		return fmt.Errorf("empty database: %w", err)
	}
	empty, _, err := insp.Inspect(c.ctx, conn)
	conn.Close()
	if err != nil {
		return fmt.Errorf("empty database: %w", err)
	}
	c.inspections++
	c.steps = []*schema.Snapshot{empty}
	c.delta = [][]schema.Change{nil}
	_, err = prov.UpEach(c.ctx, db, func(ctx context.Context, conn *sql.Conn, step migrations.Step) error {
		c.applied++
		snap, changed, err := insp.Inspect(ctx, conn)
		if err != nil {
			return &migrations.Error{File: step.File, Err: fmt.Errorf("the schema it leaves cannot be read: %w", err)}
		}
		c.inspections++
		prev := c.steps[len(c.steps)-1]
		c.delta = append(c.delta, schema.Diff(prev.Subset(changed), snap.Subset(changed)))
		c.steps = append(c.steps, snap)
		return nil
	})
	c.tables = insp.Tables
	if err != nil {
		if c.ctx.Err() != nil {
			return c.ctx.Err()
		}
		msg := c.failure(err, sb)
		file, line := c.where(err, c.migs[len(c.steps)-1].File)
		c.step(Step{Name: name, Status: StepFailed, Detail: msg, Problems: []string{msg}})
		c.annotate(file, line, "error", "migration fails on an empty database", msg)
		c.fail("the migrations do not apply to an empty database")
		c.steps, c.delta = nil, nil
		return nil
	}
	c.step(Step{Name: name, Status: StepOK, Detail: fmt.Sprintf("%s applied", c.span(1, len(c.migs)))})

	vname := "the migrated empty database validates"
	db.Close()
	fresh, snap, err := c.reopen(path, c.newSchema())
	if err != nil {
		c.unreadable(vname, "the empty database does not validate", err)
		return nil
	}
	defer fresh.Close()
	c.steps[len(c.steps)-1] = snap
	c.master, err = migrations.ReadMaster(c.ctx, fresh)
	if err != nil {
		return fmt.Errorf("empty database after the migrations: %w", err)
	}
	rep, err := validate.Run(c.ctx, fresh, validate.Options{Expected: c.newSchema(), Master: c.master})
	if err != nil {
		return fmt.Errorf("validate the empty database: %w", err)
	}
	c.validated(vname, rep, "the empty database does not validate")
	return nil
}

// sandbox confines one database's migrations with the run's limits.
func (c *checker) sandbox() *sandbox.Sandbox {
	return sandbox.New(sandbox.Limits{MaxGrowth: c.opts.MaxGrowth})
}

// openSandboxed opens the scratch database at path in sb, with a provider
// that confines every connection it takes and bounds every migration.
func (c *checker) openSandboxed(path string, sb *sandbox.Sandbox) (*migrations.Provider, *sql.DB, error) {
	limit := c.opts.TimeLimit
	if limit <= 0 {
		limit = DefaultTimeLimit
	}
	// Scratch databases are thrown away: a fixed applied_at.
	prov, err := migrations.NewProvider(c.fsys, migrations.WithNow(migrations.FixedTime),
		migrations.WithConnSetup(sb.Setup), migrations.WithTimeout(limit))
	if err != nil {
		return nil, nil, err
	}
	db, err := sandbox.Open(c.ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return prov, db, nil
}

// reopen opens a migrated scratch database read-only on a fresh connection
// and reads its schema there: what a reader of the file will see, whatever
// the migrating connection had cached. want is the schema the migrating
// connection saw; a difference is an error, as is a file that no longer
// opens.
func (c *checker) reopen(path string, want *schema.Snapshot) (*sql.DB, *schema.Snapshot, error) {
	db, err := sqlitedb.Open(c.ctx, path, sqlitedb.ReadOnly)
	if err != nil {
		return nil, nil, err
	}
	snap, err := schema.Inspect(c.ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	c.inspections++
	if d := schema.Diff(want, snap); len(d) > 0 {
		db.Close()
		return nil, nil, fmt.Errorf("a fresh connection reads another schema than the migrations left (%s, ...): the file was edited behind SQLite's back", d[0])
	}
	return db, snap, nil
}

// unreadable records a migrated scratch file that a fresh connection cannot
// read as a failed validation.
func (c *checker) unreadable(name, reason string, err error) {
	msg := "the migrated file does not open cleanly: " + err.Error()
	c.step(Step{Name: name, Status: StepFailed, Detail: "1 problem", Problems: []string{msg}})
	c.annotate("", 0, "error", "validation failed: "+name, msg)
	c.fail(reason)
}

// failure is the message for a migration that failed in a sandbox: the
// runner's, and for what the sandbox or the time limit refused, which rule
// and the statement (ordinary SQL errors already name their line).
func (c *checker) failure(err error, sb *sandbox.Sandbox) string {
	msg := strings.TrimPrefix(err.Error(), "migrate: ")
	why := sb.Explain(err)
	if why != "" {
		msg += " (" + why + ")"
	}
	if me := (*migrations.Error)(nil); (why != "" || errors.Is(err, migrations.ErrTimeLimit)) && errors.As(err, &me) && me.Statement != "" {
		msg += "; the statement: " + oneLine(me.Statement, 200)
	}
	return msg
}

// oneLine shortens a statement for a message: one line, at most n bytes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// newSchema is the schema the migrations produce, nil when they do not apply.
func (c *checker) newSchema() *schema.Snapshot {
	if len(c.steps) == 0 {
		return nil
	}
	return c.steps[len(c.steps)-1]
}

// againstDB migrates a copy of the published database in the sandbox,
// validates it from a fresh connection and compares its rows with the
// published ones.
func (c *checker) againstDB() error {
	path := c.opts.BaseDB
	c.res.oldLabel = filepath.Base(path)
	cp := filepath.Join(c.dir, "base.sqlite")
	// The copy is what gets migrated: the caller's file is never opened for
	// writing, and a WAL-mode original gets no -shm file from us.
	if err := files.Copy(path, cp); err != nil {
		return fmt.Errorf("base database: copy %s: %w", path, err)
	}
	sb := c.sandbox()
	prov, db, err := c.openSandboxed(cp, sb)
	if err != nil {
		return fmt.Errorf("base database %s: %w", path, err)
	}
	defer db.Close()
	old, err := schema.Inspect(c.ctx, db)
	if err != nil {
		return fmt.Errorf("base database %s: %w", path, err)
	}
	c.inspections++
	state, err := prov.Status(c.ctx, db)
	if err != nil {
		return fmt.Errorf("base database %s: %w", path, err)
	}
	v := state.Version
	c.res.BaseVersion = v
	c.res.Base = fmt.Sprintf("published database %s at schema version %d", mdCode(filepath.Base(path)), v)
	if !state.Tracked {
		c.res.Base = fmt.Sprintf("published database %s (made without tagdb migrations: adopted)", mdCode(filepath.Base(path)))
	}
	c.setNew(v)

	// Edited applied migrations: never fixable by the next run, so they are
	// reported whatever else happens.
	edited := c.editedAgainst(state)
	if len(c.steps) == 0 {
		c.step(Step{Name: "migrations apply to the published database", Status: StepSkipped, Detail: "not run: the migrations do not apply to an empty database"})
		return nil
	}
	if len(edited) > 0 {
		c.step(Step{Name: "migrations apply to the published database", Status: StepSkipped, Detail: "not run: applied migrations were edited (above)"})
		c.diff(old, c.newSchema(), v, "the published database compared with a new one, as the migrations do not apply to it")
		return nil
	}

	// One pass over the pending migrations; the plan checks versions and
	// checksums against every file even when nothing is pending.
	name := "migrations apply to the published database"
	done := v
	_, err = prov.UpEach(c.ctx, db, func(_ context.Context, _ *sql.Conn, step migrations.Step) error {
		c.applied++
		done = step.Version
		return nil
	})
	if err != nil {
		if c.ctx.Err() != nil {
			return c.ctx.Err()
		}
		msg := c.failure(err, sb)
		if errors.Is(err, migrations.ErrNewer) {
			msg += " (is this branch behind its base? merge or rebase it)"
		}
		c.step(Step{Name: name, Status: StepFailed, Detail: msg, Problems: []string{msg}})
		if !errors.Is(err, migrations.ErrNewer) {
			file, line := c.where(err, c.after(done))
			c.annotate(file, line, "error", "migration fails on the published database", msg)
		}
		c.fail("the migrations do not apply to the published database")
		c.step(Step{Name: "the migrated published database validates", Status: StepSkipped, Detail: "not run: the migrations did not apply"})
		c.diff(old, c.newSchema(), v, "the published database compared with a new one, as the migrations do not apply to it")
		return nil
	}
	detail := "nothing to apply: it is up to date"
	if v < len(c.migs) {
		detail = fmt.Sprintf("%s applied to a copy", c.span(v+1, len(c.migs)))
	}
	c.step(Step{Name: name, Status: StepOK, Detail: detail})

	// What readers will see: the file on a fresh, read-only connection.
	vname := "the migrated published database validates"
	cached, err := schema.Inspect(c.ctx, db)
	c.inspections++
	db.Close()
	var migratedDB *sql.DB
	var migrated *schema.Snapshot
	if err == nil {
		migratedDB, migrated, err = c.reopen(cp, cached)
	}
	if err != nil {
		c.unreadable(vname, "the migrated published database does not validate", err)
		return nil
	}
	defer migratedDB.Close()
	// The full integrity_check: the file must be intact as a new connection
	// reads it, not only as the migrating connection cached it.
	rep, err := validate.Run(c.ctx, migratedDB, validate.Options{Expected: c.newSchema(), Master: c.master})
	if err != nil {
		return fmt.Errorf("validate the migrated copy of %s: %w", path, err)
	}
	c.validated(vname, rep, "the migrated published database does not validate")
	c.diff(old, migrated, v, "")
	return c.compareData(path, migratedDB, old, migrated, v)
}

// after is the first migration file after version v: the one that was
// running when a run that had reached v failed.
func (c *checker) after(v int) string {
	for _, m := range c.migs {
		if m.Version > v {
			return m.File
		}
	}
	return ""
}

// editedAgainst reports the applied migrations whose file is no longer what
// the published database recorded when it applied them.
func (c *checker) editedAgainst(s *migrations.Status) []string {
	var problems []string
	for _, mm := range s.Mismatches {
		m, rec := mm.Migration, mm.Applied
		var msg string
		if rec.Name != m.Name {
			msg = fmt.Sprintf("%s: version %04d was applied to the published database as %q; "+
				"never rename or replace an applied migration, add a new one", m.File, m.Version, rec.Name)
		} else {
			msg = fmt.Sprintf("%s was edited after it was applied to the published database "+
				"(applied with sha256 %s, the file now has sha256 %s): published files will never run the edit "+
				"and `tagdb migrate` refuses them; revert it and add a new migration", m.File, textfmt.ShortHash(rec.SHA256), textfmt.ShortHash(m.SHA256))
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
		c.step(Step{Name: name, Status: StepOK, Detail: okDetail})
		return
	}
	c.step(Step{Name: name, Status: StepFailed, Detail: textfmt.Plural(len(problems), "edited migration"), Problems: problems})
	c.fail("applied migrations were edited")
}

// againstSchema diffs against a schema dump (the base branch's golden).
func (c *checker) againstSchema() error {
	path := c.opts.BaseSchema
	old, err := schema.LoadContext(c.ctx, path)
	if err != nil {
		return fmt.Errorf("base schema: %w", err)
	}
	c.res.oldLabel = filepath.Base(path)
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
		c.step(Step{Name: "applied migrations are unchanged", Status: StepFailed, Detail: "the base schema is not reproduced", Problems: []string{msg}})
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
	version := c.opts.Version
	c.res.oldLabel = "tagdb " + version
	prov, err := migrations.NewProvider(nil)
	if err != nil {
		return fmt.Errorf("embedded migrations: %w", err)
	}
	embedded := prov.Migrations()
	old, err := migrations.Expected(c.ctx)
	if err != nil {
		return fmt.Errorf("embedded migrations: %w", err)
	}
	v := prov.Latest()
	c.res.BaseVersion = v
	c.res.Base = fmt.Sprintf("the migrations built into tagdb %s (%s)", version, span(embedded, 1, v))
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
				"never edit, rename or replace a released migration, add a new one", f.File, m.File, version, textfmt.ShortHash(f.SHA256), textfmt.ShortHash(m.SHA256))
			problems = append(problems, msg)
			c.annotate(c.path(f.File), 1, "error", "released migration changed", msg)
		}
	}
	if c.opts.Migrations == "" || same {
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
			parts = append(parts, textfmt.Plural(d, "destructive change"))
		}
		if b := n[schema.Breaking]; b > 0 {
			parts = append(parts, textfmt.Plural(b, "breaking change"))
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
				return c.path(m.File), max(findLine(m.SQL, ch), 1)
			}
		}
	}
	best, bestLine, bestScore := -1, 0, 0
	for k := len(c.migs); k >= from; k-- {
		if line, score := bestStatement(c.migs[k-1].SQL, ch); score > bestScore {
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
	s := Step{Name: name, Status: StepOK, Problems: rep.Problems, Notes: rep.Notes}
	switch {
	case !rep.OK():
		s.Status = StepFailed
		s.Detail = textfmt.Plural(len(rep.Problems), "problem")
		c.fail(reason)
		c.annotate("", 0, "error", "validation failed: "+name, fmt.Sprintf("%s, the first: %s", s.Detail, rep.Problems[0]))
	case len(rep.Notes) > 0:
		s.Detail = "valid, " + textfmt.Plural(len(rep.Notes), "note")
	default:
		s.Detail = "valid"
	}
	c.step(s)
}

func (c *checker) step(s Step) { c.res.Steps = append(c.res.Steps, s) }

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
	c.res.Annotations = append(c.res.Annotations, Annotation{File: file, Line: line, Level: level, Title: title, Message: msg})
}

// where is the annotation path and line of a failure: the file and line a
// *migrations.Error names, else the fallback file (line 1), else nothing.
func (c *checker) where(err error, fallback string) (string, int) {
	if me := (*migrations.Error)(nil); errors.As(err, &me) && me.File != "" {
		return c.path(me.File), me.Line
	}
	if fallback != "" {
		return c.path(fallback), 1
	}
	return "", 0
}

// path is the annotation path of a migration file: relative to the
// workspace, as GitHub matches annotations against the repository's files.
func (c *checker) path(file string) string {
	dir := c.opts.Migrations
	if dir == "" {
		dir = "migrations"
	}
	if ws := c.opts.Workspace; filepath.IsAbs(dir) && ws != "" {
		if rel, err := filepath.Rel(ws, dir); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			dir = rel
		}
	}
	return filepath.ToSlash(filepath.Join(dir, file))
}

// span names a range of the folder's migrations: "0001–0006", "0006".
func (c *checker) span(from, to int) string { return span(c.migs, from, to) }

func span(migs []migrations.Migration, from, to int) string {
	switch {
	case to < from || to < 1:
		return "no migrations"
	case from == to:
		return mdCode(migs[from-1].File)
	}
	return fmt.Sprintf("%04d–%04d", from, to)
}

// finish gives the result's lists their empty (not null) JSON form.
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
		r.Annotations = []Annotation{}
	}
}

func emptyFile(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(string(data)) == "", nil
}
