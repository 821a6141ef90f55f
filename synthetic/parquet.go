package synthetic

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/tagdb/tagdb-action/internal/files"
)

// p1atdevRow is the layout of p1atdev/danbooru-ja-tag-pair
// (docs/merge-rules.md, "Sources and kinds"): a danbooru wiki page id, its
// title (the tag, with underscores), its other names (Japanese mixed with
// Chinese), a deletion flag and a type.
type p1atdevRow struct {
	ID         int64    `parquet:"id"`
	Title      string   `parquet:"title"`
	OtherNames []string `parquet:"other_names,list"`
	IsDeleted  bool     `parquet:"is_deleted"`
	Type       string   `parquet:"type"`
}

const (
	parquetRealRows = 200000 // ids reach about 212k in the real set
	parquetDeleted  = 0.03
	parquetChinese  = 0.25 // share of other_names entries that are Chinese
	parquetBatch    = 1024
)

type parquetGen struct {
	un    *universe
	r     rng
	n     int
	p     float64 // chance that an eligible universe index is picked
	scale float64
}

func newParquetGen(un *universe, specs []*siteSpec, scale float64) *parquetGen {
	g := &parquetGen{un: un, r: un.r, n: scaled(parquetRealRows, scale), scale: scale}
	// Spread the picks over the danbooru rows: about 61% of universe indices
	// are not artists (danbooru's distribution), and those are the ones with
	// wiki pages that list other names.
	danbooruRows := scaled(1593780, scale)
	for _, sp := range specs {
		if sp.domain == danbooruDomain {
			danbooruRows = scaled(sp.tags, scale)
		}
	}
	g.p = min(1, float64(g.n)/(0.61*float64(danbooruRows)))
	return g
}

func (g *parquetGen) cost() int { return g.n * 8 }

func (g *parquetGen) write(ctx context.Context, path string, pr *progress) (FileSummary, error) {
	start := time.Now()
	s := FileSummary{Path: path}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return s, err
	}
	f, err := files.Create(path, 0o666)
	if err != nil {
		return s, err
	}
	defer f.Abort() // a no-op once committed
	tmp := f.Name()
	task := pr.start("p1atdev.parquet", g.n)
	w := parquet.NewGenericWriter[p1atdevRow](f,
		parquet.Compression(&parquet.Zstd),
		parquet.MaxRowsPerRowGroup(64<<10),
		// Pinned: the default names the parquet-go build found in the binary's
		// build info, which would make the bytes depend on how tagdb was built.
		parquet.CreatedBy("tagdb gen", "1", "synthetic"),
	)
	batch := make([]p1atdevRow, 0, parquetBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := w.Write(batch); err != nil {
			return fmt.Errorf("%s: %w", tmp, err)
		}
		batch = batch[:0]
		return nil
	}
	var buf []byte
	u := uint64(0)
	for k := 0; k < g.n; k++ {
		if k%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return s, err
			}
			task.at(k)
		}
		var kd kind
		for {
			kd = g.un.kind(u)
			if kd != kArtist && g.r.f(stParquet, 0, u) < g.p {
				break
			}
			u++
		}
		buf = g.un.name(buf[:0], u)
		row := p1atdevRow{
			ID:        int64(1 + k + k/16),
			Title:     string(buf),
			IsDeleted: g.r.f(stParquet, 1, u) < parquetDeleted,
			Type:      "general",
		}
		switch kd {
		case kCharacter:
			row.Type = "character"
		case kCopyright:
			row.Type = "copyright"
		}
		// 1 to 11 names, most tags having one or two.
		m := 1
		for x := g.r.f(stParquet, 2, u); x < 0.45 && m < 11; x *= 1.6 {
			m++
		}
		for i := 0; i < m; i++ {
			sc := scriptJapanese
			if g.r.f(stParquet, 10+uint64(i), u) < parquetChinese {
				sc = scriptChinese
			}
			buf = appendTranslation(buf[:0], g.un, u, sc, 200+uint64(i))
			row.OtherNames = append(row.OtherNames, string(buf))
		}
		batch = append(batch, row)
		if len(batch) == parquetBatch {
			if err := flush(); err != nil {
				return s, err
			}
		}
		u++
	}
	if err := flush(); err != nil {
		return s, err
	}
	if err := w.Close(); err != nil {
		return s, fmt.Errorf("%s: %w", tmp, err)
	}
	if err := f.Commit(); err != nil {
		return s, err
	}
	s.Rows = int64(g.n)
	s.Bytes = fileSize(path)
	s.Elapsed = time.Since(start)
	task.done(s.Rows)
	return s, nil
}
