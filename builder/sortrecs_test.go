package builder

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortRecs: in one piece or in blocks merged through a spill file, the
// table ends up sorted, with the same records.
func TestSortRecs(t *testing.T) {
	type rec struct {
		key uint64
		i   uint32
	}
	byKey := func(a, b rec) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	}
	for _, tc := range []struct {
		name  string
		n     int
		pass  int64
		spill bool
	}{
		{name: "in memory", n: 5000},
		{name: "in memory, blocks", n: 5000, pass: 1600},
		{name: "spilled, one block", n: 5000, spill: true},
		{name: "spilled, many blocks", n: 50_000, pass: 4096, spill: true},
		{name: "spilled, a last block of one", n: 1025, pass: 256, spill: true},
		{name: "empty", n: 0, pass: 64, spill: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := newChunkSource(-1, "", nil)
			if tc.spill {
				src = newChunkSource(1024, t.TempDir()+"/state", nil)
				defer src.release()
				makeColdRecs[byte](src, 4096) // past the share: what follows is mapped
			}
			src.pass = tc.pass
			r := rand.New(rand.NewPCG(5, 6))
			v := makeColdRecs[rec](src, tc.n)
			for i := range v {
				v[i] = rec{key: r.Uint64N(500), i: uint32(i)}
			}
			want := slices.Clone(v)
			slices.SortFunc(want, byKey)
			if err := sortRecs(src, v, byKey); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(v, want) {
				t.Fatal("sortRecs: not sorted, or records changed")
			}
			if tc.spill && src.OnDisk() == 0 {
				t.Fatal("nothing was spilled")
			}
		})
	}
}
