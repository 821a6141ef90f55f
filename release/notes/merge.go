package notes

import (
	"sort"
	"strings"
)

const markerPrefix = "<!-- tagdb:"

// BeginMarker and EndMarker delimit an edition's section. HTML comments do not
// render, so readers never see them.
func BeginMarker(edition string) string { return markerPrefix + edition + ":begin -->" }

// EndMarker ends an edition's section.
func EndMarker(edition string) string { return markerPrefix + edition + ":end -->" }

// span is one edition's section in a body: body[start:end] runs from its
// begin marker to the end of its end marker.
type span struct {
	edition    string
	start, end int
}

// sections finds every edition's section in body, in order. A begin marker
// without its end marker (a body cut short: GitHub truncates long bodies)
// runs to the next section's begin marker or the end of the body, so the
// next Merge replaces the remains instead of adding a second copy.
func sections(body string) []span {
	var out []span
	for i := 0; ; {
		j := strings.Index(body[i:], markerPrefix)
		if j < 0 {
			return out
		}
		j += i
		rest := body[j+len(markerPrefix):]
		k := strings.Index(rest, ":begin -->")
		if k < 0 || strings.ContainsAny(rest[:k], " \n>:") {
			i = j + len(markerPrefix)
			continue
		}
		ed := rest[:k]
		after := j + len(BeginMarker(ed))
		end := len(body)
		if e := strings.Index(body[after:], EndMarker(ed)); e >= 0 {
			end = after + e + len(EndMarker(ed))
		}
		if n := strings.Index(body[after:], markerPrefix); n >= 0 && after+n < end && !strings.HasPrefix(body[after+n:], EndMarker(ed)) {
			// Another section begins first: this one lost its end marker.
			end = after + n
		}
		out = append(out, span{edition: ed, start: j, end: end})
		i = end
	}
}

// block is a section with its markers.
func block(edition, section string) string {
	return BeginMarker(edition) + "\n" + strings.Trim(section, "\n") + "\n" + EndMarker(edition)
}

// Merge returns body with edition's section replaced by section. Every byte
// outside that section, the maintainer's text and the other editions'
// sections, is kept as it is. A missing section is inserted among the others
// in edition name order, or appended after the body's text.
func Merge(body, edition, section string) string {
	b := block(edition, section)
	spans := sections(body)
	for _, s := range spans {
		if s.edition == edition {
			return body[:s.start] + b + body[s.end:]
		}
	}
	for _, s := range spans {
		if s.edition > edition {
			return body[:s.start] + b + "\n\n" + body[s.start:]
		}
	}
	if n := len(spans); n > 0 {
		last := spans[n-1].end
		return body[:last] + "\n\n" + b + body[last:]
	}
	switch {
	case body == "":
		return b + "\n"
	case strings.HasSuffix(body, "\n\n"):
		return body + b + "\n"
	case strings.HasSuffix(body, "\n"):
		return body + "\n" + b + "\n"
	}
	return body + "\n\n" + b + "\n"
}

// Extract returns edition's section in body without its markers.
func Extract(body, edition string) (string, bool) {
	for _, s := range sections(body) {
		if s.edition != edition {
			continue
		}
		inner := strings.TrimPrefix(body[s.start:s.end], BeginMarker(edition))
		inner = strings.TrimSuffix(inner, EndMarker(edition))
		return strings.Trim(inner, "\r\n"), true
	}
	return "", false
}

// Editions lists the editions that have a section in body, sorted.
func Editions(body string) []string {
	var out []string
	for _, s := range sections(body) {
		out = append(out, s.edition)
	}
	sort.Strings(out)
	return out
}
