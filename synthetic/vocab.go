package synthetic

import (
	"strings"
	"unicode/utf8"
)

// vocab turns a universe index into tag text. The universe is one numbering
// of every tag any synthetic site can have; a site is a selection of universe
// indices (see sites.go), which is how the same tag appears on several sites.
//
// Uniqueness by construction. name(u) must differ for different u, or a site
// would list one tag twice and the base DB would break UNIQUE(tag). Each name
// class writes u itself in positional notation over its own alphabet, and the
// classes cannot meet:
//
//	plain     english words joined by "_"            solo, long_hair
//	character given_surname (at least two words)     aiko_tanaka
//	handle    two-letter syllables, optional digits  kurenami, kasumo42
//	japanese  one rune per digit                     ミクサ
//	cyrillic  russian words joined by "_"            девушка_море
//	special   hand-picked, contain a digit or are kaomoji
//
// newVocab drops every word that would let two classes meet (an english word
// that splits into syllables, a name that is also an english word), and
// decorations only add characters no class body contains: "_(q)" qualifiers,
// "artist:" prefixes, upper case.
type vocab struct {
	english    []string
	given      []string
	surname    []string
	series     []string
	qualifiers []string
	syllables  []string
	japanese   []string // single runes, as strings
	chinese    []string
	cyrillic   []string
	latin      []string
	thai       []string
	specials   []special
}

type special struct {
	name    string
	kaomoji bool // as the builder's kaomoji rules see it (normalize.go)
}

func newVocab() *vocab {
	v := &vocab{}
	seen := map[string]bool{}
	syl := fields(syllables)
	v.syllables = syl
	for _, w := range fields(englishWords) {
		if seen[w] || !isWord(w) || onlyFaceLetters(w) || splitsIntoSyllables(w, syl) || w == "tag" {
			continue
		}
		seen[w] = true
		v.english = append(v.english, w)
	}
	for _, list := range []struct {
		src string
		dst *[]string
	}{{givenNames, &v.given}, {surnames, &v.surname}} {
		for _, w := range fields(list.src) {
			if seen[w] || !isWord(w) || splitsIntoSyllables(w, syl) && list.dst == &v.surname {
				continue
			}
			seen[w] = true
			*list.dst = append(*list.dst, w)
		}
	}
	v.series = fields(seriesQualifiers)
	v.qualifiers = fields(plainQualifiers)
	v.japanese = runes(japaneseRunes)
	v.chinese = runes(chineseRunes)
	v.thai = runes(thaiRunes)
	v.cyrillic = dedupe(fields(cyrillicWords))
	v.latin = dedupe(fields(latinWords))
	for _, s := range fields(specials) {
		v.specials = append(v.specials, special{name: s, kaomoji: isKaomoji(s)})
	}
	return v
}

func fields(s string) []string { return strings.Fields(s) }

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func runes(s string) []string {
	seen := map[rune]bool{}
	var out []string
	for _, r := range s {
		if r == ' ' || r == '\n' || seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, string(r))
	}
	return out
}

// isWord accepts lower-case ASCII words, with inner hyphens or apostrophes
// ("two-tone", "another's"), and never an underscore: "_" separates words.
func isWord(w string) bool {
	if w == "" || w[0] < 'a' || w[0] > 'z' {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if (c < 'a' || c > 'z') && c != '-' && c != '\'' {
			return false
		}
	}
	return true
}

// onlyFaceLetters rejects words made only of the letters the builder's
// kaomoji rules treat as face parts (o, x, t, u, v): "out_to" would otherwise
// be read as an underscore face.
func onlyFaceLetters(w string) bool {
	return strings.Trim(w, "oxtuv") == ""
}

// splitsIntoSyllables reports whether w is a concatenation of syllables, i.e.
// whether a handle could spell it.
func splitsIntoSyllables(w string, syl []string) bool {
	if len(w)%2 != 0 {
		return false
	}
	for i := 0; i < len(w); i += 2 {
		found := false
		for _, s := range syl {
			if w[i:i+2] == s {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// digits appends u written in positional notation, least significant digit
// first, with at least min digits. lists[i] is the alphabet of digit i (the
// last one repeats), sep goes between digits. Without padding beyond min, the
// notation is one-to-one. Each written digit is shifted by a hash of the
// digits below it, which keeps it one-to-one (the digits can be read back in
// order) but stops neighbouring indices from sharing their higher words
// ("red_hair", "blue_hair", ... becomes "red_hair", "blue_sky", ...).
func digits(dst []byte, u uint64, min int, sep string, lists ...[]string) []byte {
	acc := uint64(0)
	for i := 0; ; i++ {
		l := lists[len(lists)-1]
		if i < len(lists) {
			l = lists[i]
		}
		if i > 0 {
			dst = append(dst, sep...)
		}
		b := uint64(len(l))
		d := u % b
		dst = append(dst, l[(d+acc)%b]...)
		acc = mix(acc ^ d)
		u /= b
		if u == 0 && i+1 >= min {
			return dst
		}
	}
}

// Special universe positions: every 97th index below 97*len(specials).
const specialEvery = 97

func (v *vocab) specialAt(u uint64) (special, bool) {
	if u%specialEvery == 0 && u/specialEvery < uint64(len(v.specials)) {
		return v.specials[u/specialEvery], true
	}
	return special{}, false
}

// name appends the canonical (danbooru-style) spelling of universe index u,
// whose kind is k. Sites re-render it (render in sites.go).
func (v *vocab) name(dst []byte, r rng, u uint64, k kind) []byte {
	if s, ok := v.specialAt(u); ok {
		return append(dst, s.name...)
	}
	style := r.f(stStyle, 0, u)
	x := u // hashing uses u; the spelling uses its name number
	u = nameNumber(u)
	start := len(dst)
	ascii := true
	switch k {
	case kArtist:
		// Offset by 65² so that every handle has three or more syllables of
		// its own rather than padding.
		h := u + uint64(len(v.syllables)*len(v.syllables))
		switch {
		case style < 0.85:
			dst = digits(dst, h, 3, "", v.syllables)
		case style < 0.95:
			dst = digits(dst, h, 3, "", v.syllables)
			dst = appendInt(dst, int64(r.n(stDigits, 0, x, 999)+1))
		default:
			dst = digits(dst, u, 2, "", v.japanese)
			ascii = false
		}
	case kCharacter:
		switch {
		case style < 0.45:
			dst = v.character(dst, u)
			dst = append(dst, "_("...)
			dst = append(dst, v.series[r.n(stQualifier, 0, x, len(v.series))]...)
			dst = append(dst, ')')
		case style < 0.9:
			dst = v.character(dst, u)
		default:
			dst = digits(dst, u, 2, "", v.japanese)
			ascii = false
		}
	default:
		switch {
		case style < 0.955:
			dst = digits(dst, u, 1, "_", v.english)
		case style < 0.975:
			dst = digits(dst, u, 1, "_", v.english)
			dst = append(dst, "_("...)
			dst = append(dst, v.qualifiers[r.n(stQualifier, 0, x, len(v.qualifiers))]...)
			dst = append(dst, ')')
		case style < 0.99:
			dst = digits(dst, u, 1, "_", v.cyrillic)
			ascii = false
		default:
			dst = digits(dst, u, 2, "", v.japanese)
			ascii = false
		}
	}
	// Decorations, rare and independent of the style.
	d := r.f(stDecor, 0, x)
	switch {
	case ascii && d < 0.015:
		titleCase(dst[start:])
	case ascii && d < 0.02:
		p := k.prefix()
		body := append([]byte(nil), dst[start:]...)
		dst = append(append(dst[:start], p...), body...)
	}
	return dst
}

// character appends "surname_given": the given name is the lowest digit of u,
// the surname the rest, from the surname list first and then made of
// syllables ("kirisame_aiko", "tamura_rin", "hosukara_mio").
func (v *vocab) character(dst []byte, u uint64) []byte {
	g := uint64(len(v.given))
	s := u / g
	if s < uint64(len(v.surname)) {
		dst = append(dst, v.surname[s]...)
	} else {
		dst = digits(dst, s-uint64(len(v.surname)), 2, "", v.syllables)
	}
	dst = append(dst, '_')
	return append(dst, v.given[u%g]...)
}

// titleCase upper-cases the first ASCII letter of every "_"-separated word in
// place ("long_hair" → "Long_Hair").
func titleCase(b []byte) {
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '_' || c == ' ' || c == '('
	}
}

// japaneseName appends the Japanese spelling of u: what pixiv.net lists and
// what the Japanese translations of u say. It is one-to-one in u.
func (v *vocab) japaneseName(dst []byte, u uint64) []byte {
	return digits(dst, nameNumber(u), 2, "", v.japanese)
}

func appendInt(dst []byte, n int64) []byte {
	if n < 0 {
		dst = append(dst, '-')
		n = -n
	}
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(dst, tmp[i:]...)
}

// runeLen is the number of code points, for the kaomoji length rule.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
