package builder

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unsafe"

	"github.com/tagdb/tagdb-action/idmap"
)

// The merge works on a compact in-memory copy of what the sources say: every
// tag name interned once, and one fixed-size record per status, usage count and
// translation row, in the order the sources gave them. That order is all the
// merge rules need (last writer wins, counts only grow), so the output is
// written once, in primary-key order, with plain INSERTs: no scratch database,
// no upserts, no text joins. The base's rows are loaded first, as if they were
// the first source, so the same walk decides what changes in a base's rows.

// tagEntry is what the build knows of one tag name.
type tagEntry struct {
	src   stringRef // TAGS.source_tag when srcExplicit
	id    uint32
	unit  uint16 // the first unit that put the tag into TAGS
	flags uint8
}

const (
	tagNeedsID     uint8 = 1 << iota // a status row, alias target or ids-only source names it
	tagInTags                        // the output's TAGS has (or gets) a row for it
	tagInBase                        // the base's TAGS already has the row
	tagHasID                         // id is set
	srcExplicit                      // source_tag is src
	srcUnderscored                   // source_tag is the tag with spaces as underscores
	// neither src flag: source_tag is the tag itself
)

// maxTagID is the reader contract's ceiling: ids from 1e9 up belong to the
// client's user overlay database (docs/reader-contract.md, "Id ranges").
const maxTagID = 1_000_000_000

// baseUnit marks records loaded from the base: they come before every source.
const baseUnit = math.MaxUint16

// timeRef is a timestamp code (timecode.go) in two halves, so that records
// holding one keep 4-byte alignment. The zero value is NULL.
type timeRef struct{ lo, hi uint32 }

func (t timeRef) code() uint64 { return uint64(t.hi)<<32 | uint64(t.lo) }

// statusRec is one TAG_STATUS row as a source (or the base) states it. The
// records of a full-size build take hundreds of megabytes, so they hold 20
// bytes each; which source a record came from follows from its position
// (units).
type statusRec struct {
	tag, pref uint32  // tag indexes; pref == tag for a canonical row
	created   timeRef // source_created_at
	typ       int16
	format    uint8
	flags     uint8
}

const (
	stAlias      uint8 = 1 << iota
	stDeprecated       // TAG_STATUS.deprecated
	stWinner           // the row the output gets for its (tag, format)
	stInsert           // new in the output
	stUpdate           // a base row whose values change
	stStamp            // ... and whose updated_at becomes the build time
)

// countRec is one TAG_USAGE_COUNTS row as a source (or the base) states it,
// in 20 bytes like statusRec.
type countRec struct {
	tag     uint32
	updated timeRef
	lo      uint32 // the count: 48 bits, split
	hi      int16
	format  uint8
	flags   uint8
}

const (
	cnWinner  uint8 = 1 << iota
	cnNull          // a base row whose count is NULL: never raised, as in SQL
	cnInsert        // new in the output
	cnUpdate        // raises a base row's count
	cnCreated       // the row that inserted a new count: its time is created_at
)

func (c *countRec) count() int64 { return int64(c.hi)<<32 | int64(c.lo) }

// maxCount bounds the counts a record can hold (±2^47, far above any site's).
const maxCount = 1<<47 - 1

func newCount(n int64) (lo uint32, hi int16, err error) {
	if n > maxCount || n < -maxCount {
		return 0, 0, fmt.Errorf("usage count %d is out of range", n)
	}
	return uint32(n), int16(n >> 32), nil
}

// units maps a record's position to the source unit it came from: records
// are appended unit by unit, so starts[k] is where unit ids[k]'s begin.
type units struct {
	starts []int
	ids    []uint16
}

func (u *units) begin(at int, unit uint16) {
	if n := len(u.starts); n > 0 && u.starts[n-1] == at {
		u.ids[n-1] = unit // the previous unit added nothing
		return
	}
	u.starts = append(u.starts, at)
	u.ids = append(u.ids, unit)
}

// of returns the unit of record i.
func (u *units) of(i uint32) uint16 {
	k := sort.Search(len(u.starts), func(k int) bool { return u.starts[k] > int(i) }) - 1
	return u.ids[k]
}

// trRec is one translation part as a source states it.
type trRec struct {
	tag, text uint32
	unit      uint16
	lang      uint8
}

type memState struct {
	src    *chunkSource // the memory of every big part below: Go's heap, then the spill file
	tags   *interner
	ents   chunked[tagEntry] // by tag index
	srcs   arena
	times  *interner
	texts  *interner
	langs  []string
	langIx map[string]uint8

	status      chunked[statusRec]
	statusUnits units           // while the records are in source order
	statusUnit  chunked[uint16] // once they are in tag_id order (decideStatuses)
	colon       []uint64        // a bit per tag index: its name has a colon (a category prefix may need repair)
	// The usage counts wait on disk while the statuses are merged and
	// written: the two never need to be in memory together.
	countLog   *spill[countRec]
	counts     chunked[countRec]
	countUnits units
	countUnit  chunked[uint16]
	trs        chunked[trRec]

	baseMaxTr int64 // highest translation_id of the base: later ones are this build's
}

// newMemState makes an empty state whose memory comes from src (nil: Go's
// heap alone); the usage counts wait in a file at countsPath.
func newMemState(countsPath string, src *chunkSource) *memState {
	return &memState{src: src, tags: newInterner(src), times: newInterner(src), texts: newInterner(src), langIx: map[string]uint8{},
		ents: chunked[tagEntry]{src: src}, srcs: arena{src: src}, status: chunked[statusRec]{src: src, cold: true},
		trs: chunked[trRec]{src: src, cold: true}, countLog: newSpill[countRec](countsPath)}
}

func (m *memState) ent(i uint32) *tagEntry { return m.ents.At(int(i)) }

// tag interns a tag name and returns its index.
func (m *memState) tag(s string) uint32 {
	i, added := m.tags.Intern(s)
	if added {
		m.ents.Append(tagEntry{})
		if int(i>>6) >= len(m.colon) {
			m.colon = append(m.colon, 0)
		}
		if strings.IndexByte(s, ':') >= 0 {
			m.colon[i>>6] |= 1 << (i & 63)
		}
	}
	return i
}

// hasColon says whether tag i's name has a colon, without reading it.
func (m *memState) hasColon(i uint32) bool { return m.colon[i>>6]&(1<<(i&63)) != 0 }

// tagRow notes a tag that a status row or alias names: it needs an id, and
// unless its unit is ids-only, a TAGS row whose source_tag is the first one
// seen.
func (m *memState) tagRow(s, src string, unit uint16, keysOnly bool) uint32 {
	i := m.tag(s)
	e := m.ent(i)
	e.flags |= tagNeedsID
	if keysOnly || e.flags&tagInTags != 0 {
		return i
	}
	e.flags |= tagInTags
	e.unit = unit
	switch {
	case src == s:
	case len(src) == len(s) && src == strings.ReplaceAll(s, " ", "_"):
		e.flags |= srcUnderscored
	default:
		e.flags |= srcExplicit
		e.src = m.srcs.Store(src)
	}
	return i
}

// sourceTag returns TAGS.source_tag of a tag added by this build.
func (m *memState) sourceTag(i uint32) string {
	e := m.ent(i)
	switch {
	case e.flags&srcExplicit != 0:
		return m.srcs.Str(e.src)
	case e.flags&srcUnderscored != 0:
		return strings.ReplaceAll(m.tags.Str(i), " ", "_")
	}
	return m.tags.Str(i)
}

// time codes a timestamp in the stored form, UTC (utctime.go): packed when
// it has a usual shape, else interned. Every timestamp of every source and
// of the base enters the merge state here.
func (m *memState) time(s string) timeRef {
	if s == "" {
		return timeRef{}
	}
	code, ok := packTime(s)
	if ok {
		code, ok = utcCode(code)
	}
	if !ok {
		s = utcText(s)
		code, ok = packTime(s)
	}
	if !ok {
		i, _ := m.times.Intern(s)
		code = tcInterned | uint64(i+1)
	}
	return timeRef{lo: uint32(code), hi: uint32(code >> 32)}
}

// timeText returns the text of a timestamp, or "" for NULL.
func (m *memState) timeText(t timeRef) string {
	switch c := t.code(); {
	case c == 0:
		return ""
	case c&tcInterned == tcInterned:
		return m.times.Str(uint32(c) - 1)
	default:
		return unpackTime(c)
	}
}

func (m *memState) timeStr(t timeRef) any {
	if s := m.timeText(t); s != "" {
		return s
	}
	return nil
}

// timeOr returns the text of a timestamp, or def for NULL.
func (m *memState) timeOr(t timeRef, def string) string {
	if s := m.timeText(t); s != "" {
		return s
	}
	return def
}

func (m *memState) lang(s string) (uint8, error) {
	if i, ok := m.langIx[s]; ok {
		return i, nil
	}
	if len(m.langs) > math.MaxUint8 {
		return 0, fmt.Errorf("more than %d translation languages", math.MaxUint8+1)
	}
	m.langs = append(m.langs, s)
	m.langIx[s] = uint8(len(m.langs) - 1)
	return uint8(len(m.langs) - 1), nil
}

func checkFormat(f int) (uint8, error) {
	if f < 0 || f > math.MaxUint8 {
		return 0, fmt.Errorf("format id %d is outside 0..%d", f, math.MaxUint8)
	}
	return uint8(f), nil
}

func checkType(t int64) (int16, error) {
	if t < math.MinInt16 || t > math.MaxInt16 {
		return 0, fmt.Errorf("type id %d is out of range", t)
	}
	return int16(t), nil
}

// startUnit notes that the records appended from now on are unit u's.
func (m *memState) startUnit(u uint16) {
	m.statusUnits.begin(m.status.Len(), u)
	m.countUnits.begin(m.countLog.Len(), u)
}

// sizes describes the merge state's memory, for the build log.
func (m *memState) sizes() string {
	text := func(in *interner) int64 {
		var n int64
		for _, c := range in.text.chunks {
			n += int64(cap(c))
		}
		return n + int64(in.refs.Len())*8 + int64(len(in.table))*4
	}
	onDisk := ""
	if n := m.src.OnDisk(); n > 0 {
		onDisk = fmt.Sprintf("; %d MiB of it spilled to disk", n>>20)
	}
	return fmt.Sprintf("%d tags (%d MiB with their entries), %d unusual timestamps (%d MiB), %d translation texts (%d MiB); "+
		"%d status rows (%d MiB), %d usage counts (on disk), %d translations (%d MiB)%s",
		m.tags.Len(), (text(m.tags)+int64(m.ents.Len())*int64(unsafe.Sizeof(tagEntry{})))>>20, m.times.Len(), text(m.times)>>20,
		m.texts.Len(), text(m.texts)>>20, m.status.Len(), int64(m.status.Len())*int64(unsafe.Sizeof(statusRec{}))>>20,
		m.countLog.Len(), m.trs.Len(), int64(m.trs.Len())*int64(unsafe.Sizeof(trRec{}))>>20, onDisk)
}

// full reports text that did not fit the arenas.
func (m *memState) full() error {
	if m.tags.text.full || m.times.text.full || m.texts.text.full || m.srcs.full {
		return fmt.Errorf("more than 4 GiB of distinct text: too large for one build")
	}
	if err := m.src.Err(); err != nil {
		return err
	}
	return m.countLog.Err()
}

// addBatch takes one batch of normalised rows of a unit.
func (m *memState) addBatch(b *batch, unit uint16, keysOnly bool) error {
	for _, k := range b.keys {
		m.tagRow(k, k, unit, true)
	}
	for i := range b.st {
		r := &b.st[i]
		f, err := checkFormat(r.format)
		if err != nil {
			return err
		}
		typ, err := checkType(int64(r.typ))
		if err != nil {
			return err
		}
		t := m.tagRow(r.tag, r.sourceTag, unit, keysOnly)
		rec := statusRec{tag: t, pref: t, typ: typ, format: f, created: m.time(r.createdAt)}
		if r.aliasOf != "" {
			rec.pref = m.tagRow(r.aliasOf, r.aliasSrc, unit, keysOnly)
			rec.flags |= stAlias
		}
		if r.deprecated {
			rec.flags |= stDeprecated
		}
		m.status.Append(rec)
		if r.hasCnt {
			lo, hi, err := newCount(r.cnt)
			if err != nil {
				return fmt.Errorf("tag %q: %w", r.tag, err)
			}
			m.countLog.Append(countRec{tag: t, updated: m.time(r.updatedAt), lo: lo, hi: hi, format: f})
		}
	}
	for _, r := range b.tr {
		l, err := m.lang(r.lang)
		if err != nil {
			return err
		}
		text, _ := m.texts.Intern(r.text)
		m.trs.Append(trRec{tag: m.tag(r.tag), text: text, unit: unit, lang: l})
	}
	return m.full()
}

// loadBase reads the ids, statuses and usage counts of the base copy (the
// output file before the merge) as the records that come before every source.
func (m *memState) loadBase(ctx context.Context, db *sql.DB, ids map[uint32]uint32) error {
	m.startUnit(baseUnit)
	rows, err := db.QueryContext(ctx, `SELECT tag_id, tag FROM main.TAGS ORDER BY tag_id`)
	if err != nil {
		return fmt.Errorf("read base tags: %w", err)
	}
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			rows.Close()
			return fmt.Errorf("read base tags: %w", err)
		}
		if id < 0 || id >= maxTagID {
			rows.Close()
			return fmt.Errorf("base: TAGS row %q has tag_id %d, outside 0..%d", tag, id, maxTagID-1)
		}
		i := m.tag(tag)
		e := m.ent(i)
		e.id, e.flags = uint32(id), tagNeedsID|tagInTags|tagInBase|tagHasID
		ids[uint32(id)] = i
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read base tags: %w", err)
	}

	idx := func(id int64, what string) (uint32, error) {
		if i, ok := ids[uint32(id)]; ok && id >= 0 && id < maxTagID {
			return i, nil
		}
		return 0, fmt.Errorf("base: %s %d is not in TAGS", what, id)
	}
	rows, err = db.QueryContext(ctx, `SELECT tag_id, format_id, type_id, coalesce(alias, 0), coalesce(preferred_tag_id, tag_id),
		coalesce(deprecated, 0), coalesce(source_created_at, '') FROM main.TAG_STATUS ORDER BY tag_id, format_id`)
	if err != nil {
		return fmt.Errorf("read base statuses: %w", err)
	}
	for rows.Next() {
		var id, f, typ, pref int64
		var alias, dep bool
		var created string
		if err := rows.Scan(&id, &f, &typ, &alias, &pref, &dep, &created); err != nil {
			rows.Close()
			return fmt.Errorf("read base statuses: %w", err)
		}
		rec := statusRec{created: m.time(created)}
		var err error
		if rec.tag, err = idx(id, "TAG_STATUS.tag_id"); err == nil {
			rec.pref, err = idx(pref, "TAG_STATUS.preferred_tag_id")
		}
		if err == nil {
			rec.format, err = checkFormat(int(f))
		}
		if err == nil {
			rec.typ, err = checkType(typ)
		}
		if err != nil {
			rows.Close()
			return err
		}
		if alias {
			rec.flags |= stAlias
		}
		if dep {
			rec.flags |= stDeprecated
		}
		m.status.Append(rec)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read base statuses: %w", err)
	}

	rows, err = db.QueryContext(ctx, `SELECT tag_id, format_id, count, coalesce(updated_at, '') FROM main.TAG_USAGE_COUNTS ORDER BY tag_id, format_id`)
	if err != nil {
		return fmt.Errorf("read base usage counts: %w", err)
	}
	for rows.Next() {
		var id, f int64
		var cnt sql.NullInt64
		var upd string
		if err := rows.Scan(&id, &f, &cnt, &upd); err != nil {
			rows.Close()
			return fmt.Errorf("read base usage counts: %w", err)
		}
		rec := countRec{updated: m.time(upd)}
		var err error
		if rec.lo, rec.hi, err = newCount(cnt.Int64); err != nil {
			err = fmt.Errorf("base: TAG_USAGE_COUNTS of tag_id %d: %w", id, err)
		} else if rec.tag, err = idx(id, "TAG_USAGE_COUNTS.tag_id"); err == nil {
			rec.format, err = checkFormat(int(f))
		}
		if err != nil {
			rows.Close()
			return err
		}
		if !cnt.Valid {
			rec.flags |= cnNull
		}
		m.countLog.Append(rec)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read base usage counts: %w", err)
	}
	if err := m.full(); err != nil {
		return fmt.Errorf("base: %w", err)
	}
	return db.QueryRowContext(ctx, `SELECT coalesce(max(translation_id), 0) FROM main.TAG_TRANSLATIONS`).Scan(&m.baseMaxTr)
}

// reserve takes the ids of another edition's TAGS, or of a release's id map
// (--reserve-ids; docs in package idmap): those tags keep their ids here
// too. The same tag under two ids, or one id for two tags, means the files
// do not share a history: an error, because going on would silently
// renumber someone's tags.
func (m *memState) reserve(ctx context.Context, db *sql.DB, path string, ids map[uint32]uint32) error {
	type pending struct {
		idx uint32
		id  uint32
	}
	var add []pending // applied after the whole file is checked
	check := func(id int64, tag string) error {
		if id < 0 || id >= maxTagID {
			return fmt.Errorf("tag %q has tag_id %d, outside 0..%d", tag, id, maxTagID-1)
		}
		i := m.tag(tag)
		e := m.ent(i)
		if e.flags&tagHasID != 0 && e.id != uint32(id) {
			return fmt.Errorf("tag %q has id %d there but %d in the base: the databases do not share one id history", tag, id, e.id)
		}
		if other, ok := ids[uint32(id)]; ok && other != i {
			return fmt.Errorf("id %d is %q there but %q in the base: the databases do not share one id history", id, tag, m.tags.Str(other))
		}
		if e.flags&tagHasID == 0 {
			add = append(add, pending{i, uint32(id)})
		}
		return nil
	}
	isMap, err := idmap.IsIDMap(path)
	if err != nil {
		return err
	}
	if isMap {
		err = idmap.ReadFile(path, func(e idmap.Entry) error { return check(e.ID, e.Tag) })
	} else {
		err = reservedTags(ctx, db, path, check)
	}
	if err != nil {
		return err
	}
	for _, p := range add {
		e := m.ent(p.idx)
		e.id = p.id
		e.flags |= tagHasID
		ids[p.id] = p.idx
	}
	return nil
}

// reservedTags calls fn with every (tag_id, tag) of the TAGS table of the
// database at path, in id order.
func reservedTags(ctx context.Context, db *sql.DB, path string, fn func(id int64, tag string) error) error {
	if _, err := db.ExecContext(ctx, `ATTACH DATABASE ? AS reserve`, path); err != nil {
		return err
	}
	defer db.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE reserve`)
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reserve.sqlite_master WHERE type = 'table' AND name = 'TAGS'`).Scan(&n); err != nil {
		return fmt.Errorf("not a readable SQLite database: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("has no TAGS table")
	}
	rows, err := db.QueryContext(ctx, `SELECT tag_id, tag FROM reserve.TAGS ORDER BY tag_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return err
		}
		if err := fn(id, tag); err != nil {
			return err
		}
	}
	return rows.Err()
}

// assignIDs numbers every tag that needs an id and has none, after the
// highest known id, in code-point order of the tag (byte order of UTF-8 is
// code-point order). It returns how many were new.
func (m *memState) assignIDs() (int, error) {
	var hi uint32
	n := 0
	for i := 0; i < m.ents.Len(); i++ {
		e := m.ents.At(i)
		switch {
		case e.flags&tagHasID != 0:
			hi = max(hi, e.id)
		case e.flags&tagNeedsID != 0:
			n++
		}
	}
	if uint64(hi)+uint64(n) >= maxTagID {
		return 0, fmt.Errorf("assign tag ids: %d tags would need ids up to %d, past the reader limit %d", n, uint64(hi)+uint64(n), maxTagID-1)
	}
	defer m.src.sorting()()
	ix := makeColdRecs[uint32](m.src, n)[:0] // from the state's memory: 4 bytes per new tag
	defer freeRecs(m.src, ix)
	for i := 0; i < m.ents.Len(); i++ {
		if e := m.ents.At(i); e.flags&(tagHasID|tagNeedsID) == tagNeedsID {
			ix = append(ix, uint32(i))
		}
	}
	ix = m.sortByName(ix)
	// Set the ids in index order: the entries, too, may be in the spill file.
	pairs := makeColdRecs[uint64](m.src, len(ix)) // index << 32 | rank
	defer freeRecs(m.src, pairs)
	for k, i := range ix {
		pairs[k] = uint64(i)<<32 | uint64(k)
	}
	slices.Sort(pairs)
	for _, p := range pairs {
		e := m.ent(uint32(p >> 32))
		e.id = hi + 1 + uint32(p)
		e.flags |= tagHasID
	}
	return len(ix), nil
}
