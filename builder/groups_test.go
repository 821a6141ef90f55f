package builder

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortByRank: records move into id order, each id's records keep their
// source order and their unit, in memory or spread over stretches of ranks.
func TestSortByRank(t *testing.T) {
	for _, tc := range []struct {
		name        string
		tags, recs  int
		pass        int64 // bytes per pass; 0: the default
		spill       bool
		unitsOfRecs []int // records per unit
	}{
		{name: "one pass, in memory", tags: 50, recs: 2000, unitsOfRecs: []int{500, 1000, 500}},
		{name: "in memory, a stretch per few ranks", tags: 50, recs: 2000, pass: 240, unitsOfRecs: []int{700, 600, 700}},
		{name: "a rank larger than a stretch", tags: 3, recs: 3000, pass: 100, unitsOfRecs: []int{1000, 2000}},
		{name: "spilled, chunks of many units", tags: 70_000, recs: 200_000, spill: true, unitsOfRecs: []int{1, 65_535, 2, 100_000, 34_462}},
		{name: "spilled, a stretch per few ranks", tags: 5000, recs: 150_000, spill: true, pass: 50_000, unitsOfRecs: []int{70_000, 80_000}},
		{name: "spilled, buckets of several ranks, most ranks without records", tags: 140_000, recs: 100_000, spill: true, pass: 30_000, unitsOfRecs: []int{60_000, 40_000}},
		{name: "empty units between", tags: 10, recs: 100, pass: 200, unitsOfRecs: []int{40, 0, 0, 60}},
		{name: "no records", tags: 5, recs: 0, unitsOfRecs: []int{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var src *chunkSource
			if tc.spill {
				src = newChunkSource(4096, t.TempDir()+"/state", nil)
				defer src.release()
			} else {
				src = newChunkSource(-1, "", nil)
			}
			src.pass = tc.pass
			m := newMemState(t.TempDir()+"/counts", src)
			r := rand.New(rand.NewPCG(7, 8))
			var names []uint32
			for i := range tc.tags {
				names = append(names, m.tag(string(rune('a'+i%26))+string(rune(0x100+i))))
			}
			// Ids in an order unrelated to the tag indexes.
			for k, p := range r.Perm(tc.tags) {
				e := m.ent(names[p])
				e.id, e.flags = uint32(1000+3*k), tagHasID
			}
			type want struct {
				id   uint32
				seq  int16
				unit uint16
			}
			var wants []want
			seq := 0
			for u, n := range tc.unitsOfRecs {
				m.startUnit(uint16(u))
				for range n {
					tag := names[r.IntN(tc.tags)]
					m.status.Append(statusRec{tag: tag, pref: tag, typ: int16(seq)})
					wants = append(wants, want{m.ent(tag).id, int16(seq), uint16(u)})
					seq++
				}
			}
			slices.SortStableFunc(wants, func(a, b want) int { return int(a.id) - int(b.id) })

			rk := m.rankByID()
			units, g, err := sortByRank(context.Background(), src, rk, &m.status, m.statusUnits, statusTag)
			if err != nil {
				t.Fatal(err)
			}
			if m.status.Len() != len(wants) || units.Len() != len(wants) {
				t.Fatalf("%d records and %d units after the sort, want %d", m.status.Len(), units.Len(), len(wants))
			}
			for i, w := range wants {
				r := m.status.At(i)
				if got := m.ent(r.tag).id; got != w.id || r.typ != w.seq || *units.At(i) != w.unit {
					t.Fatalf("record %d: id %d, sequence %d, unit %d; want id %d, sequence %d, unit %d", i, got, r.typ, *units.At(i), w.id, w.seq, w.unit)
				}
			}
			for k := range rk.Len() {
				lo, hi := g.of(uint32(k))
				for i := lo; i < hi; i++ {
					if tag := m.status.At(i).tag; tag != rk.tags[k] {
						t.Fatalf("rank %d: record %d has tag %d, want %d", k, i, tag, rk.tags[k])
					}
				}
			}
		})
	}
}

// TestSortByRankCancelled: a cancelled build stops in the sort (the state is
// then dropped with the build).
func TestSortByRankCancelled(t *testing.T) {
	src := newChunkSource(-1, "", nil)
	m := newMemState(t.TempDir()+"/counts", src)
	m.startUnit(0)
	a := m.tag("a")
	e := m.ent(a)
	e.id, e.flags = 1, tagHasID
	m.status.Append(statusRec{tag: a, pref: a})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := sortByRank(ctx, src, m.rankByID(), &m.status, m.statusUnits, statusTag); err != context.Canceled {
		t.Fatalf("sortByRank with a cancelled context: %v, want context.Canceled", err)
	}
}
