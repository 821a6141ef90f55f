package builder

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSortByName(t *testing.T) {
	random := func(n int, seed uint64) []string {
		r := rand.New(rand.NewPCG(seed, 1))
		seen := map[string]bool{}
		var out []string
		for len(out) < n {
			// Long shared prefixes, short alphabets and NUL bytes make ties
			// that take several rounds.
			var b strings.Builder
			b.WriteString([]string{"", "bottle tree ", "bottle tree_", "long shared prefix of many tags "}[r.IntN(4)])
			for k := r.IntN(12); k > 0; k-- {
				b.WriteByte("ab\x00é"[r.IntN(4)])
			}
			if s := b.String(); !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		names []string
	}{
		{"one", []string{"solo"}},
		{"prefixes of each other", []string{"abcdefghijklmnop", "abc", "abcdefg", "abcdefgh", "", "abcdefghijklmno", "ab"}},
		{"NUL is not the end", []string{"ab\x00", "ab", "ab\x00\x00", "ab\x01", "abcdefg\x00", "abcdefg"}},
		{"seven-byte boundaries", []string{"1234567", "12345678", "123456", "1234567a", "12345670", "12345671234567", "123456712345670"}},
		{"code points", []string{"ö", "z", "日本", "o", "ｚ", "éa", "e"}},
		{"random", random(3000, 1)},
		{"random, tiny state share", random(3000, 2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var src *chunkSource
			if strings.HasSuffix(tc.name, "tiny state share") {
				src = newChunkSource(4096, t.TempDir()+"/state", nil)
				defer src.release()
			}
			m := newMemState(t.TempDir()+"/counts", src)
			var ix []uint32
			for _, s := range tc.names {
				ix = append(ix, m.tag(s))
			}
			rand.New(rand.NewPCG(3, 4)).Shuffle(len(ix), func(a, b int) { ix[a], ix[b] = ix[b], ix[a] })
			var got []string
			for _, i := range m.sortByName(ix) {
				got = append(got, m.tags.Str(i))
			}
			want := slices.Clone(tc.names)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("sortByName:\n got %q\nwant %q", got, want)
			}
		})
	}
}
