package tabular

import (
	"fmt"
	"io"
	"strings"

	"github.com/tagdb/tagdb-action/builder/record"
)

// tagcompleteReader reads `tag,type,count[,"alias1,alias2"]` lines, the layout
// of a1111-sd-webui-tagcomplete's tag lists. The file has no header; a first
// line that looks like one (tag/name/source_tag with a non-numeric count) is
// reported and skipped rather than imported as a tag called "tag".
type tagcompleteReader struct {
	lines  *lineReader
	events record.Events
	format int
	fields []string
	first  bool
}

func newTagcompleteReader(r io.Reader, path string, opts Options) *tagcompleteReader {
	return &tagcompleteReader{
		lines:  newLineReader(r, path),
		events: opts.Events,
		format: opts.Format,
		fields: make([]string, 0, 8),
		first:  true,
	}
}

func (t *tagcompleteReader) next(r *record.Row) (bool, error) {
	b, skip, err := t.lines.next()
	if err != nil {
		return false, err
	}
	pos := t.lines.pos()
	first := t.first
	t.first = false
	if skip != "" {
		t.events.Skipped(record.Skip{Pos: pos, Reason: skip})
		return false, nil
	}
	// One string per line: every field below is a substring of it, so a line
	// costs one allocation plus its alias slice growth.
	line := string(b)
	f, err := splitLine(line, t.fields)
	t.fields = f
	if err != nil {
		t.events.Skipped(record.Skip{Pos: pos, Reason: err.Error()})
		return false, nil
	}
	if len(f) != 3 && len(f) != 4 {
		t.events.Skipped(record.Skip{Pos: pos, Reason: fmt.Sprintf("expected 3 or 4 fields, got %d", len(f))})
		return false, nil
	}
	tag := strings.TrimSpace(f[0])
	countText := strings.TrimSpace(f[2])
	if first && isHeaderName(tag) {
		if _, why := parseInt(countText); why != "" {
			t.events.Skipped(record.Skip{Pos: pos, Reason: "header line ignored"})
			return false, nil
		}
	}
	if tag == "" {
		t.events.Skipped(record.Skip{Pos: pos, Reason: reasonEmptyTag})
		return false, nil
	}
	r.Pos, r.Tag, r.Format = pos, tag, t.format
	if typeText := strings.TrimSpace(f[1]); typeText != "" {
		n, why := parseInt(typeText)
		if why != "" {
			t.events.Skipped(record.Skip{Pos: pos, Reason: fmt.Sprintf("type is %s: %q", why, f[1])})
		} else {
			r.Type = int(n)
		}
	}
	if countText != "" {
		n, why := parseInt(countText)
		if note := setCount(r, n, why, f[2]); note != "" {
			t.events.Skipped(record.Skip{Pos: pos, Reason: note})
		}
	}
	if len(f) == 4 {
		r.Aliases = appendCommaList(r.Aliases, f[3])
	}
	return true, nil
}

func isHeaderName(s string) bool {
	switch strings.ToLower(s) {
	case "tag", "name", "source_tag":
		return true
	}
	return false
}
