package datadiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/tagdb/tagdb-action/internal/mdtext"
)

// WriteJSON writes the whole report as indented JSON. Field order is the
// struct order and every list is sorted, so the bytes are stable.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // tags such as "<3" stay readable
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for a terminal.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s → %s\n", sideLabel(r.Old), sideLabel(r.New))
	if r.Empty() {
		b.WriteString("no data differences\n")
	}
	t := r.Tags
	fmt.Fprintf(&b, "tags: %d → %d (%+d added, %d removed, %d renamed)\n", r.Old.Tags, r.New.Tags, t.Added, t.Removed, t.Renamed)
	for _, x := range t.TopAdded {
		fmt.Fprintf(&b, "  + %s (%d)\n", x.Tag, x.Count)
	}
	for _, x := range t.TopRemoved {
		fmt.Fprintf(&b, "  - %s (%d)\n", x.Tag, x.Count)
	}
	for _, x := range t.TopRenamed {
		fmt.Fprintf(&b, "  ~ %s → %s\n", x.Old, x.New)
	}
	for _, f := range r.Formats {
		fmt.Fprintf(&b, "format %s (%d)%s:\n", f.Name, f.ID, rowNote(f.Row))
		fmt.Fprintf(&b, "  tags %d → %d (+%d -%d); type changed %d, alias changed %d, deprecated changed %d\n",
			f.OldTags, f.NewTags, f.StatusAdded, f.StatusRemoved, f.TypeChanged, f.AliasChanged, f.DeprecatedChanged)
		fmt.Fprintf(&b, "  usage total %d → %d (%+d); counts +%d -%d, %d changed\n",
			f.OldUsage, f.NewUsage, f.NewUsage-f.OldUsage, f.CountsAdded, f.CountsRemoved, f.CountsChanged)
		for _, c := range f.Provenance {
			fmt.Fprintf(&b, "  %s: %q → %q\n", c.Name, c.Old, c.New)
		}
		for _, x := range f.TopTypes {
			fmt.Fprintf(&b, "  type   %s: %s → %s\n", x.Tag, x.Old, x.New)
		}
		for _, x := range f.TopAliases {
			fmt.Fprintf(&b, "  alias  %s: %s → %s\n", x.Tag, or(x.OldTarget, "(canonical)"), or(x.NewTarget, "(canonical)"))
		}
		for _, x := range f.TopDeprecated {
			fmt.Fprintf(&b, "  deprecated %s: %t → %t\n", x.Tag, x.Old, x.New)
		}
		for _, x := range f.TopMovers {
			fmt.Fprintf(&b, "  count  %s: %d → %d (%+d)\n", x.Tag, x.Old, x.New, x.Delta)
		}
	}
	if len(r.Translations) > 0 {
		b.WriteString("translations:\n")
		for _, l := range r.Translations {
			fmt.Fprintf(&b, "  %s: %d → %d (+%d -%d)\n", or(l.Language, "(none)"), l.Old, l.New, l.Added, l.Removed)
			for _, x := range l.ExamplesAdded {
				fmt.Fprintf(&b, "    + %s: %s\n", x.Tag, x.Translation)
			}
			for _, x := range l.ExamplesRemoved {
				fmt.Fprintf(&b, "    - %s: %s\n", x.Tag, x.Translation)
			}
		}
	}
	for _, s := range r.Sources.Added {
		fmt.Fprintf(&b, "source added: %s %s\n", s.ID, fieldsText(s.Fields))
	}
	for _, s := range r.Sources.Removed {
		fmt.Fprintf(&b, "source removed: %s %s\n", s.ID, fieldsText(s.Fields))
	}
	for _, s := range r.Sources.Updated {
		for _, c := range s.Changes {
			fmt.Fprintf(&b, "source updated: %s %s: %q → %q\n", s.ID, c.Name, c.Old, c.New)
		}
	}
	for _, c := range r.Metadata {
		fmt.Fprintf(&b, "metadata %s: %q → %q\n", c.Name, c.Old, c.New)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// DefaultMarkdownLimit caps WriteMarkdown's output: three editions' sections
// must fit in a release body, which GitHub cuts at 125,000 characters.
const DefaultMarkdownLimit = 30000

// MarkdownOptions shape the markdown rendering.
type MarkdownOptions struct {
	Top      int // items per top list (default 5; never more than the report kept)
	MaxBytes int // output cap (default DefaultMarkdownLimit)
	// JSONName names the asset holding the full report, mentioned when the
	// markdown leaves items out ("tagdb-cc4.diff.json").
	JSONName string
}

// WriteMarkdown writes the report's top items as compact markdown, for
// release notes and step summaries. Past MaxBytes it stops at a line
// boundary and says where the rest is.
func (r *Report) WriteMarkdown(w io.Writer, o MarkdownOptions) error {
	if o.Top <= 0 {
		o.Top = 5
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMarkdownLimit
	}
	full := "the full report"
	if o.JSONName != "" {
		full = "`" + o.JSONName + "`"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Changes from %s to %s.\n\n", mdSide(r.Old), mdSide(r.New))
	if r.Empty() {
		b.WriteString("No data differences.\n")
	}
	if r.Old.SchemaVersion != r.New.SchemaVersion {
		fmt.Fprintf(&b, "**Schema version** %d → %d.\n\n", r.Old.SchemaVersion, r.New.SchemaVersion)
	}
	t := r.Tags
	fmt.Fprintf(&b, "**Tags** %s → %s: %s added, %s removed, %s renamed.\n", mdtext.Int(r.Old.Tags), mdtext.Int(r.New.Tags), mdtext.Int(t.Added), mdtext.Int(t.Removed), mdtext.Int(t.Renamed))
	tagList(&b, "Top added", t.TopAdded, o.Top)
	tagList(&b, "Top removed", t.TopRemoved, o.Top)
	if len(t.TopRenamed) > 0 {
		var items []string
		for _, x := range first(t.TopRenamed, o.Top) {
			items = append(items, mdtext.Code(x.Old)+" → "+mdtext.Code(x.New))
		}
		fmt.Fprintf(&b, "- Renamed: %s\n", strings.Join(items, ", "))
	}
	b.WriteString("\n")
	if len(r.Formats) > 0 {
		b.WriteString("| format | tags | usage total | +/− tags | type | alias | deprecated | counts changed |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, f := range r.Formats {
			fmt.Fprintf(&b, "| %s%s | %s → %s | %s → %s | +%s / −%s | %s | %s | %s | %s |\n", mdtext.Cell(f.Name), rowNote(f.Row),
				mdtext.Int(f.OldTags), mdtext.Int(f.NewTags), mdtext.Int(f.OldUsage), mdtext.Int(f.NewUsage), mdtext.Int(f.StatusAdded), mdtext.Int(f.StatusRemoved),
				mdtext.Int(f.TypeChanged), mdtext.Int(f.AliasChanged), mdtext.Int(f.DeprecatedChanged), mdtext.Int(f.CountsChanged))
		}
		b.WriteString("\n")
		for _, f := range r.Formats {
			var lines []string
			for _, c := range f.Provenance {
				lines = append(lines, fmt.Sprintf("%s %s → %s", c.Name, mdtext.Code(c.Old), mdtext.Code(c.New)))
			}
			for _, x := range first(f.TopTypes, o.Top) {
				lines = append(lines, fmt.Sprintf("type of %s %s → %s", mdtext.Code(x.Tag), x.Old, x.New))
			}
			for _, x := range first(f.TopAliases, o.Top) {
				lines = append(lines, fmt.Sprintf("%s alias of %s → %s", mdtext.Code(x.Tag), mdTarget(x.OldTarget), mdTarget(x.NewTarget)))
			}
			for _, x := range first(f.TopDeprecated, o.Top) {
				lines = append(lines, fmt.Sprintf("%s deprecated %t → %t", mdtext.Code(x.Tag), x.Old, x.New))
			}
			for _, x := range first(f.TopMovers, o.Top) {
				lines = append(lines, fmt.Sprintf("%s count %s → %s (%+d)", mdtext.Code(x.Tag), mdtext.Int(x.Old), mdtext.Int(x.New), x.Delta))
			}
			if len(lines) > 0 {
				fmt.Fprintf(&b, "- **%s**: %s\n", mdtext.Cell(f.Name), strings.Join(lines, "; "))
			}
		}
		b.WriteString("\n")
	}
	if len(r.Translations) > 0 {
		var items []string
		for _, l := range r.Translations {
			items = append(items, fmt.Sprintf("%s +%s / −%s", or(l.Language, "(none)"), mdtext.Int(l.Added), mdtext.Int(l.Removed)))
		}
		fmt.Fprintf(&b, "**Translations**: %s.\n\n", strings.Join(items, ", "))
	}
	src := r.Sources
	if len(src.Added)+len(src.Removed)+len(src.Updated) > 0 {
		var items []string
		for _, s := range src.Added {
			items = append(items, "added "+mdtext.Code(s.ID)+mdFields(s.Fields))
		}
		for _, s := range src.Removed {
			items = append(items, "removed "+mdtext.Code(s.ID))
		}
		for _, s := range src.Updated {
			var ch []string
			for _, c := range s.Changes {
				ch = append(ch, fmt.Sprintf("%s %s → %s", c.Name, mdtext.Code(c.Old), mdtext.Code(c.New)))
			}
			items = append(items, fmt.Sprintf("updated %s (%s)", mdtext.Code(s.ID), strings.Join(ch, ", ")))
		}
		fmt.Fprintf(&b, "**Sources**: %s.", strings.Join(items, "; "))
		b.WriteString("\n\n")
	}
	if o.JSONName != "" {
		fmt.Fprintf(&b, "Every change, with %d items per list: %s.\n", r.Top, full)
	}
	out := b.String()
	if len(out) > o.MaxBytes {
		note := fmt.Sprintf("\n… cut at %d bytes; the rest is in %s.\n", o.MaxBytes, full)
		cut := strings.LastIndexByte(out[:max(0, o.MaxBytes-len(note))], '\n')
		out = out[:cut+1] + note
	}
	_, err := io.WriteString(w, out)
	return err
}

func first[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func tagList(b *strings.Builder, title string, list []TagRef, n int) {
	if len(list) == 0 {
		return
	}
	var items []string
	for _, x := range first(list, n) {
		items = append(items, fmt.Sprintf("%s (%s)", mdtext.Code(x.Tag), mdtext.Int(x.Count)))
	}
	fmt.Fprintf(b, "- %s: %s\n", title, strings.Join(items, ", "))
}

func sideLabel(s Side) string {
	return fmt.Sprintf("%s (%s, schema %d)", s.File, or(s.Version, "no version"), s.SchemaVersion)
}

func mdSide(s Side) string {
	if s.Version != "" {
		return mdtext.Code(s.Version)
	}
	return mdtext.Code(s.File)
}

func rowNote(row string) string {
	if row == "" {
		return ""
	}
	return " (" + row + ")"
}

// or returns s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// mdTarget shows an alias target; "" is a canonical tag.
func mdTarget(t string) string {
	if t == "" {
		return "canonical"
	}
	return mdtext.Code(t)
}

func fieldsText(fs []Field) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.Name+"="+f.Value)
	}
	return strings.Join(parts, " ")
}

func mdFields(fs []Field) string {
	for _, f := range fs {
		if f.Name == "license" {
			return " (" + mdtext.Cell(f.Value) + ")"
		}
	}
	return ""
}
