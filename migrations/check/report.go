package check

import (
	"fmt"
	"io"
	"strings"

	"github.com/tagdb/tagdb-action/internal/textfmt"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

// Annotation is one message pinned to a line of a migration file. File is ""
// (and Line 0) for findings that belong to no file.
type Annotation struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Level   string `json:"level"` // error, warning or notice
	Title   string `json:"title"`
	Message string `json:"message"`
}

// Step is one thing the check tried: applying the migrations somewhere,
// validating a database, comparing checksums.
type Step struct {
	Name     string   `json:"name"`
	Status   string   `json:"status"` // StepOK, StepFailed or StepSkipped
	Detail   string   `json:"detail"`
	Problems []string `json:"problems,omitempty"`
	Notes    []string `json:"notes,omitempty"`
}

// The statuses of a Step.
const (
	StepOK      = "ok"
	StepFailed  = "failed"
	StepSkipped = "skipped"
)

// Result is what Run found. Its JSON form is `tagdb check --format json`.
type Result struct {
	Annotations []Annotation    `json:"annotations"`
	Failed      bool            `json:"failed"`
	Changes     []schema.Change `json:"changes"`

	Reasons     []string `json:"reasons,omitempty"` // why Failed, one phrase each
	Migrations  string   `json:"migrations"`        // the folder checked, as given
	Files       []string `json:"files"`             // its migration files, in order
	Base        string   `json:"base"`              // what the changes are measured against
	BaseVersion int      `json:"base_version"`      // -1 when it could not be told
	NewFiles    []string `json:"new_files"`         // files newer than the base
	Compared    bool     `json:"compared"`          // false when no diff was possible: Changes is then empty, not "no change"
	Steps       []Step   `json:"steps"`
	Notes       []string `json:"notes,omitempty"` // about the check itself (which base, why)
	// Data lists the published tables whose rows the migrations changed
	// (only with a base database); lost or rewritten rows are destructive.
	Data []TableData `json:"data_changes,omitempty"`

	allowDestructive   bool
	oldLabel, newLabel string // the two sides of the diff, as its heading names them
}

// maxMarkdown keeps the body under GitHub's 65536-character comment limit,
// with room for the marker the action adds.
const maxMarkdown = 60000

// Markdown is the step summary and the PR comment body (without the hidden
// marker that finds the comment again): one section under its own heading.
func (r *Result) Markdown() string {
	var b strings.Builder
	b.WriteString("## tagdb schema check\n\n")
	n := schema.Count(r.Changes)
	bad := n[schema.Destructive] + n[schema.Breaking]
	lost := r.destructiveData()
	switch {
	case r.Failed:
		fmt.Fprintf(&b, "❌ **Failed:** %s.", strings.Join(r.Reasons, "; "))
		if bad+lost > 0 && !r.allowDestructive {
			b.WriteString(" If the destructive or breaking changes are intended, set `allow-destructive` and say so in the release notes.")
		}
		b.WriteString("\n\n")
	case bad+lost > 0:
		fmt.Fprintf(&b, "✅ **Passed** with %d destructive and %d breaking change(s), allowed by `allow-destructive`: say so in the release notes.\n\n",
			n[schema.Destructive]+lost, n[schema.Breaking])
	case len(r.Changes) > 0:
		b.WriteString("✅ **Passed:** the migrations apply cleanly and every schema change is additive.\n\n")
	default:
		b.WriteString("✅ **Passed:** the migrations apply cleanly; the schema does not change.\n\n")
	}

	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| migrations | %s: %s |\n", mdCode(r.Migrations), mdCell(textfmt.Plural(len(r.Files), "file")))
	fmt.Fprintf(&b, "| base | %s |\n", mdCell(orDash(r.Base)))
	newFiles := "none"
	switch {
	case r.BaseVersion < 0 && len(r.Files) > 0:
		newFiles = "unknown (the base version could not be told)"
	case len(r.NewFiles) > 0:
		var names []string
		for _, f := range r.NewFiles {
			names = append(names, mdCode(f))
		}
		newFiles = strings.Join(names, ", ")
	}
	fmt.Fprintf(&b, "| new migration files | %s |\n\n", mdCell(newFiles))

	if r.Compared {
		var d strings.Builder
		_ = schema.WriteMarkdown(&d, r.Changes, r.oldLabel, r.newLabel)
		b.WriteString(d.String())
		b.WriteString("\n")
	}

	if len(r.Data) > 0 {
		b.WriteString("### Data changes: published rows → migrated copy\n\n")
		b.WriteString("| table | rows before | rows after | lost | rewritten | added | class | matched by |\n|---|---:|---:|---:|---:|---:|---|---|\n")
		for _, d := range r.Data {
			class := "additive"
			if d.Destructive() {
				class = "**destructive**"
			}
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %s | %s |\n", mdCode(d.Table), d.Before, d.After, d.Lost, d.Changed, d.Added, class, mdCell(d.Key))
		}
		b.WriteString("\n<sub>lost: published rows whose key is gone · rewritten: rows whose key is kept but whose values (in the columns both sides have) changed · added: new rows</sub>\n\n")
	}

	b.WriteString("### Checks\n\n| | check | result |\n|---|---|---|\n")
	for _, s := range r.Steps {
		icon := map[string]string{StepOK: "✅", StepFailed: "❌", StepSkipped: "➖"}[s.Status]
		fmt.Fprintf(&b, "| %s | %s | %s |\n", icon, mdCell(s.Name), mdCell(orDash(s.Detail)))
	}
	b.WriteString("\n")
	for _, s := range r.Steps {
		if len(s.Problems) == 0 || (len(s.Problems) == 1 && s.Problems[0] == s.Detail) {
			continue
		}
		fmt.Fprintf(&b, "**%s: problems**\n\n", s.Name)
		for _, p := range s.Problems {
			fmt.Fprintf(&b, "- %s\n", p)
		}
		b.WriteString("\n")
	}
	notes := append([]string(nil), r.Notes...)
	for _, s := range r.Steps {
		for _, n := range s.Notes {
			notes = append(notes, s.Name+": "+n)
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n", textfmt.Plural(len(notes), "note"))
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
		b.WriteString("\n</details>\n")
	}
	out := b.String()
	if len(out) > maxMarkdown {
		cut := strings.LastIndex(out[:maxMarkdown], "\n")
		out = out[:cut+1] + fmt.Sprintf("\n… truncated (%d more characters): run `tagdb check` for the full report.\n", len(out)-cut-1)
	}
	return out
}

// WriteText prints the result for a terminal: the verdict, the changes, the
// checks and the annotations as file:line: lines an editor can follow.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	verdict := "passed"
	if r.Failed {
		verdict = "FAILED: " + strings.Join(r.Reasons, "; ")
	}
	fmt.Fprintf(&b, "schema check %s\n", verdict)
	fmt.Fprintf(&b, "migrations: %s (%s)\n", r.Migrations, textfmt.Plural(len(r.Files), "file"))
	fmt.Fprintf(&b, "base: %s\n", orDash(strings.ReplaceAll(r.Base, "`", "")))
	if len(r.NewFiles) > 0 {
		fmt.Fprintf(&b, "new files: %s\n", strings.Join(r.NewFiles, ", "))
	}
	b.WriteString("\n")
	if r.Compared {
		if err := schema.WriteText(&b, r.Changes); err != nil {
			return err
		}
	} else {
		b.WriteString("schema not compared: the migrations could not be applied\n")
	}
	for _, d := range r.Data {
		fmt.Fprintf(&b, "data: %s: %s\n", d.Table, d.Summary())
	}
	b.WriteString("\n")
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "%-7s %s: %s\n", s.Status, s.Name, strings.ReplaceAll(s.Detail, "`", ""))
		for _, p := range s.Problems {
			if p != s.Detail {
				fmt.Fprintf(&b, "        %s\n", p)
			}
		}
		for _, n := range s.Notes {
			fmt.Fprintf(&b, "        note: %s\n", n)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	if len(r.Annotations) > 0 {
		b.WriteString("\n")
	}
	for _, a := range r.Annotations {
		where := "-"
		if a.File != "" {
			where = fmt.Sprintf("%s:%d", a.File, a.Line)
		}
		fmt.Fprintf(&b, "%s: %s: %s: %s\n", where, a.Level, a.Title, a.Message)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// destructiveData counts the tables that lost or rewrote published rows.
func (r *Result) destructiveData() int {
	n := 0
	for _, d := range r.Data {
		if d.Destructive() {
			n++
		}
	}
	return n
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// mdCode renders s as Markdown inline code.
func mdCode(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + s + fence
}

// mdCell keeps a Markdown table row intact.
func mdCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}
