package search

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// The benchmarks run against the database named by TAGDB_BENCH_DB (the
// scale-1.0 file: `TAGDB_BENCH_DB=/path/x.sqlite go test -bench . ./search`)
// or, when it is unset, against a synthetic database of benchTags tags that
// the first benchmark generates into a temporary directory (about 15 s).
// Each reports p50 and p99 of the per-operation latency next to ns/op.
const benchTags = 200_000

// benchEnv is what every benchmark needs: the file, an open DB with and one
// without the trigram index in use, and inputs sampled from the file.
type benchEnv struct {
	path                 string
	db, noFTS            *DB
	tags                 []string // canonical tags with counts, as stored
	translations         [][2]string
	topFormats           []string // the three formats with the most status rows
	generated, ftsBuilt  bool
	tagCount, statusRows int64
}

// benchShared is built once per test binary: generating the synthetic file
// for every benchmark would dominate the run.
var benchShared struct {
	once sync.Once
	env  *benchEnv
	err  error
	dir  string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchShared.dir != "" {
		os.RemoveAll(benchShared.dir)
	}
	os.Exit(code)
}

func loadBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	benchShared.once.Do(func() { benchShared.env, benchShared.err = newBenchEnv() })
	if benchShared.err != nil {
		b.Fatal(benchShared.err)
	}
	return benchShared.env
}

func newBenchEnv() (*benchEnv, error) {
	ctx := context.Background()
	e := &benchEnv{path: os.Getenv("TAGDB_BENCH_DB")}
	if e.path == "" {
		dir, err := os.MkdirTemp("", "tagdb-search-bench-")
		if err != nil {
			return nil, err
		}
		benchShared.dir = dir
		e.path, e.generated = filepath.Join(dir, "bench.sqlite"), true
		if err := generateDB(ctx, e.path, benchTags, 7); err != nil {
			return nil, fmt.Errorf("generate benchmark database: %w", err)
		}
		db, err := sqlitedb.Open(ctx, e.path, sqlitedb.ReadWrite)
		if err != nil {
			return nil, err
		}
		err = CreateSubstringIndex(ctx, db)
		db.Close()
		if err != nil {
			return nil, err
		}
		e.ftsBuilt = true
	}
	var err error
	if e.db, err = Open(ctx, e.path); err != nil {
		return nil, err
	}
	if e.noFTS, err = Open(ctx, e.path); err != nil {
		return nil, err
	}
	e.noFTS.hasTagFTS, e.noFTS.hasTranslationFTS = false, false
	return e, e.sample(ctx)
}

// sample draws inputs from the file: random canonical tags that have a count
// (a prompt names tags that are used), random translations, and the three
// biggest formats.
func (e *benchEnv) sample(ctx context.Context) error {
	db := e.db.db
	var maxTag, maxTr int64
	if err := db.QueryRowContext(ctx, `SELECT count(*), max(tag_id) FROM TAGS`).Scan(&e.tagCount, &maxTag); err != nil {
		return err
	}
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(translation_id), 0) FROM TAG_TRANSLATIONS`).Scan(&maxTr); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(11, 12))
	for tries := 0; len(e.tags) < 2000 && tries < 100000; tries++ {
		var tag string
		err := db.QueryRowContext(ctx, `SELECT t.tag FROM TAGS t WHERE t.tag_id = ?
			AND EXISTS (SELECT 1 FROM TAG_STATUS s WHERE s.tag_id = t.tag_id AND s.alias = 0)
			AND EXISTS (SELECT 1 FROM TAG_USAGE_COUNTS u WHERE u.tag_id = t.tag_id)`, 1+r.Int64N(maxTag)).Scan(&tag)
		if err == nil {
			e.tags = append(e.tags, tag)
		} else if err != sql.ErrNoRows {
			return err
		}
	}
	for tries := 0; maxTr > 0 && len(e.translations) < 2000 && tries < 100000; tries++ {
		var text, lang string
		err := db.QueryRowContext(ctx, `SELECT translation, language FROM TAG_TRANSLATIONS
			WHERE translation_id = ? AND translation IS NOT NULL AND language IS NOT NULL`, 1+r.Int64N(maxTr)).Scan(&text, &lang)
		if err == nil {
			e.translations = append(e.translations, [2]string{text, lang})
		} else if err != sql.ErrNoRows {
			return err
		}
	}
	if len(e.tags) == 0 {
		return fmt.Errorf("%s: no canonical tag with a count to sample", e.path)
	}
	// The covering (format_id, type_id, tag_id) index makes this a scan of
	// the index, not the table.
	err := queryEach(ctx, db, `SELECT f.format_name, count(*) AS n FROM TAG_STATUS s JOIN TAG_FORMATS f USING (format_id)
		GROUP BY s.format_id ORDER BY n DESC LIMIT 3`, nil, func(r *sql.Rows) error {
		var name string
		var n int64
		err := r.Scan(&name, &n)
		e.topFormats = append(e.topFormats, name)
		e.statusRows += n
		return err
	})
	return err
}

// measure runs op b.N times and reports the p50 and p99 of its wall time
// and, where the OS provides it, of the CPU time its thread spent (cpu-p50-ms,
// cpu-p99-ms): on a busy shared machine wall time includes waiting for a core.
func measure(b *testing.B, op func(i int) error) {
	b.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	wall := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0, ok := threadCPU()
		start := time.Now()
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		wall = append(wall, time.Since(start))
		if c1, _ := threadCPU(); ok {
			cpu = append(cpu, c1-c0)
		}
	}
	b.StopTimer()
	b.ReportMetric(percentile(wall, 0.50), "p50-ms")
	b.ReportMetric(percentile(wall, 0.99), "p99-ms")
	if len(cpu) > 0 {
		b.ReportMetric(percentile(cpu, 0.50), "cpu-p50-ms")
		b.ReportMetric(percentile(cpu, 0.99), "cpu-p99-ms")
	}
}

// percentile returns the p-th percentile of ds in milliseconds (it sorts ds).
func percentile(ds []time.Duration, p float64) float64 {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Nanoseconds()) / 1e6
}

// caseVariant spells a stored tag the way a user might type it.
func caseVariant(tag string, i int) string {
	switch i % 3 {
	case 0:
		return tag
	case 1:
		return strings.ToUpper(tag)
	default:
		return strings.ReplaceAll(tag, " ", "_")
	}
}

func BenchmarkExact(b *testing.B) {
	e := loadBenchEnv(b)
	ctx := context.Background()
	measure(b, func(i int) error {
		m, err := e.db.Lookup(ctx, caseVariant(e.tags[i%len(e.tags)], i))
		if err == nil && !m.Found() {
			err = fmt.Errorf("%q not found", m.Query)
		}
		return err
	})
}

func BenchmarkResolve30(b *testing.B) {
	e := loadBenchEnv(b)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	prompts := make([][]string, 200)
	for i := range prompts {
		for j := 0; j < 30; j++ {
			t := caseVariant(e.tags[r.IntN(len(e.tags))], j)
			if j%10 == 9 {
				t += " nosuchtag" // a prompt has typos too
			}
			prompts[i] = append(prompts[i], t)
		}
	}
	measure(b, func(i int) error {
		ms, err := e.db.Resolve(ctx, prompts[i%len(prompts)])
		if err == nil && len(ms) != 30 {
			err = fmt.Errorf("%d matches for 30 tags", len(ms))
		}
		return err
	})
}

func BenchmarkTranslation(b *testing.B) {
	e := loadBenchEnv(b)
	if len(e.translations) == 0 {
		b.Skip("no translations in", e.path)
	}
	ctx := context.Background()
	measure(b, func(i int) error {
		tr := e.translations[i%len(e.translations)]
		_, err := e.db.ByTranslation(ctx, tr[0], tr[1])
		return err
	})
}

// prefixes are the sampled tags cut to 2 to 5 characters, one length in four
// each, as an autocomplete box sees them while the user types.
func (e *benchEnv) prefixes() []string {
	out := make([]string, 0, len(e.tags))
	for i, t := range e.tags {
		rs := []rune(t)
		out = append(out, string(rs[:min(len(rs), 2+i%4)]))
	}
	return out
}

// BenchmarkPrefix completes prefixes of 2 to 5 characters of real tags, top
// 10 by count, as an autocomplete box does while typing.
func BenchmarkPrefix(b *testing.B) {
	e := loadBenchEnv(b)
	ctx := context.Background()
	prefixes := e.prefixes()
	measure(b, func(i int) error {
		_, err := e.db.Prefix(ctx, prefixes[i%len(prefixes)], 10, Filter{})
		return err
	})
}

// BenchmarkPrefixFormat is BenchmarkPrefix restricted to the file's biggest
// format: TAG_PREFIX_TOP holds unfiltered answers only, so these are ranked
// from TAGS.
func BenchmarkPrefixFormat(b *testing.B) {
	e := loadBenchEnv(b)
	ctx := context.Background()
	prefixes := e.prefixes()
	f := Filter{Formats: e.topFormats[:1]}
	measure(b, func(i int) error {
		_, err := e.db.Prefix(ctx, prefixes[i%len(prefixes)], 10, f)
		return err
	})
}

// BenchmarkAllOf3 asks for the top 100 tags that are canonical in all three
// of the file's biggest formats.
func BenchmarkAllOf3(b *testing.B) {
	e := loadBenchEnv(b)
	ctx := context.Background()
	f := Filter{Formats: e.topFormats, Mode: AllOf}
	measure(b, func(int) error {
		tags, err := e.db.Find(ctx, f, 100)
		if err == nil && len(tags) == 0 {
			err = fmt.Errorf("no tag in all of %v", e.topFormats)
		}
		return err
	})
}

// substrings cuts 3 to 6 characters out of the middle of sampled tags.
func (e *benchEnv) substrings() []string {
	out := make([]string, 0, len(e.tags))
	for i, t := range e.tags {
		rs := []rune(t)
		n := min(len(rs), 3+i%4)
		start := (len(rs) - n) / 2
		if s := strings.TrimSpace(string(rs[start : start+n])); len([]rune(s)) >= 3 {
			out = append(out, s)
		}
	}
	return out
}

func BenchmarkSubstringFTS(b *testing.B) {
	e := loadBenchEnv(b)
	if !e.db.HasSubstringIndex() {
		b.Skipf("%s has no trigram index (build it with --fts)", e.path)
	}
	benchSubstring(b, e.db, e.substrings(), PathFTS)
}

func BenchmarkSubstringScan(b *testing.B) {
	e := loadBenchEnv(b)
	subs := e.substrings()
	benchSubstring(b, e.noFTS, subs[:min(len(subs), 50)], PathScan)
}

func benchSubstring(b *testing.B, d *DB, subs []string, want Path) {
	ctx := context.Background()
	measure(b, func(i int) error {
		_, path, err := d.Substring(ctx, subs[i%len(subs)], 20)
		if err == nil && path != want {
			err = fmt.Errorf("path %s, want %s", path, want)
		}
		return err
	})
}
