package main

import (
	"github.com/tagdb/tagdb-action/datadiff"
)

func cmdDiff(e *env, args []string) error {
	fs := newFlags(e, "diff", "OLD NEW [--format text|markdown|json] [--top N]", `
Compare the data of two databases, usually two releases of one edition, by
tag_id: tags added, removed and renamed; per format, tags whose type, alias
target or deprecated flag changed, usage-count totals and the biggest movers;
translations added and removed per language; formats' and sources'
provenance; schema version and metadata. Both files are opened read-only and
read once, in key order, in bounded memory. The markdown format holds the top
items only (for release notes and step summaries); json holds everything.
Exit 0 whether or not the files differ, 1 on error, 2 on a usage error.`)
	format := fs.String("format", "text", "output `format`: text, markdown or json")
	top := fs.Int("top", datadiff.DefaultTop, "items kept per top list (tags added, movers per format, ...)")
	pos, err := parseFlags(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("want two databases, OLD and NEW; got %d arguments", len(pos))
	}
	if err := reportFormat(*format); err != nil {
		return err
	}
	if *top < 0 {
		return usagef("--top must be 0 or more, not %d", *top)
	}
	n := *top
	if n == 0 {
		n = -1 // Options.Top: 0 is the default, negative is none
	}
	o := datadiff.Options{Top: n}
	if e.getenv("GOGC") == "" {
		o.GCPercent = 400 // a user's GOGC wins
	}
	rep, err := datadiff.Compare(e.ctx, pos[0], pos[1], o)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		return rep.WriteJSON(e.stdout)
	case "markdown":
		return rep.WriteMarkdown(e.stdout, datadiff.MarkdownOptions{Top: max(*top, 1)})
	}
	return rep.WriteText(e.stdout)
}
