package builder

import (
	"cmp"
	"encoding/binary"
	"slices"
)

// sortByName orders the tag indexes ix by their text in byte order (for
// UTF-8, code-point order), and returns them in that order.
//
// A comparison sort that reads the text on every tie reads it in random
// order, and past the memory share the text is in the spill file: each read
// is then a page fault, and a scale-2 build spent minutes on them (generated
// and real tag names share long prefixes, so ties are common). This sort
// compares integers only. Each round packs the next seven bytes of a name
// into a key, sorts, and goes on with the names still tied, and it reads
// those names' text in index order, the order the arena stored it in, so a
// spilled arena is read front to back.
func (m *memState) sortByName(ix []uint32) []uint32 {
	type keyed struct {
		key uint64
		i   uint32
		_   uint32
	}
	ks := makeColdRecs[keyed](m.src, len(ix))
	defer freeRecs(m.src, ks)
	for k, i := range ix {
		ks[k] = keyed{key: nameKey(m.tags.Str(i), 0), i: i}
	}
	byKey := func(a, b keyed) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	}
	slices.SortFunc(ks, byKey)

	// runs are the stretches of ks whose names are still tied: same bytes so
	// far, and both go on.
	type run struct{ a, b uint32 }
	tied := func(in []run) []run {
		var out []run
		for _, r := range in {
			for a := r.a; a < r.b; {
				b := a + 1
				for b < r.b && ks[b].key == ks[a].key {
					b++
				}
				if b-a > 1 && ks[a].key&0xff == nameMore {
					out = append(out, run{a, b})
				}
				a = b
			}
		}
		return out
	}
	runs := tied([]run{{0, uint32(len(ks))}})
	// Each round fetches the next key of every still-tied name: sorted by
	// tag index, the text is read in arena order; sorted back by position,
	// the keys are written to ks front to back. Both tables may be in the
	// spill file, and writing the keys in arena order put each at a random
	// place in ks: a fault on nearly every one once the trimmer had dropped
	// the page (most of a scale-4 build's 48 s numbering the ids).
	type fetched struct {
		key      uint64
		idx, pos uint32
	}
	fetch := makeColdRecs[fetched](m.src, len(ks))[:0]
	defer freeRecs(m.src, fetch)
	for off := nameStep; len(runs) > 0; off += nameStep {
		fetch = fetch[:0]
		for _, r := range runs {
			for k := r.a; k < r.b; k++ {
				fetch = append(fetch, fetched{idx: ks[k].i, pos: k})
			}
		}
		slices.SortFunc(fetch, func(a, b fetched) int { return cmp.Compare(a.idx, b.idx) })
		for j := range fetch {
			fetch[j].key = nameKey(m.tags.Str(fetch[j].idx), off)
		}
		slices.SortFunc(fetch, func(a, b fetched) int { return cmp.Compare(a.pos, b.pos) })
		for _, f := range fetch {
			ks[f.pos].key = f.key
		}
		for _, r := range runs {
			slices.SortFunc(ks[r.a:r.b], byKey)
		}
		runs = tied(runs)
	}
	for k := range ks {
		ix[k] = ks[k].i
	}
	return ix
}

// nameStep is how many bytes of a name one key holds; the key's low byte
// says how many of the name's bytes are left from the key's offset, capped
// at nameMore: a shorter name sorts before a longer one with the same bytes,
// and a NUL byte is not mistaken for the end.
const (
	nameStep = 7
	nameMore = nameStep + 1
)

// nameKey packs bytes off..off+7 of s and how many are left.
func nameKey(s string, off int) uint64 {
	var b [8]byte
	rest := s[min(off, len(s)):]
	copy(b[:nameStep], rest)
	b[nameStep] = byte(min(len(rest), nameMore))
	return binary.BigEndian.Uint64(b[:])
}
