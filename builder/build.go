package builder

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tagdb/tagdb-action/builder/sitetags"
	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/progress"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/migrations/validate"
)

// Options configure one build.
type Options struct {
	Manifest *Manifest
	Profile  string
	Out      string   // the finished file; written atomically
	Base     string   // optional: a previous release to build on (never modified)
	Reserve  []string // optional: databases whose tag ids must be kept (other editions of the base release)
	Version  string   // DATABASE_METADATA.version
	// BuildTime stamps rows and metadata. Callers pass SOURCE_DATE_EPOCH when
	// set, so that the same inputs give the same bytes.
	BuildTime time.Time
	Overrides string // optional overrides.yml for site_tags alias conflicts
	ReportDir string // optional: where the reports and the dataset card go
	// MaxBadRows fails the build when a source skips more rows than this
	// (negative: unlimited). MaxBadPercent does the same as a share of the rows
	// read (0: off).
	MaxBadRows    int64
	MaxBadPercent float64
	// PostProcess runs on the finished database before validation (e.g. the
	// optional FTS index).
	PostProcess func(ctx context.Context, db *sql.DB) error
	// FingerprintIgnoresBase leaves the base and reserve databases out of the
	// fingerprint. Set it when the base is the previous release of the same
	// data (the action does): the base then changes with every release, and
	// only the sources, overrides, program and profile say whether anything
	// new would be published (W5a: the Python CC0 build rebuilt every week).
	FingerprintIgnoresBase bool
	// MemoryLimit, when above zero, is the memory budget of the build in
	// bytes (Go and SQLite together). The build tunes Go's soft memory limit
	// and SQLite's page cache to it, per phase: the merge state is large
	// while SQLite needs little, the index sorts after it the other way
	// round. Go's limit is process-wide; it is restored at the end.
	MemoryLimit int64
	// ProgramVersion goes into the fingerprint and the manifest.
	ProgramVersion string
	Progress       *progress.Reporter
}

// Result describes a finished build.
type Result struct {
	Out         string
	SHA256      string
	Size        int64
	Fingerprint string
	Stats       Stats
	Manifest    *BuildManifest
	Reports     []string // files written to ReportDir
	Validation  *validate.Report
}

// Build runs one build. On any error the output path is left as it was and no
// temporary file remains.
func Build(ctx context.Context, o Options) (res *Result, err error) {
	if o.Manifest == nil {
		return nil, errors.New("build: no manifest")
	}
	if o.Out == "" {
		return nil, errors.New("build: no output path")
	}
	if o.BuildTime.IsZero() {
		o.BuildTime = time.Now()
	}
	if o.Version == "" {
		o.Version = "v" + o.BuildTime.UTC().Format("2006.01.02")
	}
	o.BuildTime = o.BuildTime.UTC().Truncate(time.Second)
	ts := o.BuildTime.Format("2006-01-02 15:04:05")
	pr := o.Progress

	plan, err := o.Manifest.Plan(o.Profile)
	if err != nil {
		return nil, err
	}
	var ov sitetags.Overrides
	ovHash := ""
	if o.Overrides != "" {
		ov, err = loadOverrides(o.Overrides, pr)
		if err != nil {
			return nil, err
		}
		b, _ := json.Marshal(ov) // maps marshal with sorted keys: a canonical form
		sum := sha256.Sum256(b)
		ovHash = hex.EncodeToString(sum[:])
	}
	units, err := expandUnits(o.Manifest, plan)
	if err != nil {
		return nil, err
	}
	outDir := filepath.Dir(o.Out)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	removeStaleTemps(o.Out)

	// Hash the inputs on the second core while the first one builds.
	hashes := startHashing(ctx, o, units)

	if o.Base != "" {
		if err := checkBase(ctx, o.Base, plan); err != nil {
			return nil, err
		}
	}

	if len(units) >= baseUnit {
		return nil, fmt.Errorf("%d source files: more than this build can number (%d)", len(units), baseUnit-1)
	}
	tmp, spillPath := tempName(o.Out, "tmp"), tempName(o.Out, "counts")
	defer func() {
		os.Remove(spillPath)
		if err != nil {
			os.Remove(tmp)
			if isStorageFull(err) {
				err = fmt.Errorf("writing the new database beside %s: %w (is the disk full, or a file size limit reached? %s was not changed)", o.Out, err, o.Out)
			}
		}
	}()
	if o.Base != "" {
		if err := files.Copy(o.Base, tmp); err != nil {
			return nil, fmt.Errorf("copy base %s: %w", o.Base, err)
		}
	}
	db, err := sqlitedb.Open(ctx, tmp, sqlitedb.Bulk)
	if err != nil {
		return nil, err
	}
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	mem, err := newMemoryBudget(ctx, db, o.MemoryLimit)
	if err != nil {
		return nil, err
	}
	defer mem.restoreGo()
	phase := startPhase(pr, "prepare "+filepath.Base(o.Out))
	if _, err := migrations.Apply(ctx, db, migrations.Options{Now: func() time.Time { return o.BuildTime }}); err != nil {
		if o.Base != "" {
			return nil, fmt.Errorf("base %s: %w", o.Base, err)
		}
		return nil, err
	}
	indexes, err := dropSecondaryIndexes(ctx, db)
	if err != nil {
		return nil, err
	}
	// The ids that must never change: the base's own, then every
	// --reserve-ids database's.
	m := newMemState(spillPath)
	defer m.countLog.Close()
	seeded := map[uint32]uint32{}
	if err := m.loadBase(ctx, db, seeded); err != nil {
		return nil, err
	}
	for _, path := range o.Reserve {
		if err := m.reserve(ctx, db, path, seeded); err != nil {
			return nil, fmt.Errorf("--reserve-ids %s: %w", path, err)
		}
	}
	seeded = nil
	phase.end()

	phase = startPhase(pr, "read sources")
	for ui, u := range units {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		label := u.name
		if u.keysOnly {
			label += " (ids only: " + u.spec.License + " not in profile " + plan.Profile + ")"
		}
		task := pr.Start(label, u.estimateRows(ctx))
		src, err := u.open(ctx, ov)
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", u.name, err)
		}
		err = m.readUnit(ctx, src, uint16(ui), u.keysOnly, u.events, task, &u.stats)
		cerr := src.Close()
		if err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", u.name, err)
		}
		if err := o.checkBadRows(u); err != nil {
			return nil, err
		}
		summary := ""
		if n := u.events.skippedCount(); n > 0 {
			summary = fmt.Sprintf("%d rows skipped", n)
		}
		task.Done(summary)
	}
	pr.Printf("read: %s", m.sizes())
	phase.end()

	phase = startPhase(pr, "merge")
	rep := &repairs{}
	newIDs, err := m.assignIDs()
	if err != nil {
		return nil, err
	}
	order := m.byID()
	pr.Printf("ids: %d new tag ids", newIDs)
	changed := make([]int64, len(units))
	for i := range order {
		if e := m.ent(order[i]); e.flags&tagInBase == 0 {
			changed[e.unit]++
		}
	}
	sg := m.decideStatuses(changed)
	rep.prefix = repairPrefixes(m, sg)
	rep.chains = resolveAliasChains(m, sg, order)
	phase.end()

	phase = startPhase(pr, "write")
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if rep.types, err = repairTypeMappings(ctx, tx, m, sg); err != nil {
		return nil, err
	}
	start := time.Now()
	fc := &formatCounts{}
	if err := m.writeTagsAndStatuses(ctx, tx, sg, order, ts, fc); err != nil {
		return nil, err
	}
	pr.Printf("tags and statuses written in %s", time.Since(start).Round(10*time.Millisecond))
	sg = groups{}
	m.status.Reset()
	start = time.Now()
	if m.counts, err = m.countLog.Load(); err != nil {
		return nil, err
	}
	cg := m.decideCounts(changed)
	if err := m.writeCounts(ctx, tx, cg, order, ts, fc); err != nil {
		return nil, err
	}
	pr.Printf("usage counts written in %s", time.Since(start).Round(10*time.Millisecond))
	cg = groups{}
	m.counts.Reset()
	for ui, u := range units {
		u.stats.changed += changed[ui]
	}
	start = time.Now()
	if err := m.writeTranslations(ctx, tx, units, ts); err != nil {
		return nil, err
	}
	pr.Printf("translations written in %s", time.Since(start).Round(10*time.Millisecond))
	for _, u := range units {
		if !u.keysOnly && u.stats.rowsStaged+u.stats.translations > 0 {
			pr.Printf("merge %s: %d rows read; %d rows changed", u.name, u.stats.rowsStaged+u.stats.translations, u.stats.changed)
		}
	}
	if rep.trSplit, rep.trRemoved, err = cleanupTranslations(ctx, tx, m.baseMaxTr); err != nil {
		return nil, err
	}
	pr.Printf("repairs: %d prefix, %d alias chain, %d type mapping; translations: %d split, %d removed",
		len(rep.prefix), len(rep.chains), len(rep.types), rep.trSplit, rep.trRemoved)
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	m = nil
	order = nil
	if err := writeProvenance(ctx, db, o, plan, units); err != nil {
		return nil, err
	}
	phase.end()

	phase = startPhase(pr, "finish")
	if err := mem.forSQLite(ctx, db, pr); err != nil {
		return nil, err
	}
	if err := recreateIndexes(ctx, db, indexes, pr); err != nil {
		return nil, err
	}
	if o.PostProcess != nil {
		if err := o.PostProcess(ctx, db); err != nil {
			return nil, err
		}
	}
	if err := finish(ctx, db, pr); err != nil {
		return nil, err
	}
	stats, err := collectStats(ctx, db, fc)
	if err != nil {
		return nil, err
	}
	err = db.Close()
	db = nil
	if err != nil {
		return nil, fmt.Errorf("close %s: %w", tmp, err)
	}
	// The file does not change any more: flush it to disk and hash it while
	// the validation reads it (the disk and the CPU work at the same time).
	type sealed struct {
		sum  string
		size int64
		err  error
	}
	sealc := make(chan sealed, 1)
	go func() {
		var r sealed
		if r.err = syncFile(tmp); r.err == nil {
			r.sum, r.size, r.err = fileSHA256(tmp)
		}
		sealc <- r
	}()
	vr, err := validateFile(ctx, tmp)
	seal := <-sealc
	if err != nil {
		return nil, err
	}
	if !vr.OK() {
		return nil, fmt.Errorf("the built database fails validation (not published):\n  %s", strings.Join(vr.Problems, "\n  "))
	}
	if seal.err != nil {
		return nil, seal.err
	}
	inputs, err := hashes.wait()
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, o.Out); err != nil {
		return nil, fmt.Errorf("move %s into place: %w", o.Out, err)
	}
	syncDir(outDir)
	phase.end()

	res = &Result{Out: o.Out, Stats: stats, Validation: vr, SHA256: seal.sum, Size: seal.size}
	res.Manifest = newBuildManifest(o, plan, units, inputs, stats, res, ovHash)
	res.Fingerprint = res.Manifest.Fingerprint
	if o.ReportDir != "" {
		if res.Reports, err = writeReports(ctx, o, plan, units, rep, res); err != nil {
			return res, fmt.Errorf("reports: %w", err)
		}
	}
	return res, nil
}

// isStorageFull tells a failed write, whose SQLite message ("disk I/O error
// (778)") names neither the file nor the likely cause. The result codes are
// SQLite's extended ones (SQLITE_FULL 13, SQLITE_IOERR_WRITE 778), read
// through the driver's Code method so no driver type is imported; a read
// error (another IOERR) is not a full disk and keeps its own message.
func isStorageFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) {
		return true
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		c := coded.Code()
		return c&0xff == 13 || c == 778
	}
	return false
}

type repairs struct {
	prefix             []prefixRepair
	chains             []chainRepair
	types              []typeRepair
	trSplit, trRemoved int64
}

func loadOverrides(path string, pr *progress.Reporter) (sitetags.Overrides, error) {
	ov, warnings, err := sitetags.LoadOverrides(path)
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		pr.Printf("warning: %s", w)
	}
	return ov, nil
}

// minRowsForPercent is the size from which MaxBadPercent applies.
const minRowsForPercent = 1000

func (o Options) checkBadRows(u *unit) error {
	bad := u.events.skippedCount()
	if o.MaxBadRows >= 0 && bad > o.MaxBadRows {
		return fmt.Errorf("source %q: %d bad rows, more than --max-bad-rows %d; first: %s", u.name, bad, o.MaxBadRows, u.events.firstSkips(3))
	}
	// A share of a tiny file is noise (one bad row of 20 is 5%), so the
	// percentage limit starts counting at minRowsForPercent rows. Skipped rows
	// are part of the whole: rowsRead counts only the rows that came through,
	// so a file in the wrong layout (every row bad, none read) would otherwise
	// never reach the limit.
	if seen := u.stats.rowsRead + bad; o.MaxBadPercent > 0 && seen >= minRowsForPercent {
		if pct := float64(bad) * 100 / float64(seen); pct > o.MaxBadPercent {
			return fmt.Errorf("source %q: %.2f%% of %d rows are bad, more than --max-bad-rows %g%%; first: %s", u.name, pct, seen, o.MaxBadPercent, u.events.firstSkips(3))
		}
	}
	return nil
}

// checkBase refuses a base that is damaged, newer than this program, or
// carries data of a licence the profile does not allow (a CC0 edition must
// never inherit CC-BY rows from a CC-BY base).
func checkBase(ctx context.Context, path string, plan *Plan) error {
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadOnly)
	if err != nil {
		return fmt.Errorf("base: %w", err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&res); err != nil {
		return fmt.Errorf("base %s: not a readable SQLite database: %w", path, err)
	}
	if res != "ok" {
		return fmt.Errorf("base %s: integrity check failed: %s", path, res)
	}
	var uv int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&uv); err != nil {
		return fmt.Errorf("base %s: %w", path, err)
	}
	if uv > migrations.LatestVersion() {
		return fmt.Errorf("base %s: schema version %d is newer than this tagdb knows (%d); use a newer tagdb", path, uv, migrations.LatestVersion())
	}
	var lic string
	err = db.QueryRowContext(ctx, `SELECT value FROM DATABASE_METADATA WHERE key = 'build.license'`).Scan(&lic)
	if err != nil {
		return nil // a file from the Python builder records no licence: nothing to compare
	}
	for _, l := range strings.Split(lic, ",") {
		l = strings.TrimSpace(l)
		if l != "" && !contains(plan.Licenses, canonicalLicense(l)) {
			return fmt.Errorf("base %s: contains %s data (build.license %q), which profile %q (%s) does not allow",
				path, l, lic, plan.Profile, strings.Join(plan.Licenses, ", "))
		}
	}
	return nil
}

type savedIndex struct{ name, sql string }

// dropSecondaryIndexes removes the migrations' secondary indexes for the bulk
// load (maintaining them row by row costs more than building them once) and
// returns their exact SQL so recreateIndexes puts back the same definitions.
func dropSecondaryIndexes(ctx context.Context, db *sql.DB) ([]savedIndex, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var idx []savedIndex
	for rows.Next() {
		var s savedIndex
		if err := rows.Scan(&s.name, &s.sql); err != nil {
			rows.Close()
			return nil, err
		}
		idx = append(idx, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, s := range idx {
		if _, err := db.ExecContext(ctx, `DROP INDEX main.`+sqlitedb.QuoteIdent(s.name)); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", s.name, err)
		}
	}
	return idx, nil
}

func recreateIndexes(ctx context.Context, db *sql.DB, idx []savedIndex, pr *progress.Reporter) error {
	start := time.Now()
	// Index builds are sorts; SQLite can run a sort's merges on helper threads.
	if _, err := db.ExecContext(ctx, fmt.Sprintf(`PRAGMA threads = %d`, min(runtime.NumCPU(), 8))); err != nil {
		return err
	}
	for _, s := range idx {
		if _, err := db.ExecContext(ctx, s.sql); err != nil {
			return fmt.Errorf("create index %s: %w", s.name, err)
		}
	}
	pr.Printf("indexes: %d created in %s", len(idx), time.Since(start).Round(time.Millisecond))
	return nil
}

// finish makes the file what readers get: compact, analysed, rollback-journal
// mode (a WAL file cannot be opened where -shm cannot be created, W18).
func finish(ctx context.Context, db *sql.DB, pr *progress.Reporter) error {
	var free, pages int64
	if err := db.QueryRowContext(ctx, `PRAGMA main.freelist_count`).Scan(&free); err != nil {
		return err
	}
	if err := db.QueryRowContext(ctx, `PRAGMA main.page_count`).Scan(&pages); err != nil {
		return err
	}
	// The merge only appends and updates in place, and the index pages freed
	// for the bulk load are reused by the rows and the new indexes, so a build
	// leaves at most a few free pages (from translation clean-up). Rewriting a
	// multi-gigabyte file for them costs more than they do; VACUUM only when a
	// real share of the file is free (a base that had many rows deleted).
	pr.Printf("free pages: %d of %d", free, pages)
	if free*100 > pages {
		if _, err := db.ExecContext(ctx, `VACUUM main`); err != nil {
			return fmt.Errorf("vacuum: %w", err)
		}
	}
	// analysis_limit samples each index instead of reading all of it: the
	// planner needs the shape of the data, not exact counts, and a full
	// ANALYZE of a 10M-row file costs tens of seconds.
	for _, q := range []string{`PRAGMA analysis_limit = 2000`, `ANALYZE main`, `PRAGMA main.journal_mode = DELETE`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

func validateFile(ctx context.Context, path string) (*validate.Report, error) {
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadOnly)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	// quick_check instead of the full integrity_check: the file was written
	// moments ago by this process, and the full check alone would cost as much
	// as the build on a 10M-row edition. `tagdb validate` runs the full one.
	return validate.Run(ctx, db, validate.Options{Quick: true, RequireDeleteJournal: true})
}

// tempName is a file beside the output, so the final rename never crosses a
// file system; the pid lets a later run remove what a killed run left.
func tempName(out, kind string) string {
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s.%s-%d-%s", out, kind, os.Getpid(), hex.EncodeToString(b[:]))
}

// removeStaleTemps deletes temporary files of earlier runs for the same output
// whose process is gone (a SIGKILLed build cannot clean up after itself).
func removeStaleTemps(out string) {
	for _, kind := range []string{"tmp", "stage", "counts"} {
		matches, _ := filepath.Glob(out + "." + kind + "-*")
		for _, m := range matches {
			rest := strings.TrimPrefix(m, out+"."+kind+"-")
			pid, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
			if err != nil || pid == os.Getpid() || processAlive(pid) {
				continue
			}
			os.Remove(m)
		}
	}
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return f.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// phase is one grouped section of the build log; its end prints how long it
// took, so a slow build shows where the time went.
type phase struct {
	pr    *progress.Reporter
	name  string
	start time.Time
}

func startPhase(pr *progress.Reporter, name string) *phase {
	pr.Group(name)
	return &phase{pr: pr, name: name, start: time.Now()}
}

func (p *phase) end() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p.pr.Printf("%s: done in %s (Go heap %d MiB, from the system %d MiB)", p.name, time.Since(p.start).Round(10*time.Millisecond),
		ms.HeapInuse>>20, ms.Sys>>20)
	p.pr.EndGroup()
}
