package synthetic

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/migrations"
)

// Options configure Generate.
type Options struct {
	// Out is the folder to write into; it is created if missing. Files the
	// generator owns are replaced, anything else in it is left alone.
	Out string
	// Scale multiplies every real row count (1.0 = the real snapshot's size,
	// about 8.6M site rows). 0 means 1.0.
	Scale float64
	// Seed selects the data set: the same seed and scale give byte-identical
	// files.
	Seed uint64
	// Progress receives one line per file started and finished, and a line
	// with rows/s and an ETA every few seconds for long ones. nil: silent.
	Progress io.Writer
	// Workers is how many files are written at once (default 2).
	Workers int
	// Schema creates the tagdb schema in the empty base DB. nil: apply the
	// embedded migrations with a fixed applied_at stamp (tests may pass
	// another schema, or a failing one).
	Schema func(ctx context.Context, db *sql.DB) error
}

// Summary says what Generate wrote.
type Summary struct {
	Out      string
	Scale    float64
	Seed     uint64
	Sites    []SiteSummary // in domain order
	Base     BaseSummary
	Parquet  FileSummary
	Manifest string // sources.yml
	// InputRows counts every row a full build reads: site tags and alias
	// rows, the base DB's TAGS rows, and the parquet rows.
	InputRows int64
	Elapsed   time.Duration
}

// SiteSummary describes one site's tags.sqlite.
type SiteSummary struct {
	Domain  string
	Format  int // the builder's TAG_FORMATS.format_id for the domain
	Path    string
	Tags    int64
	Aliases int64 // tag_aliases rows (anime-pictures: rows with a non-zero alias id are not counted here)
	Other   int64 // rows of other tables (sankaku parents/children)
	Bytes   int64
	Elapsed time.Duration
}

// BaseSummary describes the tags_v4-scale base DB.
type BaseSummary struct {
	Path                                        string
	Tags, Status, Usage, Translations, AliasTag int64
	Bytes                                       int64
	Elapsed                                     time.Duration
}

// FileSummary describes a single generated file.
type FileSummary struct {
	Path    string
	Rows    int64
	Bytes   int64
	Elapsed time.Duration
}

// Layout of the output folder, relative to Options.Out.
const (
	SiteTagsDir  = "site_tags"
	BasePath     = "base/tags_v4_base.sqlite"
	ParquetPath  = "translations/p1atdev.parquet"
	ManifestPath = "sources.yml"
)

// Generate writes the synthetic input set: the 18 site_tags files, the base
// DB, the p1atdev parquet and sources.yml. Files are written in parallel
// (Options.Workers); each one depends only on the seed and the scale.
func Generate(ctx context.Context, opt Options) (*Summary, error) {
	start := time.Now()
	if opt.Out == "" {
		return nil, errors.New("gen: no output folder")
	}
	if opt.Scale == 0 {
		opt.Scale = 1
	}
	if opt.Scale < 0 || opt.Scale > MaxScale {
		return nil, fmt.Errorf("gen: scale %g out of range (0, %d]", opt.Scale, MaxScale)
	}
	if opt.Schema == nil {
		opt.Schema = applyMigrations
	}
	if opt.Workers <= 0 {
		opt.Workers = 2
	}
	specs := siteSpecs()
	un := newUniverse(opt.Seed, specs)
	pr := &progress{w: opt.Progress}

	sum := &Summary{Out: opt.Out, Scale: opt.Scale, Seed: opt.Seed, Manifest: filepath.Join(opt.Out, ManifestPath)}
	sum.Sites = make([]SiteSummary, len(specs))
	byDomain := map[string]int{}
	for i, sp := range specs {
		byDomain[sp.domain] = i
	}

	var jobs []job
	for i, sp := range specs {
		if sp.copyOf != "" {
			continue // written by its original's job
		}
		g := newSiteGen(un, sp, opt.Scale)
		jobs = append(jobs, job{name: sp.domain, cost: g.cost(), run: func(ctx context.Context) error {
			s, err := g.write(ctx, filepath.Join(opt.Out, SiteTagsDir, sp.domain, "tags.sqlite"), pr)
			if err != nil {
				return err
			}
			sum.Sites[i] = s
			for _, c := range specs {
				if c.copyOf == sp.domain {
					cs, err := copySite(s, filepath.Join(opt.Out, SiteTagsDir, c.domain, "tags.sqlite"))
					if err != nil {
						return err
					}
					cs.Domain, cs.Format = c.domain, c.format
					sum.Sites[byDomain[c.domain]] = cs
				}
			}
			return nil
		}})
	}
	bg := newBaseGen(un, specs, opt.Scale)
	jobs = append(jobs, job{name: "base", cost: bg.cost(), run: func(ctx context.Context) error {
		b, err := bg.write(ctx, filepath.Join(opt.Out, BasePath), opt.Schema, pr)
		sum.Base = b
		return err
	}})
	pg := newParquetGen(un, specs, opt.Scale)
	jobs = append(jobs, job{name: "parquet", cost: pg.cost(), run: func(ctx context.Context) error {
		p, err := pg.write(ctx, filepath.Join(opt.Out, ParquetPath), pr)
		sum.Parquet = p
		return err
	}})

	if err := runJobs(ctx, jobs, opt.Workers); err != nil {
		return nil, err
	}
	if err := writeManifest(sum.Manifest); err != nil {
		return nil, err
	}
	sort.Slice(sum.Sites, func(i, j int) bool { return sum.Sites[i].Domain < sum.Sites[j].Domain })
	for _, s := range sum.Sites {
		sum.InputRows += s.Tags + s.Aliases
	}
	sum.InputRows += sum.Base.Tags + sum.Parquet.Rows
	sum.Elapsed = time.Since(start)
	pr.printf("gen: done: %d input rows in %s", sum.InputRows, sum.Elapsed.Round(time.Millisecond))
	return sum, nil
}

// baseTime is the base DB's one timestamp: its rows' created_at/updated_at
// and the migrations' applied_at. A clock time would make every run differ.
func baseTime() time.Time { return time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC) }

func applyMigrations(ctx context.Context, db *sql.DB) error {
	_, err := migrations.Apply(ctx, db, migrations.Options{Now: baseTime})
	return err
}

// job is one output file. cost estimates its run time, to start the longest
// first (two workers then finish close together).
type job struct {
	name string
	cost int
	run  func(ctx context.Context) error
}

func runJobs(ctx context.Context, jobs []job, workers int) error {
	sort.SliceStable(jobs, func(i, j int) bool { return jobs[i].cost > jobs[j].cost })
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan job)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				if err := j.run(ctx); err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("gen: %s: %w", j.name, err)
					}
					mu.Unlock()
					cancel()
				}
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// cost is a site's rows weighted by how wide they are.
func (g *siteGen) cost() int {
	w := len(g.columns())
	return g.n*(4+w) + g.nAlias*5
}

// write generates the site's tags.sqlite at path.
func (g *siteGen) write(ctx context.Context, path string, pr *progress) (SiteSummary, error) {
	start := time.Now()
	s := SiteSummary{Domain: g.sp.domain, Format: g.sp.format, Path: path}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return s, err
	}
	db, tmp, err := openFresh(ctx, path, 32<<10)
	if err != nil {
		return s, err
	}
	defer tmp.Abort() // a no-op once finished
	defer db.Close()
	total := g.n + g.nAlias
	task := pr.start(g.sp.domain, total)
	err = func() error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		cols := g.columns()
		if err := createPandasTable(ctx, tx, "tags", cols); err != nil {
			return err
		}
		names := []string{"index"}
		for _, c := range cols {
			names = append(names, c.name)
		}
		w, err := newTableWriter(ctx, tx, "tags", names)
		if err != nil {
			return err
		}
		if err := g.writeTags(ctx, w, task.at); err != nil {
			return err
		}
		if err := w.close(); err != nil {
			return err
		}
		if err := indexPandasTable(ctx, tx, "tags"); err != nil {
			return err
		}
		s.Tags = w.rows
		if g.sp.aliases > 0 {
			task.at(g.n)
			aliasCols := []column{{"alias", "TEXT"}, {"tag", "TEXT"}}
			if err := createPandasTable(ctx, tx, "tag_aliases", aliasCols); err != nil {
				return err
			}
			w, err := newTableWriter(ctx, tx, "tag_aliases", []string{"index", "alias", "tag"})
			if err != nil {
				return err
			}
			if err := g.writeAliases(ctx, w); err != nil {
				return err
			}
			if err := w.close(); err != nil {
				return err
			}
			if err := indexPandasTable(ctx, tx, "tag_aliases"); err != nil {
				return err
			}
			s.Aliases = w.rows
		}
		if g.sp.family == famSankaku {
			for i, l := range []struct {
				table, col string
				rows       int
			}{{"parents", "parent_id", g.sp.parents}, {"children", "child_id", g.sp.children}, {"relations", "related_id", 0}} {
				if err := createPandasTable(ctx, tx, l.table, []column{{"tag_id", "INTEGER"}, {l.col, "INTEGER"}}); err != nil {
					return err
				}
				w, err := newTableWriter(ctx, tx, l.table, []string{"index", "tag_id", l.col})
				if err != nil {
					return err
				}
				if err := g.writeLinks(ctx, w, scaled(l.rows, g.n64()), uint64(100+10*i)); err != nil {
					return fmt.Errorf("%s: %w", l.table, err)
				}
				if err := w.close(); err != nil {
					return err
				}
				if err := indexPandasTable(ctx, tx, l.table); err != nil {
					return err
				}
				s.Other += w.rows
			}
		}
		return tx.Commit()
	}()
	if err != nil {
		return s, fmt.Errorf("%s: %w", path, err)
	}
	if err := finish(db, tmp); err != nil {
		return s, err
	}
	s.Bytes = fileSize(path)
	s.Elapsed = time.Since(start)
	task.done(s.Tags + s.Aliases + s.Other)
	return s, nil
}

// n64 is the site's scale as realised (rows written / real rows), so the
// secondary tables scale with the tags table.
func (g *siteGen) n64() float64 { return float64(g.n) / float64(g.sp.tags) }

// copySite writes a byte copy of a finished site file (konachan.net is
// konachan.com in the real snapshot).
func copySite(s SiteSummary, path string) (SiteSummary, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return s, err
	}
	in, err := os.Open(s.Path)
	if err != nil {
		return s, err
	}
	defer in.Close()
	if err := files.WriteAtomic(path, 0o666, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	}); err != nil {
		return s, fmt.Errorf("copy %s to %s: %w", s.Path, path, err)
	}
	s.Path = path
	return s, nil
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}
