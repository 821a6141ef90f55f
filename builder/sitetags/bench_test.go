package sitetags

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// benchRows is the size of the generated danbooru-shaped file.
const benchRows = 200_000

// generateDanbooru writes a danbooru-layout tags.sqlite of n rows, with
// offset timestamps on every row and an alias for every 40th tag, into dir.
func generateDanbooru(tb testing.TB, dir string, n int) Site {
	tb.Helper()
	site := filepath.Join(dir, "danbooru.donmai.us")
	if err := os.MkdirAll(site, 0o755); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(site, sqliteFile)
	script := `
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "post_count" INTEGER, "category" INTEGER,
  "created_at" TIMESTAMP, "updated_at" TIMESTAMP, "is_deprecated" INTEGER, "words" TEXT);
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ` + strconv.Itoa(n-1) + `)
INSERT INTO "tags" SELECT i, i + 1,
  CASE i % 4 WHEN 0 THEN 'long_hair_' || i WHEN 1 THEN 'character_(series)_' || i WHEN 2 THEN 'a' || i ELSE 'artist_name_with_a_long_tail_' || i END,
  (i * 7919) % 5000000, (i % 6) - (i % 6 = 2), printf('20%02d-%02d-%02d %02d:%02d:%02d.%06d-05:00', 10 + i % 14, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 60, i % 999999),
  printf('2024-%02d-%02dT%02d:%02d:%02d.%03d-04:00', 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 60, i % 1000),
  i % 500 = 0, '["word"]' FROM n;
INSERT INTO "tag_aliases" SELECT "index", 'alias_of_' || name, name FROM "tags" WHERE "index" % 40 = 0;`
	// 4 KiB pages, as pandas leaves the real files.
	if err := buildSQLitePages(context.Background(), path, script, 4096); err != nil {
		tb.Fatal(err)
	}
	return Site{Domain: "danbooru.donmai.us", Format: 1, Path: path}
}

// BenchmarkDanbooru measures reading and emitting danbooru-shaped rows: open
// (alias load and resolution included), every Next, close.
func BenchmarkDanbooru(b *testing.B) {
	site := generateDanbooru(b, b.TempDir(), benchRows)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	var rows int64
	c0 := cpuTime()
	for b.Loop() {
		src, err := Open(ctx, site, Options{Events: record.Discard{}})
		if err != nil {
			b.Fatal(err)
		}
		for {
			batch, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows += int64(len(batch))
		}
		src.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	// CPU seconds of the whole process (GC included): the per-core rate,
	// which stays meaningful when other jobs share the machine.
	b.ReportMetric(float64(rows)/(cpuTime()-c0).Seconds(), "rows/cpu-s")
}

// cpuTime is the user+system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAliasIndexZerochan builds and resolves an alias index of
// zerochan's size (507k aliases onto 460k names, most without a tags row) and
// reports the heap it keeps, per alias.
func BenchmarkAliasIndexZerochan(b *testing.B) {
	const aliases = 507_000
	names := make([][2]string, aliases)
	for i := range names {
		names[i] = [2]string{"Alias Name Number " + strconv.Itoa(i), "Canonical Tag " + strconv.Itoa(i*9/10)}
	}
	var kept uint64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		x := newAliasIndex("tag_aliases rowid ", true)
		for i, p := range names {
			x.add(int64(i+1), p[0], p[1])
		}
		x.resolve("zerochan.net", nil, func(string, string) {}, func(record.AliasConflict) {})
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(x)
	}
	b.ReportMetric(float64(kept)/aliases, "heap-B/alias")
}

// BenchmarkDriverScan is the floor under BenchmarkDanbooru: the same query
// over the same file, scanned and thrown away. The difference between the two
// is the adapter's own cost.
func BenchmarkDriverScan(b *testing.B) {
	site := generateDanbooru(b, b.TempDir(), benchRows)
	ctx := context.Background()
	var rows int64
	c0 := cpuTime()
	for b.Loop() {
		db, err := sqlitedb.Open(ctx, site.Path, sqlitedb.ReadOnly)
		if err != nil {
			b.Fatal(err)
		}
		rs, err := db.QueryContext(ctx, `SELECT rowid, +"name", +"post_count", +"category", +"is_deprecated",
			+"created_at", +"updated_at" FROM "tags" ORDER BY rowid`)
		if err != nil {
			b.Fatal(err)
		}
		vals := make([]any, 7)
		dest := make([]any, 7)
		for i := range vals {
			dest[i] = &vals[i]
		}
		for rs.Next() {
			if err := rs.Scan(dest...); err != nil {
				b.Fatal(err)
			}
			rows++
		}
		rs.Close()
		db.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/(cpuTime()-c0).Seconds(), "rows/cpu-s")
}
