package normalize

import (
	"unicode"
	"unicode/utf8"
	"unsafe"
)

const (
	capitalDottedI = 'İ' // U+0130, lowercases to "i" + U+0307 in Python
	capitalSigma   = 'Σ' // U+03A3
	smallSigma     = 'σ'
	finalSigma     = 'ς'
	dottedILower   = "i\u0307"
)

// Lower reproduces Python's str.lower(): the full Unicode lowercase mapping
// (U+0130 İ becomes the two code points "i̇") and the Final_Sigma rule for Σ
// (ς when it ends a word, σ otherwise). strings.ToLower gives "i" and always σ.
//
// The per-character tables are Go's (unicode.Version 15.0.0). Python 3.11
// uses Unicode 14.0; apart from İ and Σ the two agree on every code point
// assigned in 14.0 (TestUnicodePropertiesMatchPython checks every one).
// Invalid UTF-8 bytes are copied unchanged. Lower returns s itself, without
// allocating, when nothing changes.
func Lower(s string) string {
	i := firstLowerChange(s)
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s)+2)
	copy(b, s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, c)
			i++
			continue
		}
		b = appendLowerRune(b, s, i, r)
		i += size
	}
	return bytesToString(b)
}

// appendLowerRune appends Python's lowercase of the non-ASCII rune r found at
// byte offset i of s (s is needed for the Final_Sigma context).
func appendLowerRune(b []byte, s string, i int, r rune) []byte {
	switch r {
	case capitalDottedI:
		return append(b, dottedILower...)
	case capitalSigma:
		return utf8.AppendRune(b, sigmaAt(s, i))
	}
	return utf8.AppendRune(b, unicode.ToLower(r))
}

// bytesToString returns b as a string without copying it, as
// strings.Builder.String does; b must not be used afterwards. It saves the
// second allocation and copy of string(b) on ~10M rows per build.
func bytesToString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// firstLowerChange returns the byte offset of the first rune Lower changes, or
// len(s).
func firstLowerChange(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if lowerChanges(r) {
			return i
		}
		i += size
	}
	return len(s)
}

// lowerChanges reports whether Python's lower() changes the non-ASCII rune r.
func lowerChanges(r rune) bool {
	return r == capitalDottedI || r == capitalSigma || unicode.ToLower(r) != r
}

// sigmaAt applies Python's Final_Sigma rule (unicodeobject.c
// handle_capital_sigma) to the Σ at byte offset i of s: it is final when the
// nearest non-case-ignorable rune before it is cased and the nearest
// non-case-ignorable rune after it is not cased (or there is none).
func sigmaAt(s string, i int) rune {
	before := s[:i]
	final := false
	for len(before) > 0 {
		r, size := utf8.DecodeLastRuneInString(before)
		before = before[:len(before)-size]
		if !caseIgnorable(r) {
			final = cased(r)
			break
		}
	}
	if !final {
		return smallSigma
	}
	for after := s[i+len("Σ"):]; len(after) > 0; {
		r, size := utf8.DecodeRuneInString(after)
		after = after[size:]
		if !caseIgnorable(r) {
			if cased(r) {
				return smallSigma
			}
			break
		}
	}
	return finalSigma
}

// cased is the Unicode derived property Cased: Lowercase, Uppercase or Lt.
func cased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) ||
		unicode.Is(unicode.Other_Lowercase, r) || unicode.Is(unicode.Other_Uppercase, r)
}

// caseIgnorable is the Unicode derived property Case_Ignorable: the general
// categories Mn, Me, Cf, Lm and Sk, plus the Word_Break classes MidLetter,
// MidNumLet and Single_Quote (listed explicitly because Go has no Word_Break
// tables).
func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0xb7, 0x387, 0x55f, 0x5f4, 0x2018, 0x2019, 0x2024, 0x2027,
		0xfe13, 0xfe52, 0xfe55, 0xff07, 0xff0e, 0xff1a:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}
