package builder

import (
	"context"
	"encoding/binary"
	"slices"
	"unsafe"
)

// The writers walk the tags in tag_id order and need, for each tag the
// output's TAGS has, its id and, for a tag this build adds, its name and
// source_tag. New tags are numbered in name order but stored in the order
// the sources named them, so that walk reads their entries and names at
// random; past the memory share, at scale 4, half of them were in the spill
// file and the write step spent most of its 17 minutes in page faults. So a
// spilled state first copies what the writers need into rank order, the
// way sortByRank moves the records: one pass reads the tags in index order
// and spreads their rows over stretches of ranks, and the writers read each
// stretch back, ordered in memory (docs/memory.md, "Walking the spilled
// state").

// The id map, too, lists tags in id order with their names: every tag with
// an id, the ids-only sources' and the base's included. Read from the
// spilled names in id order it took 15 minutes at scale 4. When the build
// writes one, the rows are copied for every tag with an id, each with its
// name, and the TAGS writer's walk adds each to the map as it passes: the
// map costs no walk of its own, and its compression runs on the goroutine
// that otherwise waits for SQLite.

// rowSet says which tags get a row and what it carries.
type rowSet uint8

const (
	// tagsRows: a row per tag with a TAGS row, carrying the tag and its
	// source_tag when the row is new (the writers').
	tagsRows rowSet = iota
	// allRows: a row per tag with an id, carrying its tag, and its
	// source_tag when its TAGS row is new (the writers' and the id map's).
	allRows
)

// tagRow is what the writers need of one tag with a TAGS row, or the id map
// of one tag with an id.
type tagRow struct {
	rank   uint32
	id     uint32
	inBase bool   // the base's TAGS has the row already
	noTags bool   // the tag has an id but no TAGS row (allRows only)
	tag    string // TAGS.tag of a new row; every row's tag in allRows
	source string // TAGS.source_tag of a new row; else the tag, if named
}

// tagRows lists the rows of a set in rank order: straight from the
// state when it is all in memory, else from rows copied into rank order.
type tagRows struct {
	m    *memState
	rk   ranks
	set  rowSet
	data []byte // the encoded rows, stretch after stretch, each in index order
	sts  []span // the stretches; lo and the next one's lo bound its bytes in data
	end  int    // where the last stretch's bytes end
}

// The encoded row: rank and id (4 bytes each), flags (1), and if rowNamed
// the tag's length (uvarint) and bytes, then unless rowSameSource the
// source_tag's length and bytes.
const (
	rowHead       = 9
	rowInBase     = 1
	rowSameSource = 2
	rowNoTags     = 4
	rowNamed      = 8
)

// rowsPass bounds the bytes of rows the writers hold in memory at once: a
// stretch is copied to the heap and its strings stay there until the rows
// written from them are.
const rowsPass = 16 * mib

// tagRows prepares the walk over set's rows; release it when done.
func (m *memState) tagRows(ctx context.Context, rk ranks, set rowSet) (*tagRows, error) {
	r := &tagRows{m: m, rk: rk, set: set}
	if !m.src.spreads() {
		return r, nil
	}
	pass := m.src.passBytes(rowsPass)
	width, sizes := rankBuckets(rk.Len())
	for i := 0; i < m.ents.Len(); i++ {
		if i&0xfffff == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if n := m.rowSize(uint32(i), set); n > 0 {
			sizes[int(rk.of[i])/width] += int64(n)
		}
	}
	cut, stretchOf := cutStretches(sizes, width, rk.Len(), 1, 8, pass)
	total := 0
	for _, n := range sizes {
		total += int(n)
	}
	r.sts, r.end = cut, total
	r.data = makeColdRecs[byte](m.src, total)
	at := make([]int, len(cut))
	bufs := make([][]byte, len(cut))
	bufBytes := max(4096, sortSpread/max(1, len(cut)))
	flush := func(s int) error {
		if len(bufs[s]) == 0 {
			return nil
		}
		dst := r.data[at[s] : at[s]+len(bufs[s])]
		if err := m.src.store(unsafe.Pointer(&r.data[0]), dst, bufs[s]); err != nil {
			return err
		}
		at[s] += len(bufs[s])
		bufs[s] = bufs[s][:0]
		return nil
	}
	for s, c := range cut {
		at[s] = c.lo
	}
	for i := 0; i < m.ents.Len(); i++ {
		if i&0xfffff == 0 {
			if err := ctx.Err(); err != nil {
				r.release()
				return nil, err
			}
		}
		if !set.has(m.ent(uint32(i))) {
			continue
		}
		s := stretchOf[int(r.rk.of[i])/width]
		if bufs[s] == nil {
			bufs[s] = make([]byte, 0, bufBytes)
		}
		bufs[s] = m.appendRow(bufs[s], uint32(i), r.rk.of[i], set)
		if len(bufs[s]) >= bufBytes {
			if err := flush(int(s)); err != nil {
				r.release()
				return nil, err
			}
		}
	}
	for s := range cut {
		if err := flush(s); err != nil {
			r.release()
			return nil, err
		}
	}
	dropRecs(m.src, r.data)
	return r, nil
}

// has says whether a tag gets a row of the set: it has an id (so a rank),
// and for the writers' set a TAGS row (they never reach a tag without an
// id).
func (set rowSet) has(e *tagEntry) bool {
	if set == allRows {
		return e.flags&tagHasID != 0
	}
	return e.flags&(tagInTags|tagHasID) == tagInTags|tagHasID
}

// rowFlags says what a tag's row in set carries: its tag when its TAGS row
// is new, or always in allRows; its source_tag only when that row is new and
// the source_tag is not the tag.
func (set rowSet) rowFlags(e *tagEntry) byte {
	var f byte
	if e.flags&tagInTags == 0 {
		f |= rowNoTags
	}
	if e.flags&tagInBase != 0 {
		f |= rowInBase
	}
	newRow := e.flags&(tagInTags|tagInBase) == tagInTags
	if newRow || set == allRows {
		f |= rowNamed
	}
	if !newRow || e.flags&(srcExplicit|srcUnderscored) == 0 {
		f |= rowSameSource
	}
	return f
}

// rowSize is how many bytes tag i's encoded row in set takes, or 0 if it
// has none.
func (m *memState) rowSize(i uint32, set rowSet) int {
	e := m.ent(i)
	if !set.has(e) {
		return 0
	}
	f := set.rowFlags(e)
	if f&rowNamed == 0 {
		return rowHead
	}
	n := int(m.tags.refs.At(int(i)).len)
	size := rowHead + uvarintLen(n) + n
	switch {
	case f&rowSameSource != 0:
	case e.flags&srcExplicit != 0:
		size += uvarintLen(int(e.src.len)) + int(e.src.len)
	default: // underscored: as long as the tag
		size += uvarintLen(n) + n
	}
	return size
}

func uvarintLen(n int) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], uint64(n))
}

// appendRow appends tag i's encoded row in set, at rank k.
func (m *memState) appendRow(b []byte, i, k uint32, set rowSet) []byte {
	e := m.ent(i)
	flags := set.rowFlags(e)
	b = binary.LittleEndian.AppendUint32(b, k)
	b = binary.LittleEndian.AppendUint32(b, e.id)
	b = append(b, flags)
	if flags&rowNamed == 0 {
		return b
	}
	name := m.tags.Str(i)
	b = binary.AppendUvarint(b, uint64(len(name)))
	b = append(b, name...)
	if flags&rowSameSource == 0 {
		src := m.sourceTag(i)
		b = binary.AppendUvarint(b, uint64(len(src)))
		b = append(b, src...)
	}
	return b
}

// release gives the copied rows back to the state's memory.
func (r *tagRows) release() {
	if r.data != nil {
		freeRecs(r.m.src, r.data)
		r.data = nil
	}
}

// rowWalk reads the rows in rank order. The strings of a row stay valid
// after the next call (a writer may still hold them).
type rowWalk struct {
	r    *tagRows
	k    int      // in memory: the next rank
	s    int      // copied: the next stretch
	buf  []byte   // the current stretch's rows, copied to the heap
	keys []uint64 // rank << 32 | where its row is in buf, sorted
	c    int      // the next key
}

func (r *tagRows) walk() *rowWalk { return &rowWalk{r: r} }

// next returns the next row in rank order; false at the end.
func (w *rowWalk) next() (tagRow, bool) {
	r := w.r
	if r.sts == nil {
		for ; w.k < r.rk.Len(); w.k++ {
			t := r.rk.tags[w.k]
			e := r.m.ent(t)
			if !r.set.has(e) {
				continue
			}
			f := r.set.rowFlags(e)
			row := tagRow{rank: uint32(w.k), id: e.id, inBase: f&rowInBase != 0, noTags: f&rowNoTags != 0}
			if f&rowNamed != 0 {
				row.tag = r.m.tags.Str(t)
				row.source = row.tag
				if f&rowSameSource == 0 {
					row.source = r.m.sourceTag(t)
				}
			}
			w.k++
			return row, true
		}
		return tagRow{}, false
	}
	for w.c == len(w.keys) {
		if w.s == len(r.sts) {
			return tagRow{}, false
		}
		w.load()
	}
	off := int(uint32(w.keys[w.c]))
	w.c++
	row, _ := decodeRow(w.buf[off:])
	return row, true
}

// load copies the next stretch's rows to a fresh heap buffer (the strings
// of the last one may still be waiting to be written) and orders them.
func (w *rowWalk) load() {
	r := w.r
	lo, hi := r.sts[w.s].lo, r.end
	if w.s+1 < len(r.sts) {
		hi = r.sts[w.s+1].lo
	}
	w.s++
	w.buf = slices.Clone(r.data[lo:hi])
	dropRecs(r.m.src, r.data)
	w.keys, w.c = w.keys[:0], 0
	for off := 0; off < len(w.buf); {
		row, n := decodeRow(w.buf[off:])
		w.keys = append(w.keys, uint64(row.rank)<<32|uint64(off))
		off += n
	}
	slices.Sort(w.keys)
}

// decodeRow reads the row at the start of b and how many bytes it takes;
// its strings point into b.
func decodeRow(b []byte) (tagRow, int) {
	row := tagRow{rank: binary.LittleEndian.Uint32(b), id: binary.LittleEndian.Uint32(b[4:])}
	flags := b[8]
	n := rowHead
	row.inBase, row.noTags = flags&rowInBase != 0, flags&rowNoTags != 0
	if flags&rowNamed == 0 {
		return row, n
	}
	str := func() string {
		l, k := binary.Uvarint(b[n:])
		n += k
		s := unsafe.String(unsafe.SliceData(b[n:]), int(l))
		n += int(l)
		return s
	}
	row.tag = str()
	row.source = row.tag
	if flags&rowSameSource == 0 {
		row.source = str()
	}
	return row, n
}
