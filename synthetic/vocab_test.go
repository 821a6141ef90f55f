package synthetic

import (
	"strings"
	"testing"
)

func TestKaomojiRules(t *testing.T) {
	// docs/merge-rules.md, "Worked examples".
	for in, want := range map[string]bool{
		":D": true, "XD": true, "xd": true, "xp": true, ";)": true, "8)": true, ":<": true, ":>=": true,
		"(o_o)": true, "^_^": true, "0_0": true, ">_<": true, "x_x": true, "3_3": true, "100_100": true,
		"(;_;)": true, ">:)": true,
		"au_ra": false, "t_t": false, "u_u": false, "v_v": false, "@_@": false, "bow_(weapon)": false,
		"(mlp)": false, "/mlp/": false, "witch": false, "long_hair": false, "": false,
		"copyright:vtuber": false, "aaaaaaaaaaaaaaaaaaaaaaaaa:)": false,
	} {
		if got := isKaomoji(in); got != want {
			t.Errorf("isKaomoji(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, source, tag string }{
		{"Witch", "witch", "witch"},
		{"HATSUNE_MIKU", "hatsune_miku", "hatsune miku"},
		{"  tag  ", "tag", "tag"},
		{":D", ":D", ":D"},
		{"(o_o)", "(o_o)", `\(o_o\)`},
		{"^_^", "^_^", "^_^"},
		{"100_100", "100_100", "100_100"},
		{"t_t", "t_t", "t t"},
		{"bow_(weapon)", "bow_(weapon)", `bow \(weapon\)`},
		{`bow_\(weapon\)`, `bow_\(weapon\)`, `bow \(weapon\)`},
		{"(mlp)", "(mlp)", `\(mlp\)`},
		{"/mlp/", "/mlp/", "/mlp/"},
		{"a__b", "a__b", "a  b"},
		{"copyright:vtuber", "copyright:vtuber", "copyright:vtuber"},
		{"Девушка_Море", "девушка_море", "девушка море"},
	} {
		k := isKaomoji(tc.in)
		if got := sourceTag(tc.in, k); got != tc.source {
			t.Errorf("sourceTag(%q) = %q, want %q", tc.in, got, tc.source)
		}
		if got := normalizeTag(tc.in, k); got != tc.tag {
			t.Errorf("normalizeTag(%q) = %q, want %q", tc.in, got, tc.tag)
		}
	}
}

// TestNamesUnique checks the uniqueness argument of vocab.go on the indices a
// generated set uses most: the popular shared universe and the start of every
// other region. Two indices with one spelling, or one normalised tag, would
// be a duplicate row on a site or a UNIQUE(tag) failure in the base DB.
func TestNamesUnique(t *testing.T) {
	un := newUniverse(7, siteSpecs())
	rules := newKaomojiRules()
	seen := make(map[string]uint64, 400000)
	norm := make(map[string]uint64, 400000)
	var buf []byte
	check := func(u uint64) {
		buf = un.name(buf[:0], u)
		s := string(buf)
		if prev, dup := seen[s]; dup {
			t.Fatalf("universe %d and %d are both %q", prev, u, s)
		}
		seen[s] = u
		k := un.kaomoji(u)
		if _, special := un.v.specialAt(u); !special && rules.is(s) {
			t.Fatalf("generated name %q (universe %d) is a kaomoji to the builder", s, u)
		}
		n := normalizeTag(s, k)
		if prev, dup := norm[n]; dup {
			t.Fatalf("universe %d and %d both normalise to %q", prev, u, n)
		}
		norm[n] = u
	}
	for u := uint64(0); u < 250000; u++ {
		check(u)
	}
	for g := uint64(0); g < 16; g++ {
		for j := 0; j < 3000; j++ {
			check(privateU(g, j))
			check(deadBase + g*regionStride + uint64(j))
			check(aliasBase + g*regionStride + uint64(j))
		}
	}
	for j := uint64(0); j < 3000; j++ {
		check(baseAliasU + j)
	}
	// Far into the shared universe and the private regions: three words at
	// most, as real tags have.
	for _, u := range []uint64{1_590_000, privateU(2, 740_000), privateU(14, 230_000), aliasBase + 14*regionStride + 500_000} {
		buf = un.name(buf[:0], u)
		if n := strings.Count(string(buf), "_"); n > 3 {
			t.Errorf("universe %d is %q: %d words", u, buf, n+1)
		}
	}
}

func TestVocabDisjoint(t *testing.T) {
	v := newVocab()
	if len(v.english) < 600 || len(v.given) < 100 || len(v.surname) < 50 || len(v.japanese) < 150 {
		t.Fatalf("lists too short after filtering: %d english, %d given, %d surnames, %d japanese",
			len(v.english), len(v.given), len(v.surname), len(v.japanese))
	}
	in := map[string]string{}
	for name, list := range map[string][]string{"english": v.english, "given": v.given, "surname": v.surname} {
		for _, w := range list {
			if prev, ok := in[w]; ok {
				t.Errorf("%q is in both %s and %s", w, prev, name)
			}
			in[w] = name
			if name != "given" && splitsIntoSyllables(w, v.syllables) {
				t.Errorf("%s word %q could be spelled by a handle", name, w)
			}
		}
	}
	for _, s := range v.syllables {
		if len(s) != 2 {
			t.Errorf("syllable %q is not two letters", s)
		}
	}
	for _, s := range v.specials {
		if !strings.ContainsAny(s.name, "0123456789") && !s.kaomoji && !strings.ContainsAny(s.name, "^;:<>=()._-+@") {
			t.Errorf("special %q could be spelled by a generated class", s.name)
		}
	}
}

func TestDigitsOneToOne(t *testing.T) {
	alpha := []string{"a", "b", "c"}
	seen := map[string]uint64{}
	for u := uint64(0); u < 2000; u++ {
		s := string(digits(nil, u, 2, "", alpha))
		if prev, ok := seen[s]; ok {
			t.Fatalf("%d and %d both spell %q", prev, u, s)
		}
		seen[s] = u
	}
}

func TestBresenham(t *testing.T) {
	for _, p := range []float64{0, 0.003, 0.25, 0.5, 0.95, 1} {
		picked := 0
		for k := 0; k < 10000; k++ {
			ok, before := bresenham(k, p)
			if before != picked {
				t.Fatalf("p=%g k=%d: before=%d, counted %d", p, k, before, picked)
			}
			if ok {
				picked++
			}
		}
		if want := int(10000 * p); picked != want {
			t.Errorf("p=%g: picked %d of 10000, want %d", p, picked, want)
		}
	}
}

func TestPrivateDist(t *testing.T) {
	// e621 shares a quarter of its rows with the danbooru-like universe; the
	// mix of shared and private kinds must land on e621's own distribution.
	universal, target := newDist(danbooruKinds()), newDist(e621Kinds())
	priv := privateDist(target, universal, 0.25)
	for k := kind(0); k < numKinds; k++ {
		mixed := 0.25*universal.weight(k) + 0.75*priv.weight(k)
		if d := mixed - target.weight(k); d > 0.12 || d < -0.12 {
			t.Errorf("kind %d: mixed %.3f, target %.3f", k, mixed, target.weight(k))
		}
	}
}
