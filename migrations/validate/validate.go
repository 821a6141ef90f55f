package validate

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

// Options configure Run.
type Options struct {
	// Expected is the schema to compare with; nil = the embedded migrations'.
	Expected *schema.Snapshot
	// Master is the master data to require; nil = the embedded migrations'.
	Master *migrations.MasterData
	// Examples is how many offenders a problem names; 0 = 3.
	Examples int
	// RequireDeleteJournal makes a WAL-mode file a problem instead of a note.
	// A published file should be journal_mode=DELETE: a reader that opens a
	// WAL file from a read-only location cannot create its -shm file. The
	// release pipeline sets it; a local check of a working file does not.
	RequireDeleteJournal bool
	// Quick checks the b-trees with PRAGMA quick_check instead of
	// integrity_check, table by table: every page, the entry count of every
	// index and every row's format and NOT NULL constraints, but not that
	// each row's index entries exist and hold its values, nor UNIQUE (the
	// cross-check that dominates the time on big files). Without Quick the
	// full check runs, plus a page accounting over the whole file (no page
	// lost or used by two tables), which the per-table checks cannot see.
	// Neither evaluates CHECK constraints on a read-only connection (SQLite
	// does not load them there); the row rules cover the schema's one.
	Quick bool
	// SchemaOnly skips every data check.
	SchemaOnly bool
	// Workers is how many connections of db the data checks use at once;
	// 0 = one per core (GOMAXPROCS). It is capped by the pool's
	// MaxOpenConns, so a one-connection pool runs them one after another.
	// Every connection of db must see the same database (not ":memory:").
	Workers int
}

// Report is the outcome: problems fail validation, notes do not.
type Report struct {
	Problems []string `json:"problems"`
	Notes    []string `json:"notes"`
}

// OK reports whether there are no problems.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

func (r *Report) problem(format string, a ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, a...))
}

func (r *Report) note(format string, a ...any) { r.Notes = append(r.Notes, fmt.Sprintf(format, a...)) }

// WriteText writes one line per problem, then one per note prefixed "note: ".
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, p := range r.Problems {
		b.WriteString(p + "\n")
	}
	for _, n := range r.Notes {
		b.WriteString("note: " + n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes {"ok": ..., "problems": [...], "notes": [...]}.
func (r *Report) WriteJSON(w io.Writer) error {
	out := struct {
		OK       bool     `json:"ok"`
		Problems []string `json:"problems"`
		Notes    []string `json:"notes"`
	}{r.OK(), r.Problems, r.Notes}
	if out.Problems == nil {
		out.Problems = []string{}
	}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// Run validates db. The error is for failing to validate at all (not a
// database, I/O, cancelled); what is wrong with the file is in the Report.
//
// The data checks (the b-tree check of each table, each foreign key, the
// row rules of each table, the type mappings) are independent queries, each
// reading one table: they run in parallel on Options.Workers connections,
// the biggest first, and the report lists their findings in a fixed order.
func Run(ctx context.Context, db *sql.DB, opts Options) (*Report, error) {
	if opts.Expected == nil || opts.Master == nil {
		exp, master, err := migrations.Reference(ctx, nil)
		if err != nil {
			return nil, err
		}
		if opts.Expected == nil {
			opts.Expected = exp
		}
		if opts.Master == nil {
			opts.Master = master
		}
	}
	if opts.Examples <= 0 {
		opts.Examples = 3
	}
	got, err := schema.Inspect(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	v := &validator{ctx: ctx, conn: db, opts: opts, exp: opts.Expected, got: got, rep: &Report{}}
	v.compareSchema()
	if err := v.fileState(); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	if !opts.SchemaOnly {
		if err := v.dataChecks(); err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("validate: %w", ctx.Err())
			}
			return nil, fmt.Errorf("validate: %w", err)
		}
	}
	return v.rep, nil
}

type validator struct {
	ctx  context.Context
	conn *sql.DB
	opts Options
	exp  *schema.Snapshot
	got  *schema.Snapshot
	rep  *Report
	// trace, when set (by tests and measurements), is told how long each
	// parallel task took. It is called from several goroutines.
	trace func(task string, d time.Duration)
}

// dataChecks runs the checks that read the data: the parallel tasks first,
// then the small sequential ones, and reports in a fixed order: b-trees,
// foreign keys, row rules, type mappings, master data, version.
func (v *validator) dataChecks() error {
	structTasks, structs, err := v.structureTasks()
	if err != nil {
		return err
	}
	tasks := structTasks
	var pages *pageAccounting
	if !v.opts.Quick {
		pages = &pageAccounting{}
		// It reads every page once; a page holds tens of rows.
		var n int64
		v.conn.QueryRowContext(v.ctx, `PRAGMA page_count`).Scan(&n)
		tasks = append(tasks, task{name: "page accounting", cost: float64(n) * 10, run: pages.run})
	}
	fks := v.fkChecks()
	for _, f := range fks {
		tasks = append(tasks, task{name: "foreign key " + f.table + " " + f.fk.Key(), cost: v.rowEstimate(f.table), run: f.run})
	}
	scans := v.ruleScans()
	for _, sc := range scans {
		tasks = append(tasks, task{name: "rules " + sc.table, cost: sc.cost(), run: sc.run})
	}
	pt, ptTask := v.prefixTopTask()
	if ptTask != nil {
		tasks = append(tasks, *ptTask)
	}
	var tm *typeMappingCheck
	if v.hasTypeMappings() {
		tm = &typeMappingCheck{v: v}
		tasks = append(tasks, task{name: "type mappings", cost: v.rowEstimate("TAG_STATUS") / 2, run: tm.run})
	}
	if err := runTasks(v.ctx, v.conn, workers(v.conn, v.opts.Workers, len(tasks)), tasks, v.trace); err != nil {
		return err
	}

	for _, s := range structs {
		s.report(v.rep)
	}
	if pages != nil {
		pages.report(v.rep)
	}
	for _, f := range fks {
		f.report(v.rep)
	}
	for _, sc := range scans {
		for _, p := range sc.problems {
			v.rep.problem("%s", p)
		}
	}
	if pt != nil {
		pt.report(v.rep)
	}
	if tm != nil && tm.problem != "" {
		v.rep.problem("%s", tm.problem)
	}
	if err := v.masterData(); err != nil {
		return err
	}
	return v.version()
}

// trackingTable is created by the runner, not by a migration: a file made by
// the Python builder lacks it and is still fine for readers.
const trackingTable = "schema_migrations"

func (v *validator) compareSchema() {
	r := v.rep
	for _, et := range v.exp.Tables {
		gt := v.got.Table(et.Name)
		if gt == nil {
			if strings.EqualFold(et.Name, trackingTable) {
				r.note("no %s table: the file was not made by tagdb migrations (tagdb migrate adopts it)", trackingTable)
			} else {
				r.problem("%s: table missing", et.Name)
			}
			continue
		}
		compareTable(r, &et, gt)
	}
	for _, gt := range v.got.Tables {
		if v.exp.Table(gt.Name) == nil {
			r.note("%s: extra table (readers ignore it)", gt.Name)
		}
	}
}

func compareTable(r *Report, et, gt *schema.Table) {
	t := et.Name
	for _, ec := range et.Columns {
		gc := gt.Column(ec.Name)
		if gc == nil {
			r.problem("%s.%s: column missing (expected %s)", t, ec.Name, ec)
			continue
		}
		if ec.Affinity != gc.Affinity {
			r.problem("%s.%s: expected type affinity %s (declared %s), got %s (declared %s)",
				t, ec.Name, ec.Affinity, ec.Type, gc.Affinity, orNone(gc.Type))
		} else if !strings.EqualFold(ec.Type, gc.Type) {
			r.note("%s.%s: declared %s, the migrations declare %s (same %s affinity)", t, ec.Name, orNone(gc.Type), ec.Type, ec.Affinity)
		}
		switch {
		case ec.NotNull && !gc.NotNull:
			r.problem("%s.%s: expected NOT NULL, got nullable", t, ec.Name)
		case !ec.NotNull && gc.NotNull:
			r.note("%s.%s: NOT NULL here, nullable in the migrations (stricter; readers are unaffected)", t, ec.Name)
		}
		ed, gd := schema.NormalizeDefault(ec.Affinity, ec.Default), schema.NormalizeDefault(gc.Affinity, gc.Default)
		if ed != gd {
			r.problem("%s.%s: expected default %s, got %s", t, ec.Name, orNone(ed), orNone(gd))
		}
	}
	for _, gc := range gt.Columns {
		if et.Column(gc.Name) == nil {
			r.note("%s.%s: extra column (readers ignore it)", t, gc.Name)
		}
	}
	if !slices.EqualFunc(et.PrimaryKey, gt.PrimaryKey, strings.EqualFold) {
		r.problem("%s: expected PRIMARY KEY (%s), got %s", t, strings.Join(et.PrimaryKey, ", "), keyOrNone(gt.PrimaryKey))
	}

	gotUnique := map[string]bool{}
	if len(gt.PrimaryKey) > 0 {
		gotUnique[schema.UniqueKey(gt.PrimaryKey)] = true
	}
	for _, u := range gt.Unique {
		gotUnique[schema.UniqueKey(u)] = true
	}
	for _, x := range gt.Indexes {
		if x.Unique && !x.Partial {
			gotUnique[schema.UniqueKey(x.Columns)] = true
		}
	}
	expUnique := map[string]bool{}
	for _, u := range et.Unique {
		expUnique[schema.UniqueKey(u)] = true
		if !gotUnique[schema.UniqueKey(u)] {
			r.problem("%s: missing UNIQUE (%s)", t, strings.Join(u, ", "))
		}
	}
	for _, u := range gt.Unique {
		if !expUnique[schema.UniqueKey(u)] {
			r.note("%s: extra UNIQUE (%s): inserts the builder expects to succeed may be rejected", t, strings.Join(u, ", "))
		}
	}

	for _, efk := range et.ForeignKeys {
		if !hasFK(gt.ForeignKeys, efk) {
			r.problem("%s: missing %s", t, efk)
		}
	}
	for _, gfk := range gt.ForeignKeys {
		if !hasFK(et.ForeignKeys, gfk) {
			r.note("%s: extra %s", t, gfk)
		}
	}

	for _, ec := range et.Checks {
		gc := findCheck(gt.Checks, ec)
		switch {
		case gc == nil:
			r.problem("%s: missing %s", t, ec)
		case gc.Expr != ec.Expr:
			r.problem("%s: %s differs: expected (%s), got (%s)", t, checkName(ec), ec.Expr, gc.Expr)
		}
	}
	for _, gc := range gt.Checks {
		if findCheck(et.Checks, gc) == nil {
			r.note("%s: extra %s", t, gc)
		}
	}

	// Secondary indexes only make readers fast: missing ones are notes. They
	// match by definition, so a renamed index still counts.
	for _, ex := range et.Indexes {
		if !hasIndex(gt.Indexes, ex) {
			r.note("%s: index %s on (%s) missing (readers still work, slower)", t, ex.Name, strings.Join(ex.Columns, ", "))
		}
	}
	for _, gx := range gt.Indexes {
		if !hasIndex(et.Indexes, gx) {
			r.note("%s: extra index %s on (%s)", t, gx.Name, strings.Join(gx.Columns, ", "))
		}
	}
}

func hasFK(list []schema.ForeignKey, fk schema.ForeignKey) bool {
	for _, f := range list {
		if f.Key() == fk.Key() {
			return true
		}
	}
	return false
}

// findCheck matches by name when the expected check is named (the tolerant
// comparison the readers need: a named constraint renamed is still missing),
// else by expression.
func findCheck(list []schema.Check, c schema.Check) *schema.Check {
	for i := range list {
		if c.Name != "" && strings.EqualFold(list[i].Name, c.Name) {
			return &list[i]
		}
	}
	for i := range list {
		if list[i].Expr == c.Expr && (c.Name == "" || list[i].Name == "") {
			return &list[i]
		}
	}
	return nil
}

func checkName(c schema.Check) string {
	if c.Name != "" {
		return "CHECK " + c.Name
	}
	return "CHECK"
}

func hasIndex(list []schema.Index, x schema.Index) bool {
	for _, y := range list {
		if y.Unique == x.Unique && y.Partial == x.Partial && slices.EqualFunc(y.Columns, x.Columns, strings.EqualFold) {
			return true
		}
	}
	return false
}

func keyOrNone(k []string) string {
	if len(k) == 0 {
		return "none"
	}
	return "(" + strings.Join(k, ", ") + ")"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// fileState notes the journal mode and the migration bookkeeping.
func (v *validator) fileState() error {
	var mode string
	if err := v.conn.QueryRowContext(v.ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return fmt.Errorf("read journal_mode: %w", err)
	}
	if strings.EqualFold(mode, "wal") {
		if v.opts.RequireDeleteJournal {
			v.rep.problem("file is in WAL mode: a published file must be journal_mode=DELETE (readers on read-only storage cannot open WAL files)")
		} else {
			v.rep.note("file is in WAL mode; a published file should be journal_mode=DELETE")
		}
	}
	var uv int
	if err := v.conn.QueryRowContext(v.ctx, `PRAGMA user_version`).Scan(&uv); err != nil {
		return fmt.Errorf("read user_version: %w", err)
	}
	if v.got.Table(trackingTable) != nil {
		if latest := migrations.LatestVersion(); uv != latest {
			v.rep.note("schema version (user_version) is %d, this tagdb's migrations reach %d", uv, latest)
		}
	}
	return nil
}
