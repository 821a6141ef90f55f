package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/tagdb/tagdb-action/builder"
	"github.com/tagdb/tagdb-action/internal/buildsummary"
	"github.com/tagdb/tagdb-action/internal/progress"
)

// sampleManifest is the bundled example every contributor can build with no
// flags: a small file of every source kind.
const sampleManifest = "testdata/sample/sources.yml"

type buildFlags struct {
	sources, profile, out, base, version, reportDir, overrides, idMap string
	parquetDir, buildTime, maxBad, cpuProfile, memLimit               string
	maxShrink                                                         string
	reserve, parquetFormats                                           multiFlag
	fts, quiet                                                        bool
}

func cmdBuild(e *env, args []string) error {
	var f buildFlags
	fs := newFlags(e, "build", "[--sources sources.yml] [--profile cc0|mit|cc4] [--out PATH] [flags]", `
Build one licence edition of the tag database. With no flags it builds the bundled
sample (`+sampleManifest+`) as profile cc4 into ./tagdb.sqlite.

The file is written beside --out under a temporary name, validated, and only then
renamed into place; a failed build leaves --out and --base untouched.
Set SOURCE_DATE_EPOCH (or --build-time) for byte-identical rebuilds.`)
	fs.StringVar(&f.sources, "sources", "", "sources manifest `FILE` (default: the bundled sample)")
	fs.StringVar(&f.profile, "profile", "cc4", "licence edition to build: a profile `NAME` of the manifest (cc0, mit, cc4)")
	fs.StringVar(&f.out, "out", "tagdb.sqlite", "output database `PATH`")
	fs.StringVar(&f.base, "base", "", "build on this previous release `DB` (read, never modified)")
	fs.Var(&f.reserve, "reserve-ids", "keep the tag ids of this `DB` or id map too (another edition, or the id map, of the base release); repeatable")
	fs.StringVar(&f.idMap, "id-map", "", "also write the id map of every tag that has an id to `FILE` (zstd TSV, README \"Id map\")")
	fs.StringVar(&f.version, "version", "", "DATABASE_METADATA version `V` (default vYYYY.MM.DD of the build time)")
	fs.StringVar(&f.reportDir, "report-dir", "", "write reports, build_manifest.json and the dataset card to `DIR`")
	fs.StringVar(&f.overrides, "overrides", "", "site_tags alias overrides `FILE` (overrides.yml)")
	fs.StringVar(&f.parquetDir, "parquet-dir", "", "also export the Parquet view of --parquet-format to `DIR`")
	fs.Var(&f.parquetFormats, "parquet-format", "format `NAME` to export to --parquet-dir (default danbooru); repeatable")
	fs.BoolVar(&f.fts, "fts", false, "add an FTS5 trigram index for substring search (larger file)")
	fs.StringVar(&f.buildTime, "build-time", "", "build time `RFC3339` (default SOURCE_DATE_EPOCH, else now)")
	fs.StringVar(&f.maxBad, "max-bad-rows", "5%", "fail when a source skips more than `N` rows, or N% of its rows (percentages apply from 1000 rows on); -1 for no limit")
	fs.StringVar(&f.maxShrink, "max-shrink", "", "fail when a source has more than `N%` fewer rows than the --base release recorded, or off (default: the manifest's max-shrink, else 50%)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress output")
	fs.StringVar(&f.memLimit, "memory-limit", defaultMemoryLimit, "memory budget of the build, Go and SQLite together (`SIZE` in MiB or GiB; 0 for none); the GOMEMLIMIT environment variable overrides it")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a Go CPU profile of the build to `FILE` (for `go tool pprof`)")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	opts, err := f.options(e)
	if err != nil {
		return err
	}
	if f.cpuProfile != "" {
		pf, err := os.Create(f.cpuProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	res, err := builder.Build(e.ctx, opts)
	if err != nil {
		if e.ctx.Err() != nil {
			// SIGINT/SIGTERM: say what state the user is left in, not just
			// "context canceled".
			return fmt.Errorf("interrupted: %s is unchanged and the temporary files are removed (%w)", f.out, err)
		}
		return err
	}
	if f.parquetDir != "" {
		if err := exportParquet(e, res.Out, f.parquetDir, f.parquetFormats); err != nil {
			return err
		}
	}
	printBuildSummary(e.stdout, opts, res)
	return nil
}

// options turns the flags into builder options.
func (f *buildFlags) options(e *env) (builder.Options, error) {
	var o builder.Options
	src := f.sources
	if src == "" {
		src = sampleManifest
		if _, err := os.Stat(src); err != nil {
			return o, usagef("no --sources given and the bundled sample %s is not here (run from the repository root)", src)
		}
	}
	m, err := builder.LoadManifest(src)
	if err != nil {
		return o, err
	}
	bt, err := buildTime(f.buildTime, e.getenv)
	if err != nil {
		return o, err
	}
	maxRows, maxPct, err := builder.ParseMaxBadRows(f.maxBad)
	if err != nil {
		return o, usagef("--max-bad-rows %v", err)
	}
	var maxShrink *float64
	if f.maxShrink != "" {
		p, err := builder.ParseMaxShrink(f.maxShrink)
		if err != nil {
			return o, usagef("--max-shrink %v", err)
		}
		maxShrink = &p
	}
	memLimit, err := memoryLimit(f.memLimit, e.getenv)
	if err != nil {
		return o, usagef("--memory-limit: %v", err)
	}
	mode := progress.Detect(e.stderr, e.getenv)
	if f.quiet {
		mode = progress.Off
	}
	o = builder.Options{
		Manifest: m, Profile: f.profile, Out: f.out, Base: f.base, Reserve: f.reserve, IDMap: f.idMap, Version: f.version,
		BuildTime: bt, Overrides: f.overrides, ReportDir: f.reportDir,
		MaxBadRows: maxRows, MaxBadPercent: maxPct, MaxShrink: maxShrink, ProgramVersion: programVersion, MemoryLimit: memLimit,
		Progress: progress.New(e.stderr, mode),
	}
	if f.fts {
		o.PostProcess = createSubstringIndex
	}
	return o, nil
}

// memoryLimit is the build's memory budget: size, or none when the user set
// Go's own limit (GOMEMLIMIT) and so the tuning is theirs.
func memoryLimit(size string, getenv func(string) string) (int64, error) {
	n, err := parseSize(size)
	if err != nil || getenv("GOMEMLIMIT") != "" {
		return 0, err
	}
	return n, nil
}

// defaultMemoryLimit is what a free CI runner can give a build (issue 5: a
// full-size edition within 1 GiB).
const defaultMemoryLimit = "1GiB"

// parseSize reads a memory size: "1GiB", "768MiB", "512M", "2G" or "0".
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"G", 1 << 30}, {"M", 1 << 20}}
	mult := int64(0)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n < 0 || (mult == 0 && n != 0) {
		return 0, fmt.Errorf("%q: want a size such as 1GiB or 768MiB, or 0", s)
	}
	return int64(n * float64(mult)), nil
}

func buildTime(flagVal string, getenv func(string) string) (time.Time, error) {
	if flagVal != "" {
		t, err := time.Parse(time.RFC3339, flagVal)
		if err != nil {
			return t, usagef("--build-time %q: want RFC3339 such as 2026-01-02T15:04:05Z", flagVal)
		}
		return t.UTC(), nil
	}
	return builder.BuildTimeFromEnv(getenv)
}

func printBuildSummary(w io.Writer, o builder.Options, res *builder.Result) {
	st := res.Stats
	fmt.Fprintf(w, "built %s (%s, profile %s, version %s)\n", res.Out, buildsummary.HumanBytes(res.Size), o.Profile, res.Manifest.BuildInfo.Version)
	fmt.Fprintf(w, "sha256 %s\n\n", res.SHA256)
	buildsummary.Formats(st).Text(w)
	if len(st.Languages) > 0 {
		var parts []string
		for _, l := range st.Languages {
			parts = append(parts, fmt.Sprintf("%s %d", l.Language, l.Translations))
		}
		fmt.Fprintf(w, "\ntranslations: %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	buildsummary.Sources(res.Manifest.Effects).Text(w)
	if len(res.Reports) > 0 {
		fmt.Fprintf(w, "\nreports in %s\n", filepath.Dir(res.Reports[0]))
	}
}
