package builder

import (
	"context"
	"fmt"
	"math"
	"slices"
	"unsafe"
)

// The merge walks the status and count records tag by tag, in tag_id order,
// and writes them in that order. They are stored in source order, and past
// the memory share most of them are in the spill file, where a walk that
// jumps from record to record faults on nearly every one (a scale-2 build
// spent minutes so). So before the walk the records are moved, a stretch of
// ranks at a time, into tag_id order: every later walk then reads them front
// to back (docs/memory.md, "Walking the spilled state").

// noRank marks a tag without an id.
const noRank = math.MaxUint32

// ranks numbers the tags that have an id, in id order.
type ranks struct {
	src  *chunkSource
	of   []uint32 // tag index → rank, or noRank
	tags []uint32 // rank → tag index
}

// rankByID numbers every tag that has an id (after assignIDs) in id order.
func (m *memState) rankByID() ranks {
	n := 0
	for i := 0; i < m.ents.Len(); i++ {
		if m.ents.At(i).flags&tagHasID != 0 {
			n++
		}
	}
	rk := ranks{src: m.src, of: makeRecs[uint32](m.src, m.ents.Len()), tags: makeColdRecs[uint32](m.src, n)}
	pairs := makeColdRecs[uint64](m.src, n)[:0] // id << 32 | index: sorting the integers sorts by id
	defer freeRecs(m.src, pairs)
	for i := 0; i < m.ents.Len(); i++ {
		if e := m.ents.At(i); e.flags&tagHasID != 0 {
			pairs = append(pairs, uint64(e.id)<<32|uint64(i))
		}
	}
	slices.Sort(pairs)
	for k, p := range pairs {
		rk.tags[k] = uint32(p)
		pairs[k] = uint64(uint32(p))<<32 | uint64(k)
	}
	// Sorted again by index, the ranks are filled in front to back.
	slices.Sort(pairs)
	for i := range rk.of {
		rk.of[i] = noRank
	}
	for _, p := range pairs {
		rk.of[p>>32] = uint32(p)
	}
	return rk
}

func (rk *ranks) Len() int { return len(rk.tags) }

func (rk *ranks) release() {
	freeRecs(rk.src, rk.of)
	freeRecs(rk.src, rk.tags)
	*rk = ranks{}
}

// groups says where each rank's records are after sortByRank: those of
// rank k are start[k] up to start[k+1].
type groups struct {
	src   *chunkSource
	start []uint32
}

func (g groups) of(k uint32) (lo, hi int) { return int(g.start[k]), int(g.start[k+1]) }

// release gives the grouping's memory back to its source.
func (g *groups) release() {
	freeRecs(g.src, g.start)
	*g = groups{}
}

// sortPass bounds the bytes of sorted records one pass of sortByRank
// gathers once the state has spilled. A pass copies them out of order into a
// buffer on Go's heap (inside the collector's headroom of the budget) and
// writes the buffer to the spill file with plain writes: stores into fresh
// pages of a file mapping fault on every page, and past the window on every
// page again (a scale-2 count sort spent minutes so).
const sortPass = 48 * mib

// sortPass is how many bytes of sorted records one pass of sortByRank may
// gather: everything when nothing spilled (they go straight to their
// places), else sortPass. Tests set a tiny one.
func (s *chunkSource) sortPass() int64 {
	switch {
	case s != nil && s.pass > 0:
		return s.pass
	case s.OnDisk() == 0:
		return math.MaxInt64
	}
	return sortPass
}

// sortByRank moves recs (appended unit by unit, as us says) into rank order,
// keeping the source order within a rank, and returns each record's unit in
// the new order and where each rank's records are. tagOf points at a
// record's tag index.
//
// A first pass counts each rank's records; then each pass takes the ranks
// whose records fill at most sortPass bytes, reads every record in order and
// copies those of its ranks to their places, through a buffer once the state
// has spilled (storeRecs). An unspilled state does it in one pass.
func sortByRank[T any](ctx context.Context, src *chunkSource, rk ranks, recs *chunked[T], us units, tagOf func(*T) *uint32) (chunked[uint16], groups, error) {
	n := recs.Len()
	g := groups{src: src, start: makeColdRecs[uint32](src, rk.Len()+1)}
	// Each record's tag becomes its rank while it waits: the passes then
	// read nothing but the records.
	for i := 0; i < n; i++ {
		if i&(1<<chunkBits-1) == 0 && i > 0 {
			dropRecs(src, recs.chunks[i>>chunkBits-1])
		}
		t := tagOf(recs.At(i))
		k := rk.of[*t]
		if k == noRank {
			g.release()
			return chunked[uint16]{}, groups{}, fmt.Errorf("internal error: a record's tag %d has no id", *t)
		}
		*t = k
		g.start[k+1]++
	}
	for k := 1; k < len(g.start); k++ {
		g.start[k] += g.start[k-1]
	}
	out := chunked[T]{src: recs.src, cold: true}
	out.grow(n)
	unitOut := chunked[uint16]{src: recs.src, cold: true}
	unitOut.grow(n)
	var zero T
	pass := src.sortPass()
	perRec := int64(unsafe.Sizeof(zero)) + 2
	direct := src.OnDisk() == 0
	var fill []uint32
	var buf []T
	var ubuf []uint16
	for a := 0; a < rk.Len(); {
		b := a + 1
		for b < rk.Len() && int64(g.start[b+1]-g.start[a])*perRec <= pass {
			b++
		}
		lo, hi := int(g.start[a]), int(g.start[b])
		fill = append(fill[:0], g.start[a:b]...)
		if !direct {
			buf = slices.Grow(buf[:0], hi-lo)[:hi-lo]
			ubuf = slices.Grow(ubuf[:0], hi-lo)[:hi-lo]
		}
		next, ui := 0, -1 // where the next unit starts, and its index in us
		var unit uint16
		for i := 0; i < n; i++ {
			if i&(1<<chunkBits-1) == 0 && i > 0 {
				dropRecs(src, recs.chunks[i>>chunkBits-1])
			}
			if i&0xfffff == 0 && ctx.Err() != nil {
				out.Reset()
				unitOut.Reset()
				g.release()
				return chunked[uint16]{}, groups{}, ctx.Err()
			}
			for i == next {
				ui++
				unit = us.ids[ui]
				next = n
				if ui+1 < len(us.starts) {
					next = us.starts[ui+1]
				}
			}
			r := recs.At(i)
			k := *tagOf(r)
			if k < uint32(a) || k >= uint32(b) {
				continue
			}
			pos := int(fill[k-uint32(a)])
			fill[k-uint32(a)]++
			var o *T
			if direct {
				o = out.At(pos)
				*unitOut.At(pos) = unit
			} else {
				o = &buf[pos-lo]
				ubuf[pos-lo] = unit
			}
			*o = *r
			*tagOf(o) = rk.tags[k]
		}
		if !direct {
			err := storeRecs(src, &out, lo, buf)
			if err == nil {
				err = storeRecs(src, &unitOut, lo, ubuf)
			}
			if err != nil {
				out.Reset()
				unitOut.Reset()
				g.release()
				return chunked[uint16]{}, groups{}, err
			}
		}
		a = b
	}
	recs.Reset()
	*recs = out
	return unitOut, g, nil
}
