package normalize

import (
	"strings"
	"unicode/utf8"
)

// Tag turns a raw tag as a source spells it into the TAGS.tag form, the key of
// every tag lookup (the Python builder's normalize_tag, docs/merge-rules.md
// "Normalisation", with the fixes listed in the package documentation):
//
//  1. TrimSpace; "" stays "".
//  2. A kaomoji (IsKaomoji) keeps case and underscores; only step 7 applies.
//  3. Full-width punctuation becomes ASCII (the 27 characters of
//     fullWidthASCII; ＼ is one backslash) and U+3000 becomes a space.
//     Full-width letters and digits stay.
//  4. Lowercase as Python's str.lower() (see Lower).
//  5. "_" becomes a space; whitespace and underscores at both ends go.
//  6. Runs of spaces become one space.
//  7. Every "(" or ")" not preceded by "\" gets a "\" before it.
//
// An input that normalises to "" (such as "_" or "  ") returns ""; the caller
// must reject it. Tag returns a substring of raw, without allocating, when
// nothing changes, and allocates once otherwise.
func Tag(raw string) string {
	s := TrimSpace(raw)
	if s == "" {
		return ""
	}
	if isKaomoji(s) {
		return escapeParens(s)
	}
	return normalizeWord(s)
}

// SourceTag turns a raw tag into the TAGS.source_tag form (the Python builder's
// canonicalize_source_tag, docs/merge-rules.md "Normalisation"): trimmed, kept
// as is when it is a kaomoji, else lowercased as Python does. Underscores and
// parentheses are left alone. SourceTag is idempotent.
func SourceTag(raw string) string {
	s := TrimSpace(raw)
	if s == "" || isKaomoji(s) {
		return s
	}
	return Lower(s)
}

// fullWidthASCII maps the full-width punctuation of step 3 to ASCII; it
// returns 0 for every other rune. U+3000 maps to a space.
func fullWidthASCII(r rune) byte {
	switch r {
	case '：':
		return ':'
	case '，':
		return ','
	case '．':
		return '.'
	case '；':
		return ';'
	case '！':
		return '!'
	case '？':
		return '?'
	case '（':
		return '('
	case '）':
		return ')'
	case '［':
		return '['
	case '］':
		return ']'
	case '｛':
		return '{'
	case '｝':
		return '}'
	case '／':
		return '/'
	case '＼':
		// Python maps this to two backslashes (docs/python-differences.md, W14); one is what
		// the character means.
		return '\\'
	case '＋':
		return '+'
	case '＝':
		return '='
	case '－':
		return '-'
	case '＊':
		return '*'
	case '＆':
		return '&'
	case '％':
		return '%'
	case '＃':
		return '#'
	case '＠':
		return '@'
	case '＾':
		return '^'
	case '～':
		return '~'
	case '｜':
		return '|'
	case '＜':
		return '<'
	case '＞':
		return '>'
	case '\u3000':
		return ' '
	}
	return 0
}

// isTagEdge reports whether step 5 removes r at either end: whitespace and
// "_" (U+3000 is whitespace already). Python trims after mapping and
// lowercasing, but neither step creates or removes such runes, so trimming
// the input first gives the same result.
func isTagEdge(r rune) bool {
	return r == '_' || IsSpace(r)
}

// normalizeWord applies steps 3-7 to a trimmed non-kaomoji string in one pass.
func normalizeWord(s string) string {
	s = strings.TrimFunc(s, isTagEdge)
	i := firstWordChange(s)
	if i == len(s) {
		return s
	}
	// Room for two escaped parentheses, as in "name_(series)".
	b := make([]byte, i, len(s)+2)
	copy(b, s[:i])
	// prev is the last rune written before escaping, for steps 6 and 7.
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	for i < len(s) {
		c := s[i]
		var r rune
		if c < utf8.RuneSelf {
			r = rune(c)
			i++
		} else {
			dr, size := utf8.DecodeRuneInString(s[i:])
			if dr == utf8.RuneError && size == 1 {
				// Invalid UTF-8 is copied, never interpreted.
				b = append(b, c)
				prev = utf8.RuneError
				i++
				continue
			}
			if a := fullWidthASCII(dr); a != 0 {
				r = rune(a)
				i += size
			} else {
				// Steps 5-7 only concern ASCII, so a non-ASCII rune
				// only needs lowercasing, and prev only needs to be
				// neither " " nor "\". The Final_Sigma context is read
				// from s; mapping full-width punctuation first would
				// not change it (TestFullWidthKeepsSigmaContext).
				b = appendLowerRune(b, s, i, dr)
				prev = dr
				i += size
				continue
			}
		}
		switch {
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r == '_':
			r = ' '
		}
		if r == ' ' && prev == ' ' {
			continue
		}
		if (r == '(' || r == ')') && prev != '\\' {
			b = append(b, '\\')
		}
		b = append(b, byte(r))
		prev = r
	}
	return bytesToString(b)
}

// firstWordChange returns the byte offset of the first rune normalizeWord
// would change, or len(s).
func firstWordChange(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'A' <= c && c <= 'Z', c == '_', c == '(', c == ')':
				return i
			case c == ' ' && i > 0 && s[i-1] == ' ':
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError || size != 1 {
			if fullWidthASCII(r) != 0 || lowerChanges(r) {
				return i
			}
		}
		i += size
	}
	return len(s)
}

// escapeParens is step 7 alone, for kaomoji: every "(" or ")" not preceded by
// "\" gets a "\" before it.
func escapeParens(s string) string {
	first := -1
	for i := 0; i < len(s); i++ {
		if (s[i] == '(' || s[i] == ')') && (i == 0 || s[i-1] != '\\') {
			first = i
			break
		}
	}
	if first < 0 {
		return s
	}
	b := make([]byte, first, len(s)+4)
	copy(b, s[:first])
	for i := first; i < len(s); i++ {
		c := s[i]
		if (c == '(' || c == ')') && (i == 0 || s[i-1] != '\\') {
			b = append(b, '\\')
		}
		b = append(b, c)
	}
	return bytesToString(b)
}
