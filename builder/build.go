package builder

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tagdb/tagdb-action/builder/sitetags"
	"github.com/tagdb/tagdb-action/idmap"
	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/progress"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/migrations/schema"
	"github.com/tagdb/tagdb-action/migrations/validate"
)

// Options configure one build.
type Options struct {
	Manifest *Manifest
	Profile  string
	Out      string // the finished file; written atomically
	Base     string // optional: a previous release to build on (never modified)
	// Reserve are optional databases (other editions of the base release) or
	// id maps (the base release's, package idmap) whose tag ids must be kept.
	Reserve []string
	// IDMap, when set, is where the build writes the id map of every tag
	// that has an id (package idmap), committed with the database.
	IDMap   string
	Version string // DATABASE_METADATA.version
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
	// MaxShrink, when set, overrides the manifest's max-shrink: how far
	// (percent) a source's row count may fall against the base release's
	// provenance; -1 turns the check off. Unset and not in the manifest:
	// DefaultMaxShrink.
	MaxShrink *float64
	// PostProcess runs on the finished database before validation (e.g. the
	// optional FTS index).
	PostProcess func(ctx context.Context, db *sql.DB) error
	// FingerprintIgnoresBase leaves the base and reserve databases out of the
	// fingerprint. Set it when the base is the previous release of the same
	// data (the action does): the base then changes with every release, and
	// only the sources, overrides, program and profile say whether anything
	// new would be published (docs/python-differences.md, W5: the Python CC0 build rebuilt every week).
	FingerprintIgnoresBase bool
	// MemoryLimit, when above zero, is the memory budget of the build in
	// bytes (Go and SQLite together). The build tunes Go's soft memory limit
	// and SQLite's page cache to it, per phase: the merge state is large
	// while SQLite needs little, the index sorts after it the other way
	// round. Go's limit is process-wide; it is restored at the end.
	MemoryLimit int64
	// spillAfter, when above zero, replaces the merge state's share of the
	// memory budget (tests force the spill with a tiny one).
	spillAfter int64
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
	b, err := newBuild(o)
	if err != nil {
		return nil, err
	}
	defer b.close(&err)
	for _, s := range b.steps() {
		if err := b.runStep(ctx, s); err != nil {
			return nil, err
		}
	}
	if b.idMap != nil {
		if err := b.idMap.Commit(); err != nil {
			return nil, fmt.Errorf("id map %s: %w", b.o.IDMap, err)
		}
	}
	res = b.result()
	if res.Manifest.SchemaHash, err = schema.HashFile(ctx, res.Out); err != nil {
		return nil, fmt.Errorf("schema hash: %w", err)
	}
	if b.o.ReportDir != "" {
		if res.Reports, err = writeReports(ctx, b.o, b.plan, b.units, b.rep, res); err != nil {
			return res, fmt.Errorf("reports: %w", err)
		}
	}
	return res, nil
}

// Fingerprint is the fingerprint a build with these options records (Result.
// Fingerprint, build_manifest.json), computed from the manifest, the options
// and the hashes of the input files alone: no source row is read and nothing
// is written. With FingerprintIgnoresBase the base and reserve databases are
// not even opened, so a caller can tell whether a build would publish anything
// new before it fetches them.
func Fingerprint(ctx context.Context, o Options) (string, error) {
	if o.FingerprintIgnoresBase {
		o.Base, o.Reserve = "", nil
	}
	b, err := newBuild(o)
	if err != nil {
		return "", err
	}
	hashes, err := startHashing(ctx, b.o, b.units).wait()
	if err != nil {
		return "", err
	}
	return describeInputs(b.o, b.plan, hashes, b.ovHash).fingerprint(b.o, b.plan), nil
}

// buildRun is one run of Build. Its steps run in order, each handing the next
// what it made through these fields; close releases whatever is still held.
type buildRun struct {
	o      Options
	plan   *Plan
	units  []*unit
	ov     sitetags.Overrides
	ovHash string // canonical hash of the parsed overrides ("" without)
	ts     string // the build time as rows store it

	// prepare
	baseRows  map[string]int64 // rows per source the base's provenance records
	out       *files.Atomic    // the new database, under its temporary name until finish
	idMap     *files.Atomic    // Options.IDMap, under its temporary name until the end
	spillPath string           // the usage counts' spill file beside the output
	state     *chunkSource     // the merge state's memory, spilling to a file beside the output
	hashes    *hashJob
	db        *sql.DB
	mem       *memoryBudget
	indexes   []savedIndex
	m         *memState
	countLog  *spill[countRec]

	// merge → write
	rk      ranks   // the tags with an id, in id order
	changed []int64 // rows each unit changed, by unit index
	sg      groups  // where each rank's statuses are
	rep     *repairs
	fc      *formatCounts

	// finish → result
	stats  Stats
	vr     *validate.Report
	sum    string
	size   int64
	inputs map[string]FileRef
}

// step is one phase of a build: its name heads the phase's log group.
type step struct {
	name string
	run  func(ctx context.Context) error
}

func (b *buildRun) steps() []step {
	return []step{
		{"prepare " + filepath.Base(b.o.Out), b.prepare},
		{"read sources", b.read},
		{"merge", b.merge},
		{"write", b.write},
		{"finish", b.finish},
	}
}

// runStep runs one step inside its log group and logs how long it took, so a
// slow build shows where the time went.
func (b *buildRun) runStep(ctx context.Context, s step) error {
	pr := b.o.Progress
	pr.Group(s.name)
	start := time.Now()
	if err := s.run(ctx); err != nil {
		return err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	pr.Printf("%s: done in %s (Go heap %d MiB, from the system %d MiB)", s.name, time.Since(start).Round(10*time.Millisecond),
		ms.HeapInuse>>20, ms.Sys>>20)
	pr.EndGroup()
	return nil
}

// newBuild checks the options and works out what the build reads: the plan,
// the overrides and the source units. It reads the manifest's files' names
// and the overrides, nothing else, and writes nothing.
func newBuild(o Options) (*buildRun, error) {
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
	b := &buildRun{o: o, ts: o.BuildTime.Format("2006-01-02 15:04:05")}
	var err error
	if b.plan, err = o.Manifest.Plan(o.Profile); err != nil {
		return nil, err
	}
	if o.Overrides != "" {
		if b.ov, err = loadOverrides(o.Overrides, o.Progress); err != nil {
			return nil, err
		}
		j, _ := json.Marshal(b.ov) // maps marshal with sorted keys: a canonical form
		sum := sha256.Sum256(j)
		b.ovHash = hex.EncodeToString(sum[:])
	}
	if b.units, err = expandUnits(o.Manifest, b.plan); err != nil {
		return nil, err
	}
	if len(b.units) >= baseUnit {
		return nil, fmt.Errorf("%d source files: more than this build can number (%d)", len(b.units), baseUnit-1)
	}
	return b, nil
}

// close releases what the steps still hold. On error it removes the
// temporary database, and says when the cause is likely a full disk (the
// SQLite message names neither the file nor the cause).
func (b *buildRun) close(errp *error) {
	if b.countLog != nil {
		b.countLog.Close()
	}
	b.state.release()
	if b.mem != nil {
		b.mem.restoreGo()
	}
	if b.db != nil {
		b.db.Close()
	}
	if b.spillPath != "" {
		os.Remove(b.spillPath)
	}
	if b.out != nil {
		b.out.Abort() // a no-op once finish has moved the file into place
	}
	if b.idMap != nil {
		b.idMap.Abort()
	}
	if err := *errp; err != nil && isStorageFull(err) {
		*errp = fmt.Errorf("writing the new database beside %s: %w (is the disk full, or a file size limit reached? %s was not changed)", b.o.Out, err, b.o.Out)
	}
}

// prepare makes the new database: a copy of the base (or an empty file)
// under a temporary name beside the output, brought to the current schema
// with its secondary indexes dropped for the bulk load, and the merge state
// seeded with the ids that must never change.
func (b *buildRun) prepare(ctx context.Context) error {
	o := b.o
	if err := os.MkdirAll(filepath.Dir(o.Out), 0o755); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	removeStaleTemps(o.Out)
	// Hash the inputs on the second core while the first one builds.
	b.hashes = startHashing(ctx, o, b.units)
	if o.Base != "" {
		if err := checkBaseJournal(o.Base); err != nil {
			return err
		}
	}
	var err error
	if b.out, err = files.Create(o.Out, 0o644); err != nil {
		return err
	}
	b.spillPath = files.TempName(o.Out, "counts")
	if o.Base != "" {
		// The checks read the copy, not the original: they see exactly the
		// bytes the build goes on with, and opening the base never creates
		// a -wal or -shm file beside it.
		if err := copyBase(o.Base, b.out.File()); err != nil {
			return err
		}
		if err := checkBase(ctx, o.Base, b.out.Name(), b.plan); err != nil {
			return err
		}
	}
	if b.db, err = sqlitedb.Open(ctx, b.out.Name(), sqlitedb.Bulk); err != nil {
		return err
	}
	if b.mem, err = newMemoryBudget(ctx, b.db, o.MemoryLimit); err != nil {
		return err
	}
	if _, err := migrations.Apply(ctx, b.db, migrations.Options{Now: func() time.Time { return o.BuildTime }}); err != nil {
		if o.Base != "" {
			return fmt.Errorf("base %s: %w", o.Base, err)
		}
		return err
	}
	if b.indexes, err = dropSecondaryIndexes(ctx, b.db); err != nil {
		return err
	}
	if b.baseRows, err = provenanceRows(ctx, b.db); err != nil {
		return fmt.Errorf("base %s: %w", o.Base, err)
	}
	if o.Base != "" {
		n, err := normaliseBaseTimes(ctx, b.db)
		if err != nil {
			return err
		}
		if n > 0 {
			o.Progress.Printf("base: %d timestamps converted to UTC", n)
		}
	}
	// The ids that must never change: the base's own, then every
	// --reserve-ids database's.
	b.state = b.mem.stateSource(files.TempName(o.Out, "state"), o.spillAfter, o.Progress)
	b.m = newMemState(b.spillPath, b.state)
	b.countLog = b.m.countLog
	seeded := map[uint32]uint32{}
	if err := b.m.loadBase(ctx, b.db, seeded); err != nil {
		return err
	}
	for _, path := range o.Reserve {
		if err := b.m.reserve(ctx, b.db, path, seeded); err != nil {
			return fmt.Errorf("--reserve-ids %s: %w", path, err)
		}
	}
	return nil
}

// copyBase writes the base database into the new one's temporary file, in
// rollback-journal mode: checkBaseJournal made sure no write-ahead log holds
// anything the file lacks, so the file is complete, and SQLite would
// otherwise make -wal and -shm files for the copy.
func copyBase(base string, out *os.File) error {
	in, err := os.Open(base)
	if err != nil {
		return fmt.Errorf("copy base %s: %w", base, err)
	}
	defer in.Close()
	if _, err := io.Copy(out, in); err != nil {
		return fmt.Errorf("copy base %s: %w", base, err)
	}
	return leaveWALMode(out)
}

// read streams every source unit into the merge state, in manifest order
// (a later source wins a conflict), and enforces the bad-row limits.
func (b *buildRun) read(ctx context.Context) error {
	pr := b.o.Progress
	for ui, u := range b.units {
		if err := ctx.Err(); err != nil {
			return err
		}
		label := u.name
		if u.keysOnly {
			label += " (ids only: " + u.spec.License + " not in profile " + b.plan.Profile + ")"
		}
		task := pr.Start(label, u.estimateRows(ctx))
		src, err := u.open(ctx, b.ov)
		if err != nil {
			return fmt.Errorf("source %q: %w", u.name, err)
		}
		err = b.m.readUnit(ctx, src, uint16(ui), u.keysOnly, u.events, task, &u.stats)
		cerr := src.Close()
		if err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("source %q: %w", u.name, err)
		}
		if err := b.o.checkBadRows(u); err != nil {
			return err
		}
		if err := checkContributes(u); err != nil {
			return err
		}
		summary := ""
		if n := u.events.skippedCount(); n > 0 {
			summary = fmt.Sprintf("%d rows skipped", n)
		}
		task.Done(summary)
	}
	if err := b.checkShrink(); err != nil {
		return err
	}
	pr.Printf("read: %s", b.m.sizes())
	return nil
}

// merge numbers the new tags and decides, per (tag, format), the status row
// the output gets, with the prefix and alias-chain repairs on the same state.
func (b *buildRun) merge(ctx context.Context) error {
	start := time.Now()
	newIDs, err := b.m.assignIDs()
	if err != nil {
		return err
	}
	b.o.Progress.Printf("ids: %d new tag ids, numbered in %s", newIDs, time.Since(start).Round(10*time.Millisecond))
	start = time.Now()
	b.rk = b.m.rankByID()
	b.changed = make([]int64, len(b.units))
	for i := 0; i < b.m.ents.Len(); i++ {
		if e := b.m.ent(uint32(i)); e.flags&(tagInTags|tagInBase) == tagInTags {
			b.changed[e.unit]++
		}
	}
	if b.sg, err = b.m.decideStatuses(ctx, b.rk, b.changed); err != nil {
		return err
	}
	b.o.Progress.Printf("statuses in tag_id order and decided in %s", time.Since(start).Round(10*time.Millisecond))
	b.rep = &repairs{}
	b.rep.prefix = repairPrefixes(b.m)
	b.rep.chains = resolveAliasChains(b.m, b.sg, b.rk)
	return nil
}

// openIDMap creates the id map's temporary file when the build writes one
// (moved into place only when the database is) and says which rows the
// writers walk: every tag with an id then, since the TAGS writer's walk
// writes the map as it goes.
func (b *buildRun) openIDMap() (rowSet, *idmap.Writer, error) {
	if b.o.IDMap == "" {
		return tagsRows, nil, nil
	}
	var err error
	if b.idMap, err = files.Create(b.o.IDMap, 0o644); err != nil {
		return 0, nil, err
	}
	ids, err := idmap.NewWriter(b.idMap)
	if err != nil {
		return 0, nil, fmt.Errorf("id map %s: %w", b.o.IDMap, err)
	}
	return allRows, ids, nil
}

// write writes each table once, in key order, in one transaction, then the
// provenance metadata. It drops the merge state when done: the finish step
// gives that memory to SQLite.
func (b *buildRun) write(ctx context.Context) error {
	pr, m, rep := b.o.Progress, b.m, b.rep
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if rep.types, err = repairTypeMappings(ctx, tx, m); err != nil {
		return err
	}
	start := time.Now()
	b.fc = &formatCounts{}
	set, ids, err := b.openIDMap()
	if err != nil {
		return err
	}
	rows, err := m.tagRows(ctx, b.rk, set)
	if err != nil {
		return err
	}
	defer rows.release()
	err = m.writeTagsAndStatuses(ctx, tx, b.sg, rows, ids, b.ts, b.fc)
	if ids != nil {
		// Close flushes the map; its error is the first Add's, if any.
		if cerr := ids.Close(); cerr != nil {
			return fmt.Errorf("id map %s: %w", b.o.IDMap, cerr)
		}
	}
	if err != nil {
		return err
	}
	pr.Printf("tags and statuses written in %s", time.Since(start).Round(10*time.Millisecond))
	if ids != nil {
		pr.Printf("id map: %d tags written with them", b.rk.Len())
	}
	b.sg.release()
	m.status.Reset()
	m.statusUnit.Reset()
	start = time.Now()
	if m.counts, err = m.countLog.Load(m.src); err != nil {
		return err
	}
	cg, err := m.decideCounts(ctx, b.rk, b.changed)
	if err != nil {
		return err
	}
	if err := m.writeCounts(ctx, tx, cg, rows, b.ts, b.fc); err != nil {
		return err
	}
	pr.Printf("usage counts written in %s", time.Since(start).Round(10*time.Millisecond))
	rows.release()
	cg.release()
	m.counts.Reset()
	m.countUnit.Reset()
	for ui, u := range b.units {
		u.stats.changed += b.changed[ui]
	}
	start = time.Now()
	if err := m.writeTranslations(ctx, tx, b.units, b.ts); err != nil {
		return err
	}
	pr.Printf("translations written in %s", time.Since(start).Round(10*time.Millisecond))
	for _, u := range b.units {
		if !u.keysOnly && u.stats.rowsStaged+u.stats.translations > 0 {
			pr.Printf("merge %s: %d rows read; %d rows changed", u.name, u.stats.rowsStaged+u.stats.translations, u.stats.changed)
		}
	}
	if rep.trSplit, rep.trRemoved, err = cleanupTranslations(ctx, tx, m.baseMaxTr); err != nil {
		return err
	}
	pr.Printf("repairs: %d prefix, %d alias chain, %d type mapping; translations: %d split, %d removed",
		len(rep.prefix), len(rep.chains), len(rep.types), rep.trSplit, rep.trRemoved)
	if err := tx.Commit(); err != nil {
		return err
	}
	b.rk.release()
	b.m = nil
	pr.Printf("memory: the merge state's tables peaked at %d MiB on Go's heap", b.state.Peak()>>20)
	if n := b.state.OnDisk(); n > 0 {
		pr.Printf("memory: %d MiB of the merge state was spilled to disk", n>>20)
	}
	// Nothing points into the state any more (the repairs keep copies of
	// their names): its file goes now, not at the end of the build, and no
	// page of it can come back into the resident set while SQLite builds
	// the indexes with the rest of the budget.
	b.state.release()
	return writeProvenance(ctx, b.db, b.o, b.plan, b.units)
}

// finish builds the indexes, makes the file what readers get, validates it
// and, only if it passes, moves it into place.
func (b *buildRun) finish(ctx context.Context) error {
	pr := b.o.Progress
	var tags int64
	if b.fc != nil {
		tags = b.fc.totalTags
	}
	if err := b.mem.forSQLite(ctx, b.db, tags, pr); err != nil {
		return err
	}
	if err := recreateIndexes(ctx, b.db, b.indexes, pr); err != nil {
		return err
	}
	if err := fillPrefixTop(ctx, b.db, pr); err != nil {
		return err
	}
	if b.o.PostProcess != nil {
		if err := b.o.PostProcess(ctx, b.db); err != nil {
			return err
		}
	}
	if err := compactAndAnalyse(ctx, b.db, pr); err != nil {
		return err
	}
	var err error
	if b.stats, err = collectStats(ctx, b.db, b.fc); err != nil {
		return err
	}
	err = b.db.Close()
	b.db = nil
	if err != nil {
		return fmt.Errorf("close %s: %w", b.out.Name(), err)
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
		if r.err = b.out.Sync(); r.err == nil {
			r.sum, r.size, r.err = fileSHA256(b.out.Name())
		}
		sealc <- r
	}()
	vr, err := validateFile(ctx, b.out.Name())
	seal := <-sealc
	if err != nil {
		return err
	}
	if !vr.OK() {
		return fmt.Errorf("the built database fails validation (not published):\n  %s", strings.Join(vr.Problems, "\n  "))
	}
	if seal.err != nil {
		return seal.err
	}
	if b.inputs, err = b.hashes.wait(); err != nil {
		return err
	}
	b.vr, b.sum, b.size = vr, seal.sum, seal.size
	return b.out.Commit()
}

// result describes the finished build, with its manifest and fingerprint.
func (b *buildRun) result() *Result {
	res := &Result{Out: b.o.Out, Stats: b.stats, Validation: b.vr, SHA256: b.sum, Size: b.size}
	res.Manifest = newBuildManifest(b.o, b.plan, b.units, b.inputs, b.stats, res, b.ovHash)
	res.Fingerprint = res.Manifest.Fingerprint
	return res
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

// checkBase refuses a base that is damaged, has changes outside the file
// (checkBaseJournal, run before), holds objects the migrations do not create
// (checkBaseObjects), is newer than this program, or carries data of a
// licence the profile does not allow (a CC0 edition must never inherit CC-BY
// rows from a CC-BY base). It reads the byte copy at copyPath read-only,
// before anything writes to it, so no trigger of the base ever runs; errors
// name the base as the user gave it.
func checkBase(ctx context.Context, path, copyPath string, plan *Plan) error {
	db, err := sqlitedb.Open(ctx, copyPath, sqlitedb.ReadOnly)
	if err != nil {
		// The message names the base, never the temporary copy.
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		return fmt.Errorf("base: open %s: %w", path, err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&res); err != nil {
		return fmt.Errorf("base %s: not a readable SQLite database: %w", path, err)
	}
	if res != "ok" {
		return fmt.Errorf("base %s: integrity check failed: %s", path, res)
	}
	if err := checkBaseObjects(ctx, path, db); err != nil {
		return err
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
		t := time.Now()
		if _, err := db.ExecContext(ctx, s.sql); err != nil {
			return fmt.Errorf("create index %s: %w", s.name, err)
		}
		// Per index, so the log shows which sorts a slow build spent its time on.
		pr.Printf("index %s: %s", s.name, time.Since(t).Round(time.Millisecond))
	}
	pr.Printf("indexes: %d created in %s", len(idx), time.Since(start).Round(time.Millisecond))
	return nil
}

// compactAndAnalyse makes the file what readers get: compact, analysed, rollback-journal
// mode (a WAL file cannot be opened where -shm cannot be created: docs/python-differences.md, W18; docs/reader-contract.md, "File mode").
func compactAndAnalyse(ctx context.Context, db *sql.DB, pr *progress.Reporter) error {
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

// removeStaleTemps deletes temporary files of earlier runs for the same output
// whose process is gone (a SIGKILLed build cannot clean up after itself).
func removeStaleTemps(out string) {
	for _, kind := range []string{"tmp", "stage", "counts", "state"} {
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
