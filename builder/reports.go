package builder

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/tagdb/tagdb-action/internal/files"
)

// writeReports writes the TSV reports, build_manifest.json and the dataset
// card into o.ReportDir and returns the paths written. Each file is written
// atomically, so a report is never half there.
func writeReports(ctx context.Context, o Options, plan *Plan, units []*unit, rep *repairs, res *Result) ([]string, error) {
	if err := os.MkdirAll(o.ReportDir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	tsv := func(name string, header []string, rows [][]string) error {
		path := filepath.Join(o.ReportDir, name)
		if err := files.WriteAtomic(path, reportPerm, func(w io.Writer) error {
			var line []byte
			for _, r := range append([][]string{header}, rows...) {
				line = appendTSVRow(line[:0], r)
				if _, err := w.Write(line); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		written = append(written, path)
		return nil
	}
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	itoa := strconv.Itoa

	var eff [][]string
	for _, e := range res.Manifest.Effects {
		eff = append(eff, []string{e.Source, e.Action, e.License, i64(e.RowsRead), i64(e.RowsChanged), i64(e.RowsSkipped),
			i64(e.ValuesDropped), e.DroppedText(), e.Note})
	}
	if err := tsv("source_effects.tsv", []string{"source", "action", "license", "rows_read", "rows_changed", "rows_skipped",
		"values_dropped", "dropped", "note"}, eff); err != nil {
		return nil, err
	}
	var skipped, conflicts [][]string
	for _, u := range units {
		u.events.mu.Lock()
		for _, s := range u.events.skips {
			skipped = append(skipped, []string{s.unit, s.pos, s.reason})
		}
		if extra := u.events.skipped - int64(len(u.events.skips)); extra > 0 {
			skipped = append(skipped, []string{u.name, "...", fmt.Sprintf("%d more skipped rows not listed", extra)})
		}
		for _, c := range u.events.conflicts {
			conflicts = append(conflicts, []string{u.name, c.Domain, c.Alias, c.Selected, c.Rejected, c.Reason})
		}
		u.events.mu.Unlock()
	}
	if err := tsv("skipped_rows.tsv", []string{"source", "position", "reason"}, skipped); err != nil {
		return nil, err
	}
	if err := tsv("alias_conflicts.tsv", []string{"source", "domain", "alias", "selected_canonical", "rejected_canonical", "resolution_reason"}, conflicts); err != nil {
		return nil, err
	}
	var types [][]string
	for _, t := range rep.types {
		types = append(types, []string{itoa(t.Format), FormatName(t.Format), itoa(t.Type), "0", "unknown", i64(t.Rows)})
	}
	if err := tsv("type_mapping_repairs.tsv", []string{"format_id", "format_name", "type_id", "type_name_id", "type_name", "rows"}, types); err != nil {
		return nil, err
	}
	var prefix [][]string
	for _, p := range rep.prefix {
		prefix = append(prefix, []string{itoa(p.Format), i64(p.TagID), p.Tag, i64(p.OldPreferredID), p.OldPreferred,
			i64(p.NewPreferredID), p.NewPreferred, itoa(p.NewAlias), p.Reason})
	}
	if err := tsv("prefix_repairs.tsv", []string{"format_id", "tag_id", "tag", "old_preferred_tag_id", "old_preferred_tag",
		"new_preferred_tag_id", "new_preferred_tag", "new_alias", "reason"}, prefix); err != nil {
		return nil, err
	}
	var chains [][]string
	for _, c := range rep.chains {
		chains = append(chains, []string{itoa(c.Format), i64(c.TagID), i64(c.OldPreferred), i64(c.NewPref), c.Reason})
	}
	if err := tsv("alias_chains.tsv", []string{"format_id", "tag_id", "old_preferred_tag_id", "new_preferred_tag_id", "reason"}, chains); err != nil {
		return nil, err
	}
	mpath := filepath.Join(o.ReportDir, "build_manifest.json")
	if err := files.WriteAtomic(mpath, reportPerm, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(res.Manifest)
	}); err != nil {
		return nil, err
	}
	written = append(written, mpath)
	card, err := datasetCard(ctx, o, plan, res)
	if err != nil {
		return nil, err
	}
	cpath := filepath.Join(o.ReportDir, "README.md")
	if err := files.WriteAtomic(cpath, reportPerm, func(w io.Writer) error { _, err := io.WriteString(w, card); return err }); err != nil {
		return nil, err
	}
	written = append(written, cpath)
	return written, nil
}

// reportPerm is the mode of the report files: readable by everyone, like any
// file the program creates (the umask applies).
const reportPerm = 0o666

// appendTSVRow appends one line of tab-separated fields. It is the one place
// every report field passes through: a backslash, tab, line feed or carriage
// return in a field is written as \\, \t, \n or \r (the convention of
// PostgreSQL's COPY text format), so each line is exactly one row and a source name or file name can never forge a
// row or a column, whatever the reader (README, "Reports"). Nothing else is
// quoted or escaped.
func appendTSVRow(b []byte, fields []string) []byte {
	for i, f := range fields {
		if i > 0 {
			b = append(b, '\t')
		}
		for j := 0; j < len(f); j++ {
			switch c := f[j]; c {
			case '\\':
				b = append(b, `\\`...)
			case '\t':
				b = append(b, `\t`...)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			default:
				b = append(b, c)
			}
		}
	}
	return append(b, '\n')
}
