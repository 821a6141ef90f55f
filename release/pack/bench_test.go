package pack

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// benchDB builds a SQLite file shaped like the tag database (a tags table with
// names, categories, counts and aliases, plus an index on the name) so that
// the compression ratio and speed measured are those of real pages. Tag
// names come from the shared danbooru list when it is present, else from a
// generator. Each copy of the list gets a suffix so that pages differ.
func benchDB(b *testing.B, copies int) string {
	b.Helper()
	names := sharedTagNames()
	if len(names) == 0 {
		for i := range 100_000 {
			names = append(names, fmt.Sprintf("tag_%d_%s", i, strings.Repeat("x", i%13)))
		}
	}
	p := filepath.Join(b.TempDir(), "bench.sqlite")
	ctx := context.Background()
	db, err := sqlitedb.Open(ctx, p, sqlitedb.Bulk)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	mustExec(b, db, `CREATE TABLE tags(id INTEGER PRIMARY KEY, name TEXT NOT NULL, category INTEGER, count INTEGER, aliases TEXT)`)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	st, err := tx.Prepare(`INSERT INTO tags(name, category, count, aliases) VALUES (?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	for c := range copies {
		for i, n := range names {
			if _, err := st.Exec(fmt.Sprintf("%s_%d", n, c), i%6, (i*7919)%1_000_003, n+"_alias,"+n+"_2"); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	mustExec(b, db, `CREATE INDEX tags_name ON tags(name)`)
	return p
}

func sharedTagNames() []string {
	f, err := os.Open(filepath.Join("..", "..", "..", "shared", "data", "tagcomplete", "danbooru.csv"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if name, _, ok := strings.Cut(sc.Text(), ","); ok && name != "" {
			names = append(names, name)
		}
	}
	return names
}

func mustExec(b *testing.B, db *sql.DB, q string) {
	b.Helper()
	if _, err := db.Exec(q); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCompress reports MB/s of input consumed, so the numbers compare
// directly with the 200 MB/s target for zstd.
func BenchmarkCompress(b *testing.B) {
	src := benchDB(b, 4)
	st, err := os.Stat(src)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []Method{Zstd, ZstdFast, Gzip, None} {
		b.Run(string(m), func(b *testing.B) {
			dst := filepath.Join(b.TempDir(), "out"+m.Ext())
			b.SetBytes(st.Size())
			var out File
			for b.Loop() {
				out, err = Compress(context.Background(), src, dst, m)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out.Size)/float64(st.Size()), "ratio")
			b.ReportMetric(float64(st.Size())/(1<<20), "inputMiB")
		})
	}
}

func BenchmarkHashFile(b *testing.B) {
	src := benchDB(b, 2)
	st, _ := os.Stat(src)
	b.SetBytes(st.Size())
	for b.Loop() {
		if _, err := HashFile(context.Background(), src); err != nil {
			b.Fatal(err)
		}
	}
}
