package buildsummary

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/tagdb/tagdb-action/builder"
)

// Table is a header, rows and how its columns align.
type Table struct {
	Header []string
	Rows   [][]string
	// Right marks the columns of numbers, right-aligned in Markdown.
	Right []bool
	// TextRight right-aligns every column in text: tabwriter aligns a whole
	// table one way, and a table of numbers reads best right-aligned.
	TextRight bool
}

// Formats is the tags-per-format table, with a total row.
func Formats(st builder.Stats) Table {
	t := Table{
		Header:    []string{"format", "tags", "canonical", "aliases", "deprecated", "with count"},
		Right:     []bool{false, true, true, true, true, true},
		TextRight: true,
	}
	for _, f := range st.Formats {
		t.Rows = append(t.Rows, []string{f.Name, itoa(f.Tags), itoa(f.Canonical), itoa(f.Aliases), itoa(f.Deprecated), itoa(f.WithCount)})
	}
	t.Rows = append(t.Rows, []string{"total", itoa(st.Tags), "", "", "", itoa(st.UsageCounts)})
	return t
}

// Sources is what each source contributed to the build.
func Sources(effects []builder.SourceEffect) Table {
	t := Table{
		Header: []string{"source", "action", "licence", "read", "changed", "skipped", "values dropped", "dropped by reason"},
		Right:  []bool{false, false, false, true, true, true, true, false},
	}
	for _, e := range effects {
		t.Rows = append(t.Rows, []string{e.Source, e.Action, e.License, itoa(e.RowsRead), itoa(e.RowsChanged), itoa(e.RowsSkipped),
			itoa(e.ValuesDropped), e.DroppedText()})
	}
	return t
}

func itoa[N ~int | ~int64](n N) string { return strconv.FormatInt(int64(n), 10) }

// Text writes the table aligned with spaces, two between columns.
func (t Table) Text(w io.Writer) error {
	var flags uint
	end := "\n"
	if t.TextRight {
		// A right-aligned last column needs its cell terminated too.
		flags, end = tabwriter.AlignRight, "\t\n"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', flags)
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		fmt.Fprint(tw, strings.Join(row, "\t")+end)
	}
	return tw.Flush()
}

// Markdown writes the table as a GitHub-flavoured Markdown table.
func (t Table) Markdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("| " + strings.Join(t.Header, " | ") + " |\n|")
	for i := range t.Header {
		if i < len(t.Right) && t.Right[i] {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, row := range t.Rows {
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// HumanBytes writes a size the way the summaries show it: 192.0 KiB.
func HumanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
