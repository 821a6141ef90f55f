package synthetic

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkSite measures one site file end to end (rows/s is the figure that
// decides how long `tagdb gen --scale 1` takes).
func BenchmarkSite(b *testing.B) {
	for _, domain := range []string{"danbooru.donmai.us", "chan.sankakucomplex.com", "zerochan.net"} {
		b.Run(domain, func(b *testing.B) {
			specs := siteSpecs()
			un := newUniverse(1, specs)
			var sp *siteSpec
			for _, s := range specs {
				if s.domain == domain {
					sp = s
				}
			}
			dir := b.TempDir()
			rows := 0
			for i := 0; i < b.N; i++ {
				g := newSiteGen(un, sp, 0.1)
				s, err := g.write(context.Background(), filepath.Join(dir, "tags.sqlite"), &progress{})
				if err != nil {
					b.Fatal(err)
				}
				rows += int(s.Tags + s.Aliases + s.Other)
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkBase measures the base DB (migrations, TAGS with the alias
// fallback pass, the other three tables, the reader indexes).
func BenchmarkBase(b *testing.B) {
	specs := siteSpecs()
	un := newUniverse(1, specs)
	dir := b.TempDir()
	rows := 0
	for i := 0; i < b.N; i++ {
		g := newBaseGen(un, specs, 0.1)
		s, err := g.write(context.Background(), filepath.Join(dir, "base.sqlite"), applyMigrations, &progress{})
		if err != nil {
			b.Fatal(err)
		}
		rows += int(s.Tags + s.Status + s.Usage + s.Translations)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
