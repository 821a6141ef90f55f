package synthetic

import (
	"regexp"
	"strings"
	"unicode"
)

// The base DB stores TAGS.tag and TAGS.source_tag already normalised, so the
// generator needs the builder's normalisation (docs/merge-rules.md,
// "Normalisation") for the shapes it writes. It is re-stated here rather than
// imported because the synthetic data must not depend on the code it is used to
// measure: a bug in the builder's normaliser should show up as a mismatch, not
// be copied into the fixture. Generated names never contain full-width
// punctuation, so the full-width mapping step is not needed.

// kaomojiRules holds the compiled patterns of the nine ordered kaomoji rules.
type kaomojiRules struct {
	disambiguation, slash, emoticon, angle, parenFace, parenWord, underscoreFace *regexp.Regexp
}

const faceClass = `[0-9oOxXtTuUvV.\-+;:^<>=_]`

func newKaomojiRules() *kaomojiRules {
	return &kaomojiRules{
		disambiguation: regexp.MustCompile(`(?i)^[a-z0-9][a-z0-9_./:-]*_\([a-z0-9][a-z0-9_./:-]*\)$`),
		slash:          regexp.MustCompile(`^/[a-z0-9][a-z0-9_./:-]*/$`),
		emoticon:       regexp.MustCompile(`(?i)^\s*[:;=8xX]-?[)D(P/\\|]\s*$`),
		angle:          regexp.MustCompile(`^\s*[:;][<>]=?\s*$`),
		parenFace:      regexp.MustCompile(`^\(` + faceClass + `{1,5}(_` + faceClass + `{1,5})*\)$`),
		parenWord:      regexp.MustCompile(`^\([a-z0-9_]{2,}\)$`),
		underscoreFace: regexp.MustCompile(`^` + faceClass + `{1,3}(_` + faceClass + `{1,3})+$`),
	}
}

// isKaomoji applies the rules in order; the first that decides wins. The
// generator only asks about the hand-picked specials (generated names are
// never faces, by construction), so compiling the patterns per call is fine.
func isKaomoji(raw string) bool { return newKaomojiRules().is(raw) }

func (r *kaomojiRules) is(raw string) bool {
	s := strings.TrimSpace(raw)
	switch {
	case s == "" || runeLen(s) > 24:
		return false
	case r.disambiguation.MatchString(s), r.slash.MatchString(s):
		return false
	case r.emoticon.MatchString(s), r.angle.MatchString(s), r.parenFace.MatchString(s):
		return true
	case r.parenWord.MatchString(s):
		return false
	case r.underscoreFace.MatchString(s):
		return strings.ContainsAny(s, "^;:<>=0123456789oOxX")
	}
	if !strings.ContainsAny(s, "^;:<>=") {
		return false
	}
	punct, alnum := 0, 0
	for _, c := range s {
		switch {
		case unicode.IsSpace(c):
			return false
		case unicode.IsLetter(c) || unicode.IsNumber(c):
			alnum++
		default:
			punct++
		}
	}
	return punct >= 2 && alnum <= 3
}

// sourceTag is TAGS.source_tag: trimmed and lower-cased, faces kept as is.
func sourceTag(raw string, kaomoji bool) string {
	s := strings.TrimSpace(raw)
	if kaomoji {
		return s
	}
	return strings.ToLower(s)
}

// normalizeTag is TAGS.tag: lower case, "_" → " ", unescaped parentheses
// escaped; faces keep case and underscores but still get the escaping.
func normalizeTag(raw string, kaomoji bool) string {
	s := strings.TrimSpace(raw)
	if !kaomoji {
		s = strings.TrimSpace(strings.ReplaceAll(strings.ToLower(s), "_", " "))
	}
	if !strings.ContainsAny(s, "()") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == '(' || c == ')') && (i == 0 || s[i-1] != '\\') {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}
