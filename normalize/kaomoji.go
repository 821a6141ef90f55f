package normalize

import (
	"unicode"
	"unicode/utf8"
)

// maxKaomojiLen is rule 1: longer strings (in code points) are never faces.
const maxKaomojiLen = 24

// IsKaomoji reports whether text, after TrimSpace, is a kaomoji or emoticon
// under the nine ordered rules of the Python builder (docs/merge-rules.md,
// "Normalisation"):
//
//  1. empty, or longer than 24 code points: false;
//  2. a disambiguation tag  ^[a-z0-9][a-z0-9_./:-]*_\([a-z0-9][a-z0-9_./:-]*\)$ (ignore case): false;
//  3. a slash tag           ^/[a-z0-9][a-z0-9_./:-]*/$ (ignore case): false;
//  4. a simple emoticon     ^[:;=8xX]-?[)D(P/\\|]$ (ignore case): true;
//  5. a colon face       ^[:;][<>]=?$: true;
//  6. a parenthesised face  ^\(F{1,5}(_F{1,5})*\)$: true;
//  7. a parenthesised word  ^\([a-z0-9_]{2,}\)$ (ignore case): false;
//  8. an underscore face    ^F{1,3}(_F{1,3})+$ that also contains one of ^;:<>=, a digit, o/O or x/X: true;
//  9. otherwise true iff it contains one of ^;:<>=, has at least two runes that
//     are neither alphanumeric nor whitespace, at most three alphanumeric
//     runes, and no whitespace.
//
// F is the class [0-9oOxXtTuUvV.\-+;:^<>=_]. "Ignore case" follows Python's re:
// [a-z] then also matches U+0130 İ, U+0131 ı, U+017F ſ and U+212A K.
// Alphanumeric and whitespace follow Python's str.isalnum and str.isspace.
//
// The rules are evaluated in one scan rather than with regular expressions:
// the only overlaps between the "false" rules (2, 3, 7) and the "true" rules
// are between rules 2/3 and rule 9, so rule 7 can never change the outcome
// and rules 2 and 3 are only checked when rule 9 would say true. A test
// compares this against a literal regexp transcription of the nine rules.
func IsKaomoji(text string) bool {
	s := TrimSpace(text)
	if s == "" {
		return false
	}
	return isKaomoji(s)
}

// isKaomoji is IsKaomoji for a non-empty string that is already trimmed.
func isKaomoji(s string) bool {
	var (
		n           int  // runes seen
		alnum       int  // Python isalnum runes
		punct       int  // neither alnum nor space
		hasSpace    bool // any Python isspace rune
		allFace     = true
		faceSignal  bool // one of ^;:<>= (all of them are in F, so this is rule 9's signal too)
		faceDigitOX bool // a digit, o/O or x/X (rule 8's extra signals)
	)
	parenStart := s[0] == '('
	for i := 0; i < len(s); {
		n++
		if n > maxKaomojiLen {
			return false
		}
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case isASCIIAlnum(c):
				alnum++
			case isASCIISpace(c):
				hasSpace = true
			default:
				punct++
			}
			if isFaceChar(c) {
				switch c {
				case '^', ';', ':', '<', '>', '=':
					faceSignal = true
				case 'o', 'O', 'x', 'X':
					faceDigitOX = true
				default:
					if '0' <= c && c <= '9' {
						faceDigitOX = true
					}
				}
			} else {
				allFace = false
			}
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			allFace = false
			switch {
			case unicode.IsLetter(r) || unicode.IsNumber(r):
				// Python's isalnum is true exactly for the L* and N*
				// categories (checked for every assigned code point).
				alnum++
			case IsSpace(r):
				hasSpace = true
			default:
				punct++
			}
		}
		// Past three runes rules 4 and 5 are out. Once rules 6, 8 and 9 are
		// out too, nothing can say true, so ordinary tags stop here after a
		// handful of bytes.
		if n > 3 && !allFace && !parenStart && (alnum > 3 || hasSpace) {
			return false
		}
	}

	if n <= 3 && (simpleEmoticon(s) || colonAngle(s)) { // rules 4, 5
		return true
	}
	if parenStart && n >= 3 && s[len(s)-1] == ')' { // rule 6
		inner := s[1 : len(s)-1]
		if allFaceChars(inner) && faceBlocks(inner, 5, 1) {
			return true
		}
	}
	if allFace && (faceSignal || faceDigitOX) && faceBlocks(s, 3, 2) { // rule 8
		return true
	}
	// Rule 9, unless rule 2 or 3 said false first.
	return faceSignal && punct >= 2 && alnum <= 3 && !hasSpace &&
		!disambiguationTag(s) && !slashTag(s)
}

func isASCIIAlnum(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// isFaceChar is the class F of rules 6 and 8.
func isFaceChar(c byte) bool {
	switch c {
	case 'o', 'O', 'x', 'X', 't', 'T', 'u', 'U', 'v', 'V',
		'.', '-', '+', ';', ':', '^', '<', '>', '=', '_':
		return true
	}
	return '0' <= c && c <= '9'
}

func allFaceChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isFaceChar(s[i]) {
			return false
		}
	}
	return true
}

// faceBlocks reports whether s (made of F characters only, at most 24 bytes)
// matches F{1,max}(_F{1,max})* with at least minBlocks blocks. F contains "_"
// itself, so a regexp engine backtracks over which underscores start a block;
// this tracks the same choice as two bit sets of reachable block ends.
func faceBlocks(s string, max, minBlocks int) bool {
	n := len(s)
	if n == 0 || n > 31 {
		return false
	}
	var first, more uint32 // block ends after exactly one block / at least two
	for l := 1; l <= max && l <= n; l++ {
		first |= 1 << l
	}
	for q := 1; q < n; q++ {
		if (first|more)&(1<<q) == 0 || s[q] != '_' {
			continue
		}
		for l := 1; l <= max && q+1+l <= n; l++ {
			more |= 1 << (q + 1 + l)
		}
	}
	if minBlocks >= 2 {
		return more&(1<<n) != 0
	}
	return (first|more)&(1<<n) != 0
}

// simpleEmoticon is rule 4: ^[:;=8xX]-?[)D(P/\\|]$, ignoring case.
func simpleEmoticon(s string) bool {
	if len(s) == 3 {
		if s[1] != '-' {
			return false
		}
		s = s[:1] + s[2:]
	}
	if len(s) != 2 {
		return false
	}
	switch s[0] {
	case ':', ';', '=', '8', 'x', 'X':
	default:
		return false
	}
	switch s[1] {
	case ')', '(', '/', '\\', '|', 'D', 'd', 'P', 'p':
		return true
	}
	return false
}

// colonAngle is rule 5: ^[:;][<>]=?$.
func colonAngle(s string) bool {
	if len(s) == 3 {
		if s[2] != '=' {
			return false
		}
		s = s[:2]
	}
	return len(s) == 2 && (s[0] == ':' || s[0] == ';') && (s[1] == '<' || s[1] == '>')
}

// wordStart is [a-z0-9] under Python's re.IGNORECASE.
func wordStart(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r))
	}
	switch r {
	case 'İ', 'ı', 'ſ', 'K': // U+0130, U+0131, U+017F, U+212A
		return true
	}
	return false
}

// wordRest is [a-z0-9_./:-] under Python's re.IGNORECASE.
func wordRest(r rune) bool {
	switch r {
	case '_', '.', '/', ':', '-':
		return true
	}
	return wordStart(r)
}

// word reports whether s matches [a-z0-9][a-z0-9_./:-]* (ignoring case).
func word(s string) bool {
	for i, r := range s {
		if i == 0 && !wordStart(r) || i > 0 && !wordRest(r) {
			return false
		}
	}
	return s != ""
}

// disambiguationTag is rule 2. Neither "(" nor ")" is in the word class, so
// the only possible split is at the single "(", which must follow "_" and be
// closed by the final ")".
func disambiguationTag(s string) bool {
	open := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '(' {
			if open >= 0 {
				return false
			}
			open = i
		}
	}
	if open < 2 || s[open-1] != '_' || s[len(s)-1] != ')' {
		return false
	}
	return word(s[:open-1]) && word(s[open+1:len(s)-1])
}

// slashTag is rule 3: ^/[a-z0-9][a-z0-9_./:-]*/$ (ignoring case).
func slashTag(s string) bool {
	return len(s) >= 3 && s[0] == '/' && s[len(s)-1] == '/' && word(s[1:len(s)-1])
}
