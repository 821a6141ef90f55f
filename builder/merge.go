package builder

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/tagdb/tagdb-action/idmap"
)

// The merge rules (docs/merge-rules.md), applied to the records in source
// order (the base's first):
//   - TAGS: a tag gets its row from the first source that names it, with that
//     row's source_tag; a base tag keeps its row.
//   - TAG_STATUS: the last row for a (tag, format) wins, as the Python
//     builder's row-by-row upserts did; a source changes a row only when a
//     value differs, and only then is updated_at stamped.
//   - TAG_USAGE_COUNTS: counts only grow; the first row that reaches the
//     highest count gives its updated_at.
//   - TAG_TRANSLATIONS: added after every source's tags are in, so a
//     translation attaches whichever source brought its tag
//     (docs/python-differences.md, W4).
// changed[u] counts, as the SQL upserts' row counts did, the rows source u
// inserted or really changed.

func sameStatus(a, b *statusRec) bool {
	const vals = stAlias | stDeprecated
	return a.typ == b.typ && a.pref == b.pref && a.created == b.created && a.flags&vals == b.flags&vals
}

// sortedByFormat lists the record indexes lo up to hi in buf, ordered by
// format, keeping the source order within a format.
func sortedByFormat[T any](buf []uint32, lo, hi int, at func(int) *T, format func(*T) uint8) []uint32 {
	buf = buf[:0]
	for i := lo; i < hi; i++ {
		buf = append(buf, uint32(i))
	}
	if len(buf) > 1 {
		slices.SortStableFunc(buf, func(a, b uint32) int { return int(format(at(int(a)))) - int(format(at(int(b)))) })
	}
	return buf
}

// eachKey calls fn with the records of each (tag, format), in tag_id order
// and, within a key, in source order. It stops when ctx is cancelled.
func eachKey[T any](ctx context.Context, g groups, at func(int) *T, format func(*T) uint8, fn func(run []uint32)) error {
	var buf []uint32
	for k := 0; k+1 < len(g.start); k++ {
		if k&0xffff == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		lo, hi := g.of(uint32(k))
		if lo == hi {
			continue
		}
		buf = sortedByFormat(buf, lo, hi, at, format)
		for i := 0; i < len(buf); {
			j := i + 1
			f := format(at(int(buf[i])))
			for j < len(buf) && format(at(int(buf[j]))) == f {
				j++
			}
			fn(buf[i:j])
			i = j
		}
	}
	return nil
}

func (m *memState) statusAt(i int) *statusRec { return m.status.At(i) }
func statusFormat(r *statusRec) uint8         { return r.format }
func statusTag(r *statusRec) *uint32          { return &r.tag }
func (m *memState) countAt(i int) *countRec   { return m.counts.At(i) }
func countFormat(r *countRec) uint8           { return r.format }
func countTag(r *countRec) *uint32            { return &r.tag }

// decideStatuses puts the status records in tag_id order and marks, per
// (tag, format), the record the output gets and whether it is inserted or
// updates a base row.
func (m *memState) decideStatuses(ctx context.Context, rk ranks, changed []int64) (groups, error) {
	us, g, err := sortByRank(ctx, m.src, rk, &m.status, m.statusUnits, statusTag)
	if err != nil {
		return groups{}, err
	}
	m.statusUnit = us
	err = eachKey(ctx, g, m.statusAt, statusFormat, func(run []uint32) {
		var base, cur, before *statusRec
		prev := -1
		done := func() {
			if prev >= 0 && (before == nil || !sameStatus(before, cur)) {
				changed[prev]++
			}
		}
		for _, ri := range run {
			r, unit := m.status.At(int(ri)), *m.statusUnit.At(int(ri))
			if unit == baseUnit {
				base, cur = r, r
				continue
			}
			if int(unit) != prev {
				done()
				before, prev = cur, int(unit)
			}
			cur = r
		}
		done()
		switch {
		case base == nil:
			cur.flags |= stWinner | stInsert
		case cur == base || sameStatus(base, cur):
			base.flags |= stWinner
		default:
			cur.flags |= stWinner | stUpdate | stStamp
		}
	})
	if err != nil {
		g.release()
		return groups{}, err
	}
	return g, nil
}

// decideCounts puts the count records in tag_id order and marks, per (tag,
// format), the record holding the output's count. A base row is changed
// only by a higher count.
func (m *memState) decideCounts(ctx context.Context, rk ranks, changed []int64) (groups, error) {
	us, g, err := sortByRank(ctx, m.src, rk, &m.counts, m.countUnits, countTag)
	if err != nil {
		return groups{}, err
	}
	m.countUnit = us
	err = eachKey(ctx, g, m.countAt, countFormat, func(run []uint32) {
		var cur, base *countRec
		counted := -1
		for _, ri := range run {
			r, unit := m.counts.At(int(ri)), *m.countUnit.At(int(ri))
			if unit == baseUnit {
				cur, base = r, r
				continue
			}
			if cur == nil || (cur.flags&cnNull == 0 && r.count() > cur.count()) {
				if cur == nil {
					r.flags |= cnCreated
				}
				cur = r
				if int(unit) != counted {
					changed[unit]++
					counted = int(unit)
				}
			}
		}
		switch {
		case base == nil:
			cur.flags |= cnWinner | cnInsert
		case cur != base:
			cur.flags |= cnWinner | cnUpdate
		default:
			cur.flags |= cnWinner
		}
	})
	if err != nil {
		g.release()
		return groups{}, err
	}
	return g, nil
}

// markRepaired makes a repaired row reach the output: a base row that the
// sources left alone gets an UPDATE that keeps its updated_at.
func markRepaired(r *statusRec) {
	if r.flags&(stInsert|stUpdate) == 0 {
		r.flags |= stUpdate
	}
}

// writer executes statements on its own goroutine, so that one core runs
// SQLite while the other walks the merge state and prepares the next rows.
// Statements run in the order they were sent.
type writer struct {
	ctx    context.Context
	jobs   chan writeJob
	free   chan []any
	done   chan struct{}
	err    error // set by the executor before done closes
	failed atomic.Bool
	closes []func() // statements to close once the queue has drained
}

type writeJob struct {
	stmt *sql.Stmt
	args []any
	pool bool   // args came from free and go back there
	what string // for the error message
}

// writerQueue is how many statements may wait for the writer: at 64 rows a
// statement, a few milliseconds of SQLite's work. The walk that prepares
// them stops now and then for longer than a handful of statements take (a
// page fault on the spilled state, the next stretch of rows), and with a
// short queue the writer, the slower side, sat idle through every stop: at
// scale 4 it was idle about a sixth of the TAGS and TAG_STATUS step.
const writerQueue = 128

func newWriter(ctx context.Context) *writer {
	w := &writer{ctx: ctx, jobs: make(chan writeJob, writerQueue), free: make(chan []any, writerQueue+4), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for j := range w.jobs {
			if w.err == nil {
				if _, err := j.stmt.ExecContext(ctx, j.args...); err != nil {
					w.err = fmt.Errorf("write %s: %w", j.what, err)
					w.failed.Store(true)
				}
			}
			if j.pool {
				clear(j.args)
				select {
				case w.free <- j.args[:0]:
				default:
				}
			}
		}
	}()
	return w
}

// send queues one statement; it fails fast once the executor has failed.
func (w *writer) send(j writeJob) error {
	if w.failed.Load() {
		return errWriterFailed
	}
	select {
	case w.jobs <- j:
		return nil
	case <-w.ctx.Done():
		return w.ctx.Err()
	}
}

var errWriterFailed = errors.New("an earlier write failed")

// buffer returns an argument slice with room for n values.
func (w *writer) buffer(n int) []any {
	select {
	case b := <-w.free:
		if cap(b) >= n {
			return b
		}
	default:
	}
	return make([]any, 0, n)
}

// closeAfter registers a statement's close for finish.
func (w *writer) closeAfter(f func()) { w.closes = append(w.closes, f) }

// finish lets every queued statement run, then closes the registered
// statements; the executor's error replaces *err unless *err is a failure of
// its own. Defer it right after newWriter.
func (w *writer) finish(err *error) {
	close(w.jobs)
	<-w.done
	if *err == nil || errors.Is(*err, errWriterFailed) {
		*err = w.err
	}
	for _, c := range w.closes {
		c()
	}
}

// sqlLiteral quotes a string for SQL text.
func sqlLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// bulk is a prepared multi-row INSERT: one statement per bulkRows rows keeps
// database/sql's per-call cost out of the inner loop. With a writer, the
// statements run on the writer's goroutine; without one (when the caller
// needs each statement's row count), they run at once.
type bulk struct {
	many, one *sql.Stmt
	cols, n   int
	args      []any
	affected  int64
	what      string
	w         *writer
}

const bulkRows = 64

// newBulk prepares head + VALUES rows; row is one row's values, with cols
// parameters. Values that are the same for every row (the build time) go into
// row as literals: binding them per row would copy the same text millions of
// times.
func newBulk(ctx context.Context, tx *sql.Tx, w *writer, head, row string, what string) (*bulk, error) {
	cols := strings.Count(row, "?")
	b := &bulk{cols: cols, what: what, w: w}
	var err error
	if b.many, err = tx.PrepareContext(ctx, head+" VALUES "+strings.TrimSuffix(strings.Repeat(row+",", bulkRows), ",")); err != nil {
		return nil, fmt.Errorf("prepare %s: %w", what, err)
	}
	if b.one, err = tx.PrepareContext(ctx, head+" VALUES "+row); err != nil {
		b.many.Close()
		return nil, fmt.Errorf("prepare %s: %w", what, err)
	}
	b.args = b.buffer()
	return b, nil
}

func (b *bulk) buffer() []any {
	if b.w != nil {
		return b.w.buffer(b.cols * bulkRows)
	}
	return make([]any, 0, b.cols*bulkRows)
}

func (b *bulk) add(ctx context.Context, vals ...any) error {
	b.args = append(b.args, vals...)
	if b.n++; b.n < bulkRows {
		return nil
	}
	b.n = 0
	if b.w != nil {
		if err := b.w.send(writeJob{stmt: b.many, args: b.args, pool: true, what: b.what}); err != nil {
			return err
		}
		b.args = b.buffer()
		return nil
	}
	res, err := b.many.ExecContext(ctx, b.args...)
	if err != nil {
		return fmt.Errorf("write %s: %w", b.what, err)
	}
	n, _ := res.RowsAffected()
	b.affected += n
	b.args = b.args[:0]
	return nil
}

// flush writes the rows that did not fill a whole statement.
func (b *bulk) flush(ctx context.Context) error {
	for i := 0; i < b.n; i++ {
		args := b.args[i*b.cols : (i+1)*b.cols]
		if b.w != nil {
			if err := b.w.send(writeJob{stmt: b.one, args: slices.Clone(args), what: b.what}); err != nil {
				return err
			}
			continue
		}
		res, err := b.one.ExecContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("write %s: %w", b.what, err)
		}
		n, _ := res.RowsAffected()
		b.affected += n
	}
	b.args, b.n = b.args[:0], 0
	return nil
}

// close releases the statements; with a writer, register it with closeAfter.
func (b *bulk) close() {
	b.many.Close()
	b.one.Close()
}

// writeTagsAndStatuses adds the new TAGS rows and writes the decided
// TAG_STATUS rows, in tag_id order so both tables and their keys grow at
// the end. rows gives the tags in that order without reading the state at
// random; so does prefIDs for the preferred tags' ids. With an id map (ids
// not nil, rows of allRows), every row goes to the map as it passes.
func (m *memState) writeTagsAndStatuses(ctx context.Context, tx *sql.Tx, g groups, rows *tagRows, ids *idmap.Writer, ts string, fc *formatCounts) (err error) {
	w := newWriter(ctx)
	defer w.finish(&err)
	lit := sqlLiteral(ts)
	tags, err := newBulk(ctx, tx, w, `INSERT INTO main.TAGS (tag_id, source_tag, tag, created_at, updated_at)`, "(?,?,?,"+lit+","+lit+")", "tags")
	if err != nil {
		return err
	}
	w.closeAfter(tags.close)
	sts, err := newBulk(ctx, tx, w, `INSERT INTO main.TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id, deprecated,
		source_created_at, created_at, updated_at)`, "(?,?,?,?,?,?,?,"+lit+","+lit+")", "statuses")
	if err != nil {
		return err
	}
	w.closeAfter(sts.close)
	stamp, err := tx.PrepareContext(ctx, `UPDATE main.TAG_STATUS SET type_id = ?, alias = ?, preferred_tag_id = ?, deprecated = ?,
		source_created_at = ?, updated_at = ? WHERE tag_id = ? AND format_id = ?`)
	if err != nil {
		return err
	}
	w.closeAfter(func() { stamp.Close() })
	keep, err := tx.PrepareContext(ctx, `UPDATE main.TAG_STATUS SET type_id = ?, alias = ?, preferred_tag_id = ?, deprecated = ?,
		source_created_at = ? WHERE tag_id = ? AND format_id = ?`)
	if err != nil {
		return err
	}
	w.closeAfter(func() { keep.Close() })
	prefs := m.prefIDs()
	defer freeRecs(m.src, prefs)
	pc := 0 // the first of prefs at or after the current tag's records
	var buf []uint32
	for it := rows.walk(); ; {
		row, ok := it.next()
		if !ok {
			break
		}
		id := int64(row.id)
		if ids != nil {
			if err := ids.Add(idmap.Entry{Tag: row.tag, ID: id}); err != nil {
				return err
			}
		}
		if row.noTags {
			continue
		}
		if !row.inBase {
			if err := tags.add(ctx, id, row.source, row.tag); err != nil {
				return err
			}
		}
		fc.totalTags++
		lo, hi := g.of(row.rank)
		for pc < len(prefs) && int(prefs[pc]>>32) < lo {
			pc++
		}
		buf = sortedByFormat(buf, lo, hi, m.statusAt, statusFormat)
		for _, ri := range buf {
			r := m.status.At(int(ri))
			if r.flags&stWinner == 0 {
				continue
			}
			fc.tags[r.format]++
			if r.flags&stAlias != 0 {
				fc.aliases[r.format]++
			} else {
				fc.canonical[r.format]++
			}
			if r.flags&stDeprecated != 0 {
				fc.deprecated[r.format]++
			}
			if r.flags&(stInsert|stUpdate) == 0 {
				continue
			}
			alias, dep := boolInt(r.flags&stAlias != 0), boolInt(r.flags&stDeprecated != 0)
			pref := id
			if r.pref != r.tag {
				j := pc
				for uint32(prefs[j]>>32) != ri {
					j++
				}
				pref = int64(uint32(prefs[j]))
			}
			switch {
			case r.flags&stInsert != 0:
				err = sts.add(ctx, id, int64(r.format), int64(r.typ), alias, pref, dep, m.timeStr(r.created))
			case r.flags&stStamp != 0:
				err = w.send(writeJob{stmt: stamp, what: "statuses", args: []any{int64(r.typ), alias, pref, dep, m.timeStr(r.created), ts, id, int64(r.format)}})
			default:
				err = w.send(writeJob{stmt: keep, what: "statuses", args: []any{int64(r.typ), alias, pref, dep, m.timeStr(r.created), id, int64(r.format)}})
			}
			if err != nil {
				return err
			}
		}
	}
	if err := tags.flush(ctx); err != nil {
		return err
	}
	return sts.flush(ctx)
}

// prefIDs lists the ids the status writer needs of other tags: for every
// winning row to insert or update whose preferred tag is another tag, its
// position << 32 | that tag's id, in record order. It is a join: the
// preferred tags are sorted by index, so their entries are read in the
// order they are stored (docs/memory.md, "Walking the spilled state").
func (m *memState) prefIDs() []uint64 {
	want := func(r *statusRec) bool {
		return r.flags&stWinner != 0 && r.flags&(stInsert|stUpdate) != 0 && r.pref != r.tag
	}
	n := 0
	for ri := 0; ri < m.status.Len(); ri++ {
		if want(m.status.At(ri)) {
			n++
		}
	}
	p := makeColdRecs[uint64](m.src, n)[:0]
	for ri := 0; ri < m.status.Len(); ri++ {
		if r := m.status.At(ri); want(r) {
			p = append(p, uint64(r.pref)<<32|uint64(ri))
		}
	}
	slices.Sort(p)
	for j, v := range p {
		p[j] = v<<32 | uint64(m.ent(uint32(v>>32)).id)
	}
	slices.Sort(p)
	return p
}

// writeCounts writes the decided TAG_USAGE_COUNTS rows in (tag_id, format) order.
func (m *memState) writeCounts(ctx context.Context, tx *sql.Tx, g groups, rows *tagRows, ts string, fc *formatCounts) (err error) {
	w := newWriter(ctx)
	defer w.finish(&err)
	ins, err := newBulk(ctx, tx, w, `INSERT INTO main.TAG_USAGE_COUNTS (tag_id, format_id, count, created_at, updated_at)`, "(?,?,?,?,?)", "usage counts")
	if err != nil {
		return err
	}
	w.closeAfter(ins.close)
	upd, err := tx.PrepareContext(ctx, `UPDATE main.TAG_USAGE_COUNTS SET count = ?, updated_at = ? WHERE tag_id = ? AND format_id = ?`)
	if err != nil {
		return err
	}
	w.closeAfter(func() { upd.Close() })
	var buf []uint32
	for it := rows.walk(); ; {
		row, ok := it.next()
		if !ok {
			break
		}
		if row.noTags {
			continue
		}
		lo, hi := g.of(row.rank)
		if lo == hi {
			continue
		}
		id := int64(row.id)
		buf = sortedByFormat(buf, lo, hi, m.countAt, countFormat)
		for _, ri := range buf {
			r := m.counts.At(int(ri))
			if r.flags&cnWinner == 0 {
				continue
			}
			fc.withCount[r.format]++
			upAt := m.timeOr(r.updated, ts)
			switch {
			case r.flags&cnInsert != 0:
				// created_at is the time of the row that inserted the count,
				// which a later source may have raised since.
				crAt := upAt
				for _, rj := range buf {
					if c := m.counts.At(int(rj)); c.format == r.format && c.flags&cnCreated != 0 {
						crAt = m.timeOr(c.updated, ts)
					}
				}
				err = ins.add(ctx, id, int64(r.format), r.count(), crAt, upAt)
			case r.flags&cnUpdate != 0:
				err = w.send(writeJob{stmt: upd, what: "usage counts", args: []any{r.count(), upAt, id, int64(r.format)}})
			}
			if err != nil {
				return err
			}
		}
	}
	return ins.flush(ctx)
}

// writeTranslations adds each unit's translations, in source order, to the
// tags the output has; the others are noted as misses. INSERT OR IGNORE
// keeps the first of duplicate (tag, language, text) rows, the base's first.
func (m *memState) writeTranslations(ctx context.Context, tx *sql.Tx, units []*unit, ts string) error {
	lit := sqlLiteral(ts)
	ins, err := newBulk(ctx, tx, nil, `INSERT OR IGNORE INTO main.TAG_TRANSLATIONS (tag_id, language, translation, created_at, updated_at)`,
		"(?,?,?,"+lit+","+lit+")", "translations")
	if err != nil {
		return err
	}
	defer ins.close()
	type miss struct {
		tag uint32
		n   int64
	}
	var misses []miss
	missAt := map[uint32]int{}
	cur := -1
	endUnit := func() error {
		if cur < 0 {
			return nil
		}
		if err := ins.flush(ctx); err != nil {
			return err
		}
		u := units[cur]
		u.stats.changed += ins.affected
		ins.affected = 0
		for _, x := range misses {
			u.stats.translationMiss += x.n
			u.events.noteMiss(m.tags.Str(x.tag), x.n)
		}
		misses = misses[:0]
		clear(missAt)
		return nil
	}
	for i := 0; i < m.trs.Len(); i++ {
		r := m.trs.At(i)
		if int(r.unit) != cur {
			if err := endUnit(); err != nil {
				return err
			}
			cur = int(r.unit)
		}
		if m.ent(r.tag).flags&tagInTags == 0 {
			if k, ok := missAt[r.tag]; ok {
				misses[k].n++
			} else {
				missAt[r.tag] = len(misses)
				misses = append(misses, miss{r.tag, 1})
			}
			continue
		}
		if err := ins.add(ctx, int64(m.ent(r.tag).id), m.langs[r.lang], m.texts.Str(r.text)); err != nil {
			return err
		}
	}
	return endUnit()
}
