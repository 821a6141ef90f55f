package normalize

import "strings"

// LanguageCode maps the name of a source column or field that holds
// translations to the language code stored in TAG_TRANSLATIONS.language.
// The name is trimmed and compared in lowercase; the first matching rule wins:
//
//	rule                          example                    code
//	trans_<X>, X resolved below   trans_ja, trans_zh-CN      ja, zh-cn
//	ends in _jp or _ja            tag_jp, name_ja            ja
//	ends in _ru / _ko / _zh       tag_ru, tag_ko, tag_zh     ru / ko / zh
//	a code                        ja en zh ko fr de es ru    itself
//	                              pt it vi th zh-cn zh-hk
//	                              zh-tw zh-hant
//	jp                            jp                         ja
//	a language name               japanese english chinese   ja en zh
//	                              korean french german       ko fr de
//	                              spanish russian portuguese es ru pt
//	                              italian vietnamese thai    it vi th
//
// In a code, "_" may stand for "-" (zh_CN is zh-cn). Anything else, such as
// "translation", "trans_ja_wiki_url" or "zh-Hans", gives ok == false, and the
// caller reports the column: Python fell back to the first two characters
// ("translation" became "tr", "zh-TW" became "zh"),
// docs/python-differences.md, W11.
//
// The 14 codes of the Python table keep their meaning; zh-tw and zh-hant are
// kept as they are instead of collapsing to zh, since traditional-script text
// is not what a zh reader expects.
func LanguageCode(column string) (code string, ok bool) {
	name := lowerASCII(TrimSpace(column))
	if rest, found := strings.CutPrefix(name, "trans_"); found {
		return languageFromName(rest)
	}
	switch {
	case strings.HasSuffix(name, "_jp"), strings.HasSuffix(name, "_ja"):
		return "ja", true
	case strings.HasSuffix(name, "_ru"):
		return "ru", true
	case strings.HasSuffix(name, "_ko"):
		return "ko", true
	case strings.HasSuffix(name, "_zh"):
		return "zh", true
	}
	return languageFromName(name)
}

// languageFromName resolves a lowercase code, "jp" or language name.
func languageFromName(name string) (string, bool) {
	switch code := strings.ReplaceAll(name, "_", "-"); code {
	case "ja", "en", "zh", "ko", "fr", "de", "es", "ru", "pt", "it", "vi", "th",
		"zh-cn", "zh-hk", "zh-tw", "zh-hant":
		return code, true
	case "jp":
		return "ja", true
	}
	switch name {
	case "japanese":
		return "ja", true
	case "english":
		return "en", true
	case "chinese":
		return "zh", true
	case "korean":
		return "ko", true
	case "french":
		return "fr", true
	case "german":
		return "de", true
	case "spanish":
		return "es", true
	case "russian":
		return "ru", true
	case "portuguese":
		return "pt", true
	case "italian":
		return "it", true
	case "vietnamese":
		return "vi", true
	case "thai":
		return "th", true
	}
	return "", false
}

// lowerASCII lowercases ASCII letters only: column names are ASCII, and a
// Unicode fold would let "K" (U+212A) pass for "k".
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
