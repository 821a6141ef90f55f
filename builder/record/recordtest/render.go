package recordtest

import (
	"fmt"
	"strings"

	"github.com/tagdb/tagdb-action/builder/record"
)

// RowString renders a row on one line, listing only what is set, so that
// expectations read like the data: position, tag, then the fields that differ
// from their zero value (a format as fN or nofmt, tN, cN, dep, ...).
func RowString(r record.Row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q", r.Pos, r.Tag)
	if r.Normalized {
		fmt.Fprintf(&b, " norm src=%q", r.SourceTag)
	} else if r.SourceTag != "" {
		fmt.Fprintf(&b, " src=%q", r.SourceTag)
	}
	if r.Format == record.NoFormat {
		b.WriteString(" nofmt")
	} else {
		fmt.Fprintf(&b, " f%d", r.Format)
	}
	if r.Type != record.UnknownType {
		fmt.Fprintf(&b, " t%d", r.Type)
	}
	if r.HasCount {
		fmt.Fprintf(&b, " c%d", r.Count)
	}
	if r.Deprecated {
		b.WriteString(" dep")
	}
	if len(r.Aliases) > 0 {
		fmt.Fprintf(&b, " aliases=%q", r.Aliases)
	}
	if r.AliasOf != "" {
		fmt.Fprintf(&b, " of=%q", r.AliasOf)
	}
	if r.CreatedAt != "" {
		fmt.Fprintf(&b, " created=%q", r.CreatedAt)
	}
	if r.UpdatedAt != "" {
		fmt.Fprintf(&b, " updated=%q", r.UpdatedAt)
	}
	for _, t := range r.Translations {
		fmt.Fprintf(&b, " %s=%q", t.Lang, t.Text)
	}
	return b.String()
}

// Events is a record.Events that keeps everything it is told, in order.
type Events struct {
	Skips     []record.Skip
	Conflicts []record.AliasConflict
	// Lines holds every event as text in the order reported: "skip POS:
	// REASON" and "conflict DOMAIN "ALIAS": selected "A", rejected "B"
	// (REASON)", so that tests can check how skips and conflicts interleave.
	Lines []string
}

func (e *Events) Skipped(s record.Skip) {
	e.Skips = append(e.Skips, s)
	e.Lines = append(e.Lines, "skip "+s.Pos+": "+s.Reason)
}

func (e *Events) Conflict(c record.AliasConflict) {
	e.Conflicts = append(e.Conflicts, c)
	e.Lines = append(e.Lines, fmt.Sprintf("conflict %s %q: selected %q, rejected %q (%s)",
		c.Domain, c.Alias, c.Selected, c.Rejected, c.Reason))
}

// SkipLines renders the skipped rows as "POS: REASON".
func (e *Events) SkipLines() []string {
	out := make([]string, len(e.Skips))
	for i, s := range e.Skips {
		out[i] = s.Pos + ": " + s.Reason
	}
	return out
}
