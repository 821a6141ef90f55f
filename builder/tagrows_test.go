package builder

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestTagRows: copied into rank order through stretches, in memory or
// spilled, the rows of either set are the ones a walk over the state gives.
func TestTagRows(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tags  int
		pass  int64
		spill bool
	}{
		{name: "in memory, straight from the state", tags: 500},
		{name: "in memory, a stretch per few ranks", tags: 500, pass: 300},
		{name: "spilled, one stretch", tags: 5000, spill: true},
		{name: "spilled, many stretches", tags: 80_000, spill: true, pass: 20_000},
		{name: "no tags", tags: 0, pass: 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var src *chunkSource
			if tc.spill {
				src = newChunkSource(4096, t.TempDir()+"/state", nil)
				defer src.release()
			} else {
				src = newChunkSource(-1, "", nil)
			}
			m := newMemState(t.TempDir()+"/counts", src)
			r := rand.New(rand.NewPCG(3, 4))
			var ix []uint32
			for i := range tc.tags {
				name := fmt.Sprintf("tag %d %s", i, string(rune(0x3040+i%90)))
				var i uint32
				switch r.IntN(5) {
				case 0: // in the base
					i = m.tag(name)
					m.ent(i).flags |= tagInTags | tagInBase
				case 1: // named by an ids-only source: no TAGS row
					i = m.tagRow(name, name, 0, true)
				case 2:
					i = m.tagRow(name, "Explicit "+name, 0, false)
				case 3:
					i = m.tagRow(name, name, 0, false) // source_tag is the tag
				default:
					i = m.tagRow(name, underscored(name), 0, false)
				}
				ix = append(ix, i)
			}
			for k, p := range r.Perm(tc.tags) {
				e := m.ent(ix[p])
				e.id, e.flags = uint32(10+2*k), e.flags|tagHasID
			}
			rk := m.rankByID()
			for _, set := range []rowSet{tagsRows, allRows} {
				want := collectRows(t, &tagRows{m: m, rk: rk, set: set})
				src.pass = tc.pass
				checkRows(t, m, rk, set, want)
				rows, err := m.tagRows(context.Background(), rk, set)
				if err != nil {
					t.Fatal(err)
				}
				if tc.spill || tc.pass > 0 {
					if tc.tags > 0 && rows.sts == nil {
						t.Fatal("the rows were not copied")
					}
				}
				got := collectRows(t, rows)
				if len(got) != len(want) {
					t.Fatalf("set %d: %d rows, want %d", set, len(got), len(want))
				}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("set %d: row %d: %+v, want %+v", set, i, got[i], want[i])
					}
				}
				// A second walk (the counts writer's) gives them again.
				if again := collectRows(t, rows); len(again) != len(want) {
					t.Fatalf("set %d: second walk: %d rows, want %d", set, len(again), len(want))
				}
				rows.release()
			}
		})
	}
}

// checkRows: the walk straight over the state gives set's tags: the tags
// with a TAGS row, with tag and source_tag unless the base has the row; in
// allRows every tag with an id, each with its tag.
func checkRows(t *testing.T, m *memState, rk ranks, set rowSet, rows []tagRow) {
	t.Helper()
	n := 0
	for k, i := range rk.tags {
		e := m.ent(i)
		if set == tagsRows && e.flags&tagInTags == 0 {
			continue
		}
		if n == len(rows) {
			t.Fatalf("set %d: %d rows, want more", set, n)
		}
		row := rows[n]
		n++
		want := tagRow{rank: uint32(k), id: e.id, tag: m.tags.Str(i), source: m.sourceTag(i)}
		switch {
		case e.flags&tagInTags == 0: // allRows only: named, no TAGS row
			want.noTags, want.source = true, want.tag
		case e.flags&tagInBase != 0 && set == allRows:
			want.inBase, want.source = true, want.tag
		case e.flags&tagInBase != 0:
			want = tagRow{rank: uint32(k), id: e.id, inBase: true}
		}
		if row != want {
			t.Fatalf("set %d: row %d: %+v, want %+v", set, n-1, row, want)
		}
	}
	if n != len(rows) {
		t.Fatalf("set %d: %d rows, want %d", set, len(rows), n)
	}
}

func underscored(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == ' ' {
			b[i] = '_'
		}
	}
	return string(b)
}

func collectRows(t *testing.T, rows *tagRows) []tagRow {
	t.Helper()
	var out []tagRow
	last := -1
	for it := rows.walk(); ; {
		row, ok := it.next()
		if !ok {
			return out
		}
		if int(row.rank) <= last {
			t.Fatalf("rank %d after %d", row.rank, last)
		}
		last = int(row.rank)
		// Copied: the walk's strings share its buffers.
		row.tag, row.source = string([]byte(row.tag)), string([]byte(row.source))
		out = append(out, row)
	}
}
