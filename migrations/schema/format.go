package schema

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/tagdb/tagdb-action/internal/mdtext"
)

// WriteText writes one line per change and a summary line.
func WriteText(w io.Writer, changes []Change) error {
	var b strings.Builder
	if len(changes) == 0 {
		b.WriteString("no schema changes\n")
	}
	for _, c := range changes {
		fmt.Fprintf(&b, "%-11s %s %s %s: %s\n", c.Class, c.Action, c.Object, c.Name, c.Detail)
	}
	if len(changes) > 0 {
		b.WriteString(summary(changes) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func summary(changes []Change) string {
	n := Count(changes)
	noun := "changes"
	if len(changes) == 1 {
		noun = "change"
	}
	return fmt.Sprintf("%d %s: %d destructive, %d breaking, %d additive", len(changes), noun, n[Destructive], n[Breaking], n[Additive])
}

// WriteMarkdown writes the changes as a pull-request comment: a verdict line
// and a table of change, object, class and detail, most severe first. oldName
// and newName label the two sides (file names, branch names).
func WriteMarkdown(w io.Writer, changes []Change, oldName, newName string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Schema changes: %s → %s\n\n", mdtext.Code(oldName), mdtext.Code(newName))
	switch {
	case len(changes) == 0:
		b.WriteString("✅ No schema changes.\n")
	case OnlyAdditive(changes):
		fmt.Fprintf(&b, "✅ %s. Every change is additive: existing readers keep working.\n", summary(changes))
	default:
		fmt.Fprintf(&b, "❌ **%s.** Destructive or breaking changes can break readers of published files; "+
			"make sure each one is intended and the release notes say so.\n", summary(changes))
	}
	if len(changes) > 0 {
		b.WriteString("\n| change | object | class | detail |\n|---|---|---|---|\n")
		for _, c := range changes {
			class := string(c.Class)
			if c.Class != Additive {
				class = "**" + class + "**"
			}
			fmt.Fprintf(&b, "| %s %s | %s | %s | %s |\n", c.Action, c.Object, cell(mdtext.Code(c.Name)), class, cell(c.Detail))
		}
		b.WriteString("\n<sub>additive: safe for readers · breaking: may reject existing rows or queries " +
			"(NOT NULL without default, new UNIQUE/CHECK/foreign key, rename) · destructive: loses data or " +
			"guarantees (dropped table/column/constraint, changed type affinity)</sub>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cell escapes what would break a Markdown table row.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// DiffReport is the JSON form of a diff.
type DiffReport struct {
	Old          string        `json:"old"`
	New          string        `json:"new"`
	OnlyAdditive bool          `json:"only_additive"`
	Counts       map[Class]int `json:"counts"`
	Changes      []Change      `json:"changes"`
}

// WriteDiffJSON writes the changes as an indented DiffReport.
func WriteDiffJSON(w io.Writer, changes []Change, oldName, newName string) error {
	if changes == nil {
		changes = []Change{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(DiffReport{Old: oldName, New: newName, OnlyAdditive: OnlyAdditive(changes), Counts: Count(changes), Changes: changes})
}
