package builder

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestInterner(t *testing.T) {
	in := newInterner(nil)
	// Enough strings to grow the table several times, a long one that needs
	// a chunk of its own, and the empty string.
	var want []string
	for i := 0; i < 200_000; i++ {
		want = append(want, fmt.Sprintf("tag_%d", i))
	}
	want = append(want, strings.Repeat("x", textChunk+10), "", "タグ")
	for i, s := range want {
		idx, added := in.Intern(s)
		if !added || int(idx) != i {
			t.Fatalf("Intern(%.20q) = %d, %v; want %d, true", s, idx, added, i)
		}
	}
	for i, s := range want {
		if idx, added := in.Intern(s); added || int(idx) != i {
			t.Fatalf("second Intern(%.20q) = %d, %v", s, idx, added)
		}
		if idx, ok := in.Lookup(s); !ok || int(idx) != i {
			t.Fatalf("Lookup(%.20q) = %d, %v", s, idx, ok)
		}
		if got := in.Str(uint32(i)); got != s {
			t.Fatalf("Str(%d) = %.20q, want %.20q", i, got, s)
		}
	}
	if _, ok := in.Lookup("tag_200000"); ok {
		t.Fatal("Lookup found a string never interned")
	}
	if in.text.full {
		t.Fatal("arena full after a few megabytes")
	}
}

// TestInternerSlots checks the packing of an index and a hash fingerprint
// into a slot at every table size, up to the largest, where no bits are
// left for the fingerprint: the index always comes back, and a hash that
// differs in its top bits is told apart without reading text.
func TestInternerSlots(t *testing.T) {
	for _, bits := range []uint{16, 20, 25, 31, 32} {
		in := &interner{bits: bits}
		most := uint32(uint64(1)<<bits*3/4 - 1) // the highest index a table of this size holds
		for _, idx := range []uint32{0, 1, most / 2, most} {
			for _, h := range []uint64{0, 1<<64 - 1, 0x9e3779b97f4a7c15} {
				v := in.slot(h, idx)
				if v == 0 {
					t.Fatalf("bits %d: slot(%#x, %d) is 0, the empty slot", bits, h, idx)
				}
				if got, ok := in.match(v, h); !ok || got != idx {
					t.Fatalf("bits %d: match(slot(%#x, %d)) = %d, %v", bits, h, idx, got, ok)
				}
				other := h ^ 1<<63
				if _, ok := in.match(v, other); ok != (bits == 32) {
					t.Fatalf("bits %d: a hash differing in its top bit matched: %v", bits, ok)
				}
			}
		}
	}
}

// TestSpillRoundTrip: the usage counts' spill file gives its records back
// in order, into chunks on the heap or into the state's own spill file.
func TestSpillRoundTrip(t *testing.T) {
	for _, into := range []string{"heap", "spilled state"} {
		t.Run(into, func(t *testing.T) {
			var src *chunkSource
			if into == "spilled state" {
				src = newChunkSource(1, filepath.Join(t.TempDir(), "state"), nil)
				defer src.release()
			}
			s := newSpill[countRec](filepath.Join(t.TempDir(), "counts"))
			n := 3<<chunkBits + 17 // several full chunks and a partial one
			for i := 0; i < n; i++ {
				s.Append(countRec{tag: uint32(i), lo: uint32(i * 3), hi: int16(i % 7), format: uint8(i % 200)})
			}
			got, err := s.Load(src)
			if err != nil {
				t.Fatal(err)
			}
			if src != nil && src.OnDisk() == 0 {
				t.Fatal("the records were not loaded into the spill file")
			}
			if got.Len() != n {
				t.Fatalf("loaded %d records, want %d", got.Len(), n)
			}
			for i := 0; i < n; i++ {
				r := got.At(i)
				if r.tag != uint32(i) || r.lo != uint32(i*3) || r.hi != int16(i%7) || r.format != uint8(i%200) {
					t.Fatalf("record %d = %+v", i, *r)
				}
			}
			if m, _ := filepath.Glob(s.path); len(m) != 0 {
				t.Fatalf("spill file left behind: %v", m)
			}
		})
	}
}

func TestUnitsOfRecord(t *testing.T) {
	var u units
	u.begin(0, baseUnit)
	u.begin(5, 0)
	u.begin(5, 1) // unit 0 added nothing
	u.begin(9, 2)
	for i, want := range map[uint32]uint16{0: baseUnit, 4: baseUnit, 5: 1, 8: 1, 9: 2, 100: 2} {
		if got := u.of(i); got != want {
			t.Errorf("of(%d) = %d, want %d", i, got, want)
		}
	}
}
