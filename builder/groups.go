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
// spent minutes so). So before the walk the records are moved into tag_id
// order (sortByRank): every later walk then reads them front to back
// (docs/memory.md, "Walking the spilled state").

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
	defer m.src.sorting()()
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

// sortPass bounds the bytes of records one stretch of sortByRank orders in
// memory once the state has spilled.
const sortPass = 48 * mib

// sortSpread is the bytes of records the distributing pass of sortByRank
// buffers, over all stretches, before writing them out: one write per
// stretch per buffer-full.
const sortSpread = 16 * mib

// passBytes is how many bytes one stretch of a spreading pass (sortByRank,
// tagRows) may hold in memory: def, or a tiny figure a test sets.
func (s *chunkSource) passBytes(def int64) int64 {
	if s != nil && s.pass > 0 {
		return s.pass
	}
	return def
}

// spreads says whether the spreading passes must run: the state has
// spilled, or a test forces them with a tiny pass. Otherwise everything is
// in memory and read at random for free.
func (s *chunkSource) spreads() bool {
	return s.OnDisk() > 0 || s != nil && s.pass > 0
}

// sortByRank moves recs (appended unit by unit, as us says) into rank order,
// keeping the source order within a rank, and returns each record's unit in
// the new order and where each rank's records are. tagOf points at a
// record's tag index.
//
// An unspilled state counts each rank's records and copies every record to
// its place. A spilled one must not read or write at random: one pass
// reads the records in order and spreads them over stretches of ranks of at
// most sortPass bytes, each stretch's records written to its part of the
// output through a small buffer (storeRecs); then each stretch is read back,
// ordered in a heap buffer and written over itself. Every record is read
// twice and written twice, whatever the size (docs/memory.md).
func sortByRank[T any](ctx context.Context, src *chunkSource, rk ranks, recs *chunked[T], us units, tagOf func(*T) *uint32) (chunked[uint16], groups, error) {
	n := recs.Len()
	g := groups{src: src, start: makeColdRecs[uint32](src, rk.Len()+1)}
	out := chunked[T]{src: recs.src, cold: true}
	out.grow(n)
	unitOut := chunked[uint16]{src: recs.src, cold: true}
	unitOut.grow(n)
	var err error
	if !src.spreads() {
		err = placeByRank(ctx, src, rk, recs, us, tagOf, g, &out, &unitOut)
	} else {
		err = spreadByRank(ctx, src, rk, recs, us, tagOf, g, &out, &unitOut)
	}
	if err != nil {
		out.Reset()
		unitOut.Reset()
		g.release()
		return chunked[uint16]{}, groups{}, err
	}
	recs.Reset()
	*recs = out
	return unitOut, g, nil
}

// eachRec calls fn with every record of recs in order and its unit,
// dropping the mapped pages it has read and stopping when ctx is done.
func eachRec[T any](ctx context.Context, src *chunkSource, recs *chunked[T], us units, fn func(r *T, unit uint16) error) error {
	n := recs.Len()
	next, ui := 0, -1 // where the next unit starts, and its index in us
	var unit uint16
	for i := 0; i < n; i++ {
		if i&(1<<chunkBits-1) == 0 && i > 0 {
			dropRecs(src, recs.chunks[i>>chunkBits-1])
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for i == next {
			ui++
			unit = us.ids[ui]
			next = n
			if ui+1 < len(us.starts) {
				next = us.starts[ui+1]
			}
		}
		if err := fn(recs.At(i), unit); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// rankOf is the rank of a record's tag, or an error for a tag without an id.
func rankOf(rk ranks, tag uint32) (uint32, error) {
	k := rk.of[tag]
	if k == noRank {
		return 0, fmt.Errorf("internal error: a record's tag %d has no id", tag)
	}
	return k, nil
}

// placeByRank is sortByRank in memory: a counting pass, then every record
// copied to its place. g.start[k] serves as rank k's cursor and is shifted
// back afterwards.
func placeByRank[T any](ctx context.Context, src *chunkSource, rk ranks, recs *chunked[T], us units, tagOf func(*T) *uint32, g groups, out *chunked[T], unitOut *chunked[uint16]) error {
	err := eachRec(ctx, src, recs, us, func(r *T, _ uint16) error {
		k, err := rankOf(rk, *tagOf(r))
		g.start[k+1]++
		return err
	})
	if err != nil {
		return err
	}
	for k := 1; k < len(g.start); k++ {
		g.start[k] += g.start[k-1]
	}
	err = eachRec(ctx, src, recs, us, func(r *T, unit uint16) error {
		k := rk.of[*tagOf(r)]
		pos := int(g.start[k])
		g.start[k]++
		*out.At(pos) = *r
		*unitOut.At(pos) = unit
		return nil
	})
	if err != nil {
		return err
	}
	copy(g.start[1:], g.start[:len(g.start)-1])
	g.start[0] = 0
	return nil
}

// sortBuckets is how many buckets of ranks a counting pass tells apart
// (rankBuckets): enough to cut stretches close to sortPass at any size, few
// enough to count in a small table.
const sortBuckets = 1 << 16

// rankBuckets splits n ranks into at most sortBuckets buckets of width
// ranks each, and returns the width and a zeroed count per bucket.
func rankBuckets(n int) (width int, counts []int64) {
	width = max(1, (n+sortBuckets-1)/sortBuckets)
	return width, make([]int64, (n+width-1)/width)
}

// span is a stretch of ranks [a, b) whose items begin at lo.
type span struct{ a, b, lo int }

// cutStretches cuts n ranks, counted in buckets of width ranks, into
// stretches of whole buckets whose items (perItem bytes each) and ranks
// (perRank bytes each) fill at most pass bytes; a bucket larger than pass
// is a stretch of its own. It returns the stretches, their items numbered
// in rank order, and each bucket's stretch.
func cutStretches(counts []int64, width, n int, perItem, perRank, pass int64) ([]span, []uint32) {
	var out []span
	stretchOf := make([]uint32, len(counts))
	at := 0
	for c := 0; c < len(counts); {
		d, items := c+1, counts[c]
		for d < len(counts) && (items+counts[d])*perItem+int64((d+1-c)*width)*perRank <= pass {
			items += counts[d]
			d++
		}
		for e := c; e < d; e++ {
			stretchOf[e] = uint32(len(out))
		}
		out = append(out, span{a: c * width, b: min(d*width, n), lo: at})
		at += int(items)
		c = d
	}
	return out, stretchOf
}

// spreadByRank is sortByRank for a spilled state (see there).
func spreadByRank[T any](ctx context.Context, src *chunkSource, rk ranks, recs *chunked[T], us units, tagOf func(*T) *uint32, g groups, out *chunked[T], unitOut *chunked[uint16]) error {
	var zero T
	perRec := int64(unsafe.Sizeof(zero)) + 2 // the record and its unit
	// Count the records of each bucket of ranks, and cut the ranks into
	// stretches that fill at most a pass with their records and their
	// ranks' cursors.
	width, buckets := rankBuckets(rk.Len())
	err := eachRec(ctx, src, recs, us, func(r *T, _ uint16) error {
		k, err := rankOf(rk, *tagOf(r))
		buckets[int(k)/width]++
		return err
	})
	if err != nil {
		return err
	}
	cut, stretchOf := cutStretches(buckets, width, rk.Len(), perRec, 4, src.passBytes(sortPass))
	type stretch struct {
		span
		at   int // where its next record goes
		buf  []T // records waiting to be written
		ubuf []uint16
	}
	sts := make([]stretch, len(cut))
	for i, c := range cut {
		sts[i] = stretch{span: c, at: c.lo}
	}
	// Spread: each record goes, with its rank in place of its tag, to the
	// part of the output of its stretch, in source order.
	bufRecs := max(1024, int(sortSpread/perRec)/max(1, len(sts)))
	flush := func(s *stretch) error {
		if err := storeRecs(src, out, s.at, s.buf); err != nil {
			return err
		}
		if err := storeRecs(src, unitOut, s.at, s.ubuf); err != nil {
			return err
		}
		s.at += len(s.buf)
		s.buf, s.ubuf = s.buf[:0], s.ubuf[:0]
		return nil
	}
	err = eachRec(ctx, src, recs, us, func(r *T, unit uint16) error {
		k := rk.of[*tagOf(r)]
		s := &sts[stretchOf[int(k)/width]]
		if s.buf == nil {
			s.buf, s.ubuf = make([]T, 0, bufRecs), make([]uint16, 0, bufRecs)
		}
		s.buf = append(s.buf, *r)
		*tagOf(&s.buf[len(s.buf)-1]) = k
		s.ubuf = append(s.ubuf, unit)
		if len(s.buf) == cap(s.buf) {
			return flush(s)
		}
		return nil
	})
	for i := range sts {
		if err == nil {
			err = flush(&sts[i])
		}
		sts[i].buf, sts[i].ubuf = nil, nil
	}
	if err != nil {
		return err
	}
	// Order each stretch in memory: count its ranks' records into
	// g.start, copy them to their places in a buffer, each with its tag
	// again, and write the buffer over the stretch.
	var buf []T
	var ubuf []uint16
	var fill []uint32
	for _, s := range sts {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := s.at
		for i := s.lo; i < hi; i++ {
			g.start[*tagOf(out.At(i))+1]++
		}
		g.start[s.a] = uint32(s.lo)
		for k := s.a; k < s.b; k++ {
			g.start[k+1] += g.start[k]
		}
		fill = append(fill[:0], g.start[s.a:s.b]...)
		buf = slices.Grow(buf[:0], hi-s.lo)[:hi-s.lo]
		ubuf = slices.Grow(ubuf[:0], hi-s.lo)[:hi-s.lo]
		for i := s.lo; i < hi; i++ {
			r := out.At(i)
			k := *tagOf(r)
			pos := int(fill[k-uint32(s.a)]) - s.lo
			fill[k-uint32(s.a)]++
			buf[pos] = *r
			*tagOf(&buf[pos]) = rk.tags[k]
			ubuf[pos] = *unitOut.At(i)
		}
		if err := storeRecs(src, out, s.lo, buf); err != nil {
			return err
		}
		if err := storeRecs(src, unitOut, s.lo, ubuf); err != nil {
			return err
		}
		for c := s.lo >> chunkBits; c < hi>>chunkBits; c++ {
			dropRecs(src, out.chunks[c])
			dropRecs(src, unitOut.chunks[c])
		}
	}
	return nil
}
