package normalize

import (
	"strings"
	"unicode/utf8"
)

// isSplitChar reports whether r is one of the five commas a translation value
// is split on: "," U+002C, "，" U+FF0C, "、" U+3001, "､" U+FF64, "﹐" U+FE50.
func isSplitChar(r rune) bool {
	switch r {
	case ',', '，', '、', '､', '﹐':
		return true
	}
	return false
}

// isQuote reports whether r is one of the quote characters stripped from the
// ends of a translation part: " ' “ ” ‘ ’ 「 」 (the space of the Python set is
// whitespace anyway).
func isQuote(r rune) bool {
	switch r {
	case '"', '\'', '“', '”', '‘', '’', '「', '」':
		return true
	}
	return false
}

func isSpaceOrQuote(r rune) bool { return IsSpace(r) || isQuote(r) }

// SplitTranslation splits one raw translation value into the translations it
// holds (docs/merge-rules.md, "Translations"): it splits on the five commas, strips
// whitespace and quote characters from both ends of each part and drops the
// parts left empty. The parts are substrings of text, in order; duplicates
// are kept (the INSERT OR IGNORE of the merge folds them). It returns nil when
// no part is left.
//
// Python strips whitespace once and quotes once, so `"\t魔女"` keeps its tab;
// here both are stripped until neither is left at an end.
func SplitTranslation(text string) []string {
	var parts []string
	start := 0
	for i, r := range text {
		if isSplitChar(r) {
			parts = appendPart(parts, text[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	return appendPart(parts, text[start:])
}

func appendPart(parts []string, p string) []string {
	if p = strings.TrimFunc(p, isSpaceOrQuote); p != "" {
		parts = append(parts, p)
	}
	return parts
}

// HasRequiredScript reports whether a translation in language lang passes the
// script check of docs/merge-rules.md, "Translations", which drops the values
// that fail it:
//
//   - ja needs kana or a CJK ideograph: U+3040–30FF, U+3400–4DBF, U+4E00–9FFF
//     or U+F900–FAFF (half-width katakana and CJK Ext-B and later do not count);
//   - zh needs a CJK ideograph: the same ranges without kana;
//   - ko needs a Hangul syllable: U+AC00–D7AF.
//
// Empty text passes, and so does any other language, including zh-cn and
// zh-hk, as in Python. The merge must split (SplitTranslation) before this
// check, so that "abc,魔女" keeps "魔女" and drops "abc" in the same build
// (docs/python-differences.md, W10).
func HasRequiredScript(lang, text string) bool {
	var want func(rune) bool
	switch lang {
	case "ja":
		want = func(r rune) bool { return isKana(r) || isHan(r) }
	case "zh":
		want = isHan
	case "ko":
		want = isHangul
	default:
		return true
	}
	if text == "" {
		return true
	}
	return strings.IndexFunc(text, want) >= 0
}

func isKana(r rune) bool { return 0x3040 <= r && r <= 0x30ff }

func isHan(r rune) bool {
	return (0x3400 <= r && r <= 0x4dbf) || (0x4e00 <= r && r <= 0x9fff) || (0xf900 <= r && r <= 0xfaff)
}

func isHangul(r rune) bool { return 0xac00 <= r && r <= 0xd7af }
