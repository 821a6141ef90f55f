package normalize

import (
	"regexp"
	"strings"
	"unicode"
)

// This file holds deliberately naive re-implementations of the rules, written
// as directly as possible from the rules in docs/merge-rules.md
// ("Normalisation", "Translations") and this package's docs (regular
// expressions, one step after the other). The fuzz targets compare the fast
// scanners with them; TestPythonReference checks both against Python.

// ignoreCaseWord is [a-z0-9] under Python's re.IGNORECASE: Python also matches
// İ, ı, ſ and the Kelvin sign there, Go's (?i) only some of them, so the class
// is spelled out.
const (
	ignoreCaseWord = `a-zA-Z0-9İıſK`
	faceClass      = `0-9oOxXtTuUvV.\-+;:^<>=_`
)

var (
	refRule2 = regexp.MustCompile(`^[` + ignoreCaseWord + `][` + ignoreCaseWord + `_./:-]*_\([` + ignoreCaseWord + `][` + ignoreCaseWord + `_./:-]*\)$`)
	refRule3 = regexp.MustCompile(`^/[` + ignoreCaseWord + `][` + ignoreCaseWord + `_./:-]*/$`)
	refRule4 = regexp.MustCompile(`^[:;=8xX]-?[)dDpP(/\\|]$`)
	refRule5 = regexp.MustCompile(`^[:;][<>]=?$`)
	refRule6 = regexp.MustCompile(`^\([` + faceClass + `]{1,5}(?:_[` + faceClass + `]{1,5})*\)$`)
	refRule7 = regexp.MustCompile(`^\([` + ignoreCaseWord + `_]{2,}\)$`)
	refRule8 = regexp.MustCompile(`^[` + faceClass + `]{1,3}(?:_[` + faceClass + `]{1,3})+$`)
)

// refIsKaomoji is the nine rules in order. The strings are trimmed first, so
// the \s* at the ends of rules 4 and 5 can be left out.
func refIsKaomoji(text string) bool {
	s := TrimSpace(text)
	r := []rune(s)
	switch {
	case s == "", len(r) > 24:
		return false
	case refRule2.MatchString(s), refRule3.MatchString(s):
		return false
	case refRule4.MatchString(s), refRule5.MatchString(s), refRule6.MatchString(s):
		return true
	case refRule7.MatchString(s):
		return false
	case refRule8.MatchString(s) && strings.ContainsAny(s, "^;:<>=0123456789oOxX"):
		return true
	}
	alnum, punct, space := 0, 0, false
	for _, c := range r {
		switch {
		case unicode.IsLetter(c) || unicode.IsNumber(c):
			alnum++
		case IsSpace(c):
			space = true
		default:
			punct++
		}
	}
	return strings.ContainsAny(s, "^;:<>=") && punct >= 2 && alnum <= 3 && !space
}

// refLower is Python's str.lower() on a rune slice, with the Final_Sigma
// context read by index.
func refLower(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		switch c {
		case 'İ':
			b.WriteString("i\u0307")
		case 'Σ':
			j := i - 1
			for j >= 0 && caseIgnorable(r[j]) {
				j--
			}
			final := j >= 0 && cased(r[j])
			if final {
				k := i + 1
				for k < len(r) && caseIgnorable(r[k]) {
					k++
				}
				final = k == len(r) || !cased(r[k])
			}
			if final {
				b.WriteRune('ς')
			} else {
				b.WriteRune('σ')
			}
		default:
			b.WriteRune(unicode.ToLower(c))
		}
	}
	return b.String()
}

var refFullWidth = strings.NewReplacer(
	"：", ":", "，", ",", "．", ".", "；", ";", "！", "!", "？", "?",
	"（", "(", "）", ")", "［", "[", "］", "]", "｛", "{", "｝", "}",
	"／", "/", "＼", `\`, "＋", "+", "＝", "=", "－", "-", "＊", "*", "＆", "&",
	"％", "%", "＃", "#", "＠", "@", "＾", "^", "～", "~", "｜", "|",
	"＜", "<", "＞", ">", "\u3000", " ",
)

var refSpaces = regexp.MustCompile(` +`)

// refEscape puts "\" before every parenthesis not preceded by "\".
func refEscape(s string) string {
	var b strings.Builder
	prev := rune(-1)
	for _, c := range s {
		if (c == '(' || c == ')') && prev != '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
		prev = c
	}
	return b.String()
}

// refTag is Tag step by step.
func refTag(raw string) string {
	s := TrimSpace(raw)
	if s == "" {
		return ""
	}
	if refIsKaomoji(s) {
		return refEscape(s)
	}
	s = refLower(refFullWidth.Replace(s))
	s = TrimSpace(strings.ReplaceAll(s, "_", " "))
	return refEscape(refSpaces.ReplaceAllString(s, " "))
}

// refSourceTag is SourceTag step by step.
func refSourceTag(raw string) string {
	s := TrimSpace(raw)
	if s == "" || refIsKaomoji(s) {
		return s
	}
	return refLower(s)
}

// refSplit is SplitTranslation with library calls.
func refSplit(text string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(text, isSplitChar) {
		if p = strings.TrimFunc(p, func(r rune) bool { return IsSpace(r) || strings.ContainsRune(`"'“”‘’「」`, r) }); p != "" {
			out = append(out, p)
		}
	}
	return out
}
