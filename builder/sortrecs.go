package builder

import (
	"cmp"
	"slices"
	"unsafe"
)

// sortRecs sorts v, a table from makeColdRecs, by compare (a total order).
// On the heap it is slices.SortFunc. Once the state has spilled, v may be a
// mapped table larger than the pages the trimmer lets stay resident, and a
// quicksort over it reads the whole table again at every level of its
// recursion, faulting on every page each time. So v is sorted in blocks of
// at most sortPass bytes in a heap buffer, and the sorted blocks are merged
// in one pass into a new table that is copied back: every record is read
// three times and written three times, in order (docs/memory.md).
//
// An error is the spill file's: v is then left partly sorted.
func sortRecs[T any](s *chunkSource, v []T, compare func(a, b T) int) error {
	var zero T
	size := int64(unsafe.Sizeof(zero))
	block := int(max(1, s.sortPass()/size))
	forced := s != nil && s.pass > 0 // tests: tiny blocks, in memory too
	if !forced && (s.OnDisk() == 0 || len(v) <= block) {
		slices.SortFunc(v, compare)
		return nil
	}
	buf := make([]T, min(block, len(v)))
	for lo := 0; lo < len(v); lo += block {
		b := buf[:copy(buf, v[lo:min(lo+block, len(v))])]
		slices.SortFunc(b, compare)
		copy(v[lo:], b)
	}
	if len(v) <= block {
		return nil
	}
	// Merge the blocks: a binary heap of block cursors, smallest head on
	// top; the output goes to a fresh table through a buffer and plain
	// writes (stores into fresh pages of a file mapping fault on each).
	type cursor struct{ at, end int }
	var cs []cursor
	for lo := 0; lo < len(v); lo += block {
		cs = append(cs, cursor{lo, min(lo+block, len(v))})
	}
	less := func(i, j int) bool { return compare(v[cs[i].at], v[cs[j].at]) < 0 }
	down := func(i int) {
		for {
			c := 2*i + 1
			if c >= len(cs) {
				return
			}
			if c+1 < len(cs) && less(c+1, c) {
				c++
			}
			if !less(c, i) {
				return
			}
			cs[i], cs[c] = cs[c], cs[i]
			i = c
		}
	}
	for i := len(cs)/2 - 1; i >= 0; i-- {
		down(i)
	}
	tmp := makeColdRecs[T](s, len(v))
	defer freeRecs(s, tmp)
	out := buf[:0]
	at := 0
	flush := func() error {
		if len(out) == 0 {
			return nil
		}
		if err := s.store(unsafe.Pointer(&tmp[0]), recordBytes(tmp[at:at+len(out)]), recordBytes(out)); err != nil {
			return err
		}
		at += len(out)
		out = out[:0]
		return nil
	}
	for len(cs) > 0 {
		out = append(out, v[cs[0].at])
		if len(out) == cap(out) {
			if err := flush(); err != nil {
				return err
			}
		}
		if cs[0].at++; cs[0].at == cs[0].end {
			cs[0] = cs[len(cs)-1]
			cs = cs[:len(cs)-1]
		}
		down(0)
	}
	if err := flush(); err != nil {
		return err
	}
	copy(v, tmp)
	return nil
}

// sortInts is sortRecs for integers.
func sortInts[T cmp.Ordered](s *chunkSource, v []T) error { return sortRecs(s, v, cmp.Compare[T]) }
