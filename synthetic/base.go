package synthetic

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// The base DB stands in for tags_v4.db / the published CC0 file that a real
// build starts from: about a million tags in our schema, mostly danbooru tags
// of the shared universe plus e621's own, with aliases, counts and Japanese
// and Chinese translations.
const (
	baseRealTags   = 993514 // tags_v4.db (docs/site-tags.md, "Snapshot figures")
	baseAliasFrac  = 0.08   // TAGS rows that are aliases
	baseSharedFrac = 0.75   // canonical tags from the shared (danbooru) universe
	baseShareDens  = 0.9    // how densely they cover it
	baseE621Dens   = 0.8    // how densely the rest covers e621's own tags
	baseAlsoE621   = 0.25   // shared tags that also have an e621 status
	baseStamp      = "2024-11-01 00:00:00"
	baseVersionKey = "version"
	formatDanbooru = 1
	formatE621     = 2
	e621Group      = 3
	danbooruDomain = "danbooru.donmai.us"
	e621Domain     = "e621.net"
	baseJaRate     = 0.30
	baseJa2Rate    = 0.10
	baseZhRate     = 0.08
)

type baseGen struct {
	un       *universe
	r        rng
	n        int
	danbooru *siteGen // for type numbers, counts and alias spellings
	e621     *siteGen
	seed     uint64
	scale    float64
}

func newBaseGen(un *universe, specs []*siteSpec, scale float64) *baseGen {
	b := &baseGen{un: un, r: un.r, n: scaled(baseRealTags, scale), seed: un.r.seed, scale: scale}
	for _, sp := range specs {
		switch sp.domain {
		case danbooruDomain:
			b.danbooru = newSiteGen(un, sp, scale)
		case e621Domain:
			b.e621 = newSiteGen(un, sp, scale)
		}
	}
	return b
}

func (b *baseGen) cost() int { return b.n * 30 }

// isAlias reports whether tag id t (1-based) is an alias, and otherwise its
// canonical ordinal.
func (b *baseGen) isAlias(t int) (bool, int) {
	picked, before := bresenham(t-1, baseAliasFrac)
	return picked, t - 1 - before
}

// canonical is the universe index of canonical ordinal c and whether it comes
// from the shared universe (else from e621's own tags), with its index there.
func (b *baseGen) canonical(c int) (u uint64, shared bool, j int) {
	picked, before := bresenham(c, baseSharedFrac)
	if picked {
		return b.un.sharedU(stBase, before, baseShareDens), true, before
	}
	// Density 0.8 means steps of 1.25, so floor keeps j strictly increasing.
	j = int(float64(c-before) / baseE621Dens)
	return privateU(e621Group, j), false, j
}

// formats lists the formats a canonical tag has a status in.
func (b *baseGen) formats(u uint64, shared bool) (danbooru, e621 bool) {
	if !shared {
		return false, true
	}
	return true, b.r.f(stBaseFormat, 0, u) < baseAlsoE621
}

// preferred picks the canonical tag an alias t points at.
func (b *baseGen) preferred(t int) int {
	p := 1 + b.r.n(stBasePref, 0, uint64(t), b.n)
	for i := 0; i < b.n; i++ {
		q := (p-1+i)%b.n + 1
		if alias, _ := b.isAlias(q); !alias && q != t {
			return q
		}
	}
	return 0 // a base of a single tag has no alias target; not reached for n > 1
}

// tagOf is the universe index and source spelling of canonical tag t.
func (b *baseGen) tagOf(dst []byte, t int) ([]byte, uint64, bool, int) {
	_, c := b.isAlias(t)
	u, shared, j := b.canonical(c)
	return b.un.name(dst, u), u, shared, j
}

func (b *baseGen) write(ctx context.Context, path string, schema func(context.Context, *sql.DB) error, pr *progress) (BaseSummary, error) {
	start := time.Now()
	s := BaseSummary{Path: path}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return s, err
	}
	db, tmp, err := openFresh(ctx, path, 96<<10)
	if err != nil {
		return s, err
	}
	defer tmp.Abort() // a no-op once finished
	defer db.Close()
	task := pr.start("base", b.n*3)
	if err := schema(ctx, db); err != nil {
		return s, fmt.Errorf("%s: create schema: %w", tmp.Name(), err)
	}
	if err := b.fill(ctx, db, &s, task); err != nil {
		return s, fmt.Errorf("%s: %w", tmp.Name(), err)
	}
	if err := finish(db, tmp); err != nil {
		return s, err
	}
	s.Bytes = fileSize(path)
	s.Elapsed = time.Since(start)
	task.done(s.Tags + s.Status + s.Usage + s.Translations)
	return s, nil
}

type indexDef struct{ name, sql string }

// secondaryIndexes lists the explicit indexes the schema created, so they can
// be dropped for the load and rebuilt after it from their own DDL.
func secondaryIndexes(ctx context.Context, tx *sql.Tx) ([]indexDef, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []indexDef
	for rows.Next() {
		var d indexDef
		if err := rows.Scan(&d.name, &d.sql); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (b *baseGen) fill(ctx context.Context, db *sql.DB, s *BaseSummary, task *task) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	idx, err := secondaryIndexes(ctx, tx)
	if err != nil {
		return fmt.Errorf("list indexes: %w", err)
	}
	for _, d := range idx {
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+sqlitedb.QuoteIdent(d.name)); err != nil {
			return fmt.Errorf("drop index %s: %w", d.name, err)
		}
	}
	if err := b.writeTags(ctx, tx, s, task); err != nil {
		return err
	}
	if err := b.writeRest(ctx, tx, s, task); err != nil {
		return err
	}
	version := "synthetic-tags_v4-seed" + strconv.FormatUint(b.seed, 10) + "-scale" + strconv.FormatFloat(b.scale, 'g', -1, 64)
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO DATABASE_METADATA (key, value) VALUES (?, ?)`, baseVersionKey, version); err != nil {
		return fmt.Errorf("DATABASE_METADATA: %w", err)
	}
	for _, d := range idx {
		if _, err := tx.ExecContext(ctx, d.sql); err != nil {
			return fmt.Errorf("create index %s: %w", d.name, err)
		}
	}
	return tx.Commit()
}

// writeTags writes TAGS: the canonical tags in id order, then the aliases
// with INSERT OR IGNORE (an alias spelling may normalise to a tag that
// exists), then a guaranteed-unique spelling for each alias that was ignored.
func (b *baseGen) writeTags(ctx context.Context, tx *sql.Tx, s *BaseSummary, task *task) error {
	cols := []string{"tag_id", "source_tag", "tag", "created_at", "updated_at"}
	w, err := newTableWriter(ctx, tx, "TAGS", cols)
	if err != nil {
		return err
	}
	var buf []byte
	for t := 1; t <= b.n; t++ {
		if t%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			task.at(t / 2)
		}
		if alias, _ := b.isAlias(t); alias {
			continue
		}
		var u uint64
		buf, u, _, _ = b.tagOf(buf[:0], t)
		k := b.un.kaomoji(u)
		raw := string(buf)
		if err := w.row(int64(t), sourceTag(raw, k), normalizeTag(raw, k), baseStamp, baseStamp); err != nil {
			return fmt.Errorf("TAGS tag_id %d: %w", t, err)
		}
	}
	if err := w.close(); err != nil {
		return err
	}
	aw, err := newIgnoringWriter(ctx, tx, "TAGS", cols)
	if err != nil {
		return err
	}
	var vb []byte
	for t := 1; t <= b.n; t++ {
		if alias, _ := b.isAlias(t); !alias {
			continue
		}
		p := b.preferred(t)
		var pu uint64
		buf, pu, _, _ = b.tagOf(buf[:0], p)
		// j beyond every site's alias rows: the base's fresh alias names are
		// its own.
		vb = b.danbooru.variant(vb[:0], t+1<<28, pu, buf)
		raw := string(vb)
		if err := aw.row(int64(t), sourceTag(raw, false), normalizeTag(raw, false), baseStamp, baseStamp); err != nil {
			return fmt.Errorf("TAGS alias tag_id %d: %w", t, err)
		}
	}
	if err := aw.close(); err != nil {
		return err
	}
	missing, err := missingIDs(ctx, tx, b.n)
	if err != nil {
		return err
	}
	for _, t := range missing {
		vb = b.un.name(vb[:0], baseAliasU+uint64(t))
		raw := string(vb)
		if _, err := tx.ExecContext(ctx, `INSERT INTO TAGS (tag_id, source_tag, tag, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			t, sourceTag(raw, false), normalizeTag(raw, false), baseStamp, baseStamp); err != nil {
			return fmt.Errorf("TAGS alias tag_id %d (fallback %q): %w", t, raw, err)
		}
	}
	s.Tags = int64(b.n)
	s.AliasTag = aw.rows // rows offered, including those re-spelled above
	return nil
}

// missingIDs lists the ids in 1..n that TAGS lacks, reading ids in order.
func missingIDs(ctx context.Context, tx *sql.Tx, n int) ([]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT tag_id FROM TAGS ORDER BY tag_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	next := 1
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		for ; next < id; next++ {
			out = append(out, next)
		}
		next = id + 1
	}
	for ; next <= n; next++ {
		out = append(out, next)
	}
	return out, rows.Err()
}

// writeRest writes TAG_STATUS, TAG_USAGE_COUNTS and TAG_TRANSLATIONS in one
// pass over the tag ids, each in primary-key order.
func (b *baseGen) writeRest(ctx context.Context, tx *sql.Tx, s *BaseSummary, task *task) error {
	st, err := newTableWriter(ctx, tx, "TAG_STATUS", []string{"tag_id", "format_id", "type_id", "alias",
		"preferred_tag_id", "deprecated", "deprecated_at", "source_created_at", "created_at", "updated_at"})
	if err != nil {
		return err
	}
	uc, err := newTableWriter(ctx, tx, "TAG_USAGE_COUNTS", []string{"tag_id", "format_id", "count", "created_at", "updated_at"})
	if err != nil {
		return err
	}
	tr, err := newTableWriter(ctx, tx, "TAG_TRANSLATIONS", []string{"translation_id", "tag_id", "language", "translation",
		"created_at", "updated_at"})
	if err != nil {
		return err
	}
	var buf, tb, tb2 []byte
	trID := int64(0)
	for t := 1; t <= b.n; t++ {
		if t%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			task.at(b.n + 2*t)
		}
		alias, _ := b.isAlias(t)
		pref := t
		if alias {
			pref = b.preferred(t)
		}
		var u uint64
		var shared bool
		var j int
		buf, u, shared, j = b.tagOf(buf[:0], pref)
		kd := b.un.kind(u)
		onD, onE := b.formats(u, shared)
		a, dep := int64(0), int64(0)
		if alias {
			a, dep = 1, 1
		}
		h := b.r.f(stType, b.danbooru.salt, u)
		if onD {
			if err := st.row(int64(t), int64(formatDanbooru), b.danbooru.typeOf(kd, h), a, int64(pref), dep, nil, nil, baseStamp, baseStamp); err != nil {
				return fmt.Errorf("TAG_STATUS tag_id %d: %w", t, err)
			}
		}
		if onE {
			if err := st.row(int64(t), int64(formatE621), b.e621.typeOf(kd, h), a, int64(pref), dep, nil, nil, baseStamp, baseStamp); err != nil {
				return fmt.Errorf("TAG_STATUS tag_id %d: %w", t, err)
			}
		}
		if alias {
			continue
		}
		// Counts as the sites report them, a little lower: the base is an
		// older snapshot.
		if onD {
			c := countAt(b.danbooru.sp.maxCount, b.danbooru.sp.tags, b.danbooru.rank(u, true, j), b.r.f(stCount, b.danbooru.salt, u))
			if err := uc.row(int64(t), int64(formatDanbooru), c*9/10, baseStamp, baseStamp); err != nil {
				return fmt.Errorf("TAG_USAGE_COUNTS tag_id %d: %w", t, err)
			}
		}
		if onE {
			c := countAt(b.e621.sp.maxCount, b.e621.sp.tags, b.e621.rank(u, shared, j), b.r.f(stCount, b.e621.salt, u))
			if err := uc.row(int64(t), int64(formatE621), c*9/10, baseStamp, baseStamp); err != nil {
				return fmt.Errorf("TAG_USAGE_COUNTS tag_id %d: %w", t, err)
			}
		}
		if kd == kArtist {
			continue
		}
		// Translations, already split and clean as a published file holds them.
		// Language codes sort ja < zh, so rows stay in (tag_id, language) order.
		if b.r.f(stTrans, 1, u) < baseJaRate {
			tb = digits(tb[:0], b.r.h(stTrans, 2, u)%60000, 2, "", b.un.v.japanese)
			trID++
			if err := tr.row(trID, int64(t), "ja", string(tb), baseStamp, baseStamp); err != nil {
				return fmt.Errorf("TAG_TRANSLATIONS tag_id %d: %w", t, err)
			}
			if b.r.f(stTrans, 3, u) < baseJa2Rate/baseJaRate {
				tb2 = digits(tb2[:0], b.r.h(stTrans, 4, u)%60000, 2, "", b.un.v.japanese)
				if string(tb2) != string(tb) {
					trID++
					if err := tr.row(trID, int64(t), "ja", string(tb2), baseStamp, baseStamp); err != nil {
						return fmt.Errorf("TAG_TRANSLATIONS tag_id %d: %w", t, err)
					}
				}
			}
		}
		if b.r.f(stTrans, 5, u) < baseZhRate {
			tb = digits(tb[:0], b.r.h(stTrans, 6, u)%40000, 2, "", b.un.v.chinese)
			trID++
			if err := tr.row(trID, int64(t), "zh", string(tb), baseStamp, baseStamp); err != nil {
				return fmt.Errorf("TAG_TRANSLATIONS tag_id %d: %w", t, err)
			}
		}
	}
	for _, w := range []*tableWriter{st, uc, tr} {
		if err := w.close(); err != nil {
			return err
		}
	}
	s.Status, s.Usage, s.Translations = st.rows, uc.rows, tr.rows
	return nil
}
