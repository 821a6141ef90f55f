package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/tagdb/tagdb-action/synthetic"
)

func cmdGen(e *env, args []string) error {
	fs := newFlags(e, "gen", "--out DIR [--scale 1.0] [--seed N] [--workers 2]", `
Write a synthetic stand-in for the full-size build inputs into DIR: the 18
deepghs/site_tags folders (site_tags/<domain>/tags.sqlite, each with the real
site's columns and row counts times --scale), a tags_v4-scale base DB
(base/tags_v4_base.sqlite), the p1atdev translation parquet
(translations/p1atdev.parquet) and a sources.yml over them. The same seed and
scale always give byte-identical files. Scale 1.0 is about 8.6M site rows
(10.5M input rows with the base and the parquet) in 1.3 GB; build it with:

  tagdb build --sources DIR/sources.yml --profile cc4 --base DIR/base/tags_v4_base.sqlite --out OUT`)
	out := fs.String("out", "", "folder to write into (created if missing)")
	scale := fs.Float64("scale", 1.0, fmt.Sprintf("row counts relative to the real data, in (0, %d]", synthetic.MaxScale))
	seed := fs.Uint64("seed", 1, "data set seed")
	workers := fs.Int("workers", 2, "files written at once")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required")
	}
	if *scale <= 0 || *scale > synthetic.MaxScale {
		return usagef("--scale %g: must be in (0, %d]", *scale, synthetic.MaxScale)
	}
	if *workers < 1 {
		return usagef("--workers %d: must be at least 1", *workers)
	}
	sum, err := synthetic.Generate(e.ctx, synthetic.Options{
		Out: *out, Scale: *scale, Seed: *seed, Workers: *workers, Progress: e.stderr,
	})
	if err != nil {
		return err
	}
	printGenSummary(e, sum)
	return nil
}

func printGenSummary(e *env, s *synthetic.Summary) {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "file\ttags\taliases\tother\tMiB\tseconds\t\n")
	var bytes int64
	for _, st := range s.Sites {
		fmt.Fprintf(tw, "site_tags/%s\t%d\t%d\t%d\t%.1f\t%.1f\t\n", st.Domain, st.Tags, st.Aliases, st.Other, mib(st.Bytes), st.Elapsed.Seconds())
		bytes += st.Bytes
	}
	b := s.Base
	fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.1f\t%.1f\t\n", synthetic.BasePath, b.Tags, b.AliasTag, b.Status+b.Usage+b.Translations, mib(b.Bytes), b.Elapsed.Seconds())
	p := s.Parquet
	fmt.Fprintf(tw, "%s\t%d\t\t\t%.1f\t%.1f\t\n", synthetic.ParquetPath, p.Rows, mib(p.Bytes), p.Elapsed.Seconds())
	tw.Flush()
	bytes += b.Bytes + p.Bytes
	fmt.Fprintf(e.stdout, "input rows %d, %.1f MiB, in %s (scale %g, seed %d)\n", s.InputRows, mib(bytes), s.Elapsed.Round(time.Millisecond), s.Scale, s.Seed)
	fmt.Fprintf(e.stdout, "manifest %s\n", s.Manifest)
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }
