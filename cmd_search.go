package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/tagdb/tagdb-action/search"
)

// searchOutput is the --json document. Its shape is stable: "mode" says which
// of "matches" (resolve, translation: one search.Match per input or tag) or
// "tags" (prefix, find, substring: search.Tag by count) is filled; "path" is
// set for substring ("fts" or "scan"); "not_found" lists the inputs of a
// resolve that matched nothing.
type searchOutput struct {
	Mode     string         `json:"mode"`
	Query    []string       `json:"query"`
	Filter   *searchFilter  `json:"filter,omitempty"`
	Path     search.Path    `json:"path,omitempty"`
	Matches  []search.Match `json:"matches,omitempty"`
	Tags     []search.Tag   `json:"tags,omitempty"`
	NotFound []string       `json:"not_found,omitempty"`
}

type searchFilter struct {
	Formats        []string `json:"formats,omitempty"`
	Mode           string   `json:"mode"`
	Types          []string `json:"types,omitempty"`
	Language       string   `json:"language,omitempty"`
	MinCount       int64    `json:"min_count,omitempty"`
	IncludeAliases bool     `json:"include_aliases,omitempty"`
	Limit          int      `json:"limit"`
}

func cmdSearch(e *env, args []string) error {
	fs := newFlags(e, "search", "--db PATH [flags] [QUERY...]", `
Query a built tag database. What runs depends on the flags and the QUERY words:

  QUERY...            look the tags up exactly (any case, "Long_Hair" = "long hair"),
                      following aliases to the canonical tag; several words, or
                      comma-separated text ("1girl, long hair, solo"), resolve as a prompt
  --prefix QUERY      tags starting with QUERY, by count (autocomplete)
  --substring QUERY   tags or translations containing QUERY, by count
  --lang L QUERY      tags whose translation in language L is QUERY ("*": any language)
  (no QUERY)          the top tags passing --format/--type/--lang/--min-count, by count

For --prefix and listings, --format/--type/--lang/--min-count choose the tags:
with --all a tag must be canonical in every --format, with --any (default) in
one; counts are the highest over those formats. For exact and translation
lookups --format only narrows the formats the table shows (--json shows all).
--substring takes no filters.
Exit status: 0 found, 1 an exact lookup found nothing for some input, 2 usage.
--json prints {"mode", "query", "filter", "path", "matches" | "tags", "not_found"}
with the fields of package search's Match and Tag.`)
	db := fs.String("db", "", "database `PATH` to read")
	var formats, types multiFlag
	fs.Var(&formats, "format", "format `NAME` (repeatable): danbooru, e621, ...")
	all := fs.Bool("all", false, "a tag must be in all of the --format formats")
	anyOf := fs.Bool("any", false, "a tag must be in at least one --format format (default)")
	fs.Var(&types, "type", "type `NAME` (repeatable): general, artist, character, ...")
	minCount := fs.Int64("min-count", 0, "only tags used at least `N` times")
	prefix := fs.Bool("prefix", false, "complete QUERY as a prefix")
	substring := fs.Bool("substring", false, "find QUERY inside tags and translations")
	lang := fs.String("lang", "", "translation `LANGUAGE` (ja, zh, ...): with QUERY, find tags by translation; without, only tags translated into it")
	limit := fs.Int("limit", 0, "at most `N` results for prefix, substring and listings (default 20; 100 for listings)")
	aliases := fs.Bool("aliases", false, "let alias rows count as being in a format")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	pos, err := parseFlags(e, fs, args)
	if err != nil {
		return err
	}
	switch {
	case *db == "":
		return usagef("--db PATH is required")
	case *all && *anyOf:
		return usagef("--all and --any exclude each other")
	case *all && len(formats) == 0:
		return usagef("--all needs at least one --format")
	case *prefix && *substring:
		return usagef("--prefix and --substring exclude each other")
	case (*prefix || *substring) && len(pos) == 0:
		return usagef("--prefix and --substring need a QUERY")
	case *minCount < 0 || *limit < 0:
		return usagef("--min-count and --limit must not be negative")
	case *substring && (len(formats) > 0 || len(types) > 0 || *lang != "" || *minCount > 0 || *all || *aliases):
		return usagef("--substring takes no --format, --type, --lang, --min-count, --all or --aliases")
	}
	filter := search.Filter{Formats: formats, Types: types, MinCount: *minCount, IncludeAliases: *aliases}
	if *all {
		filter.Mode = search.AllOf
	}
	text := strings.TrimSpace(strings.Join(pos, " "))
	out := searchOutput{Query: pos}
	if out.Query == nil {
		out.Query = []string{}
	}
	d, err := search.Open(e.ctx, *db)
	if err != nil {
		return err
	}
	defer d.Close()

	lim := orDefault(*limit, 20)
	switch {
	case *prefix:
		out.Mode = "prefix"
		filter.Language = *lang
		out.Tags, err = d.Prefix(e.ctx, text, lim, filter)
	case *substring:
		out.Mode = "substring"
		out.Tags, out.Path, err = d.Substring(e.ctx, text, lim)
	case len(pos) > 0 && *lang != "":
		out.Mode = "translation"
		l := *lang
		if l == "*" {
			l = ""
		}
		out.Matches, err = d.ByTranslation(e.ctx, text, l)
	case len(pos) > 0:
		out.Mode = "resolve"
		out.Matches, err = d.Resolve(e.ctx, promptTags(pos))
		for _, m := range out.Matches {
			if !m.Found() {
				out.NotFound = append(out.NotFound, m.Query)
			}
		}
	case len(formats) > 0 || len(types) > 0 || *lang != "" || *minCount > 0:
		out.Mode = "find"
		filter.Language = *lang
		lim = orDefault(*limit, 100)
		out.Tags, err = d.Find(e.ctx, filter, lim)
	default:
		return usagef("give a QUERY, or --format/--type/--lang/--min-count to list tags")
	}
	if err != nil {
		return err
	}
	if out.Mode != "resolve" && out.Mode != "translation" {
		out.Filter = &searchFilter{Formats: formats, Mode: filter.Mode.String(), Types: types, Language: filter.Language,
			MinCount: *minCount, IncludeAliases: *aliases, Limit: lim}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		printSearch(e.stdout, out, formats)
	}
	if len(out.NotFound) > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d of %d not found: %s", len(out.NotFound), len(out.Matches), strings.Join(out.NotFound, ", "))}
	}
	if out.Mode == "translation" && len(out.Matches) == 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("no tag has the translation %q", text)}
	}
	return nil
}

// promptTags splits QUERY words into tags: comma-separated text is a prompt
// ("1girl, long hair, solo"); otherwise every word is one tag.
func promptTags(words []string) []string {
	joined := strings.Join(words, " ")
	if !strings.ContainsAny(joined, ",，") {
		return words
	}
	var out []string
	for _, part := range strings.FieldsFunc(joined, func(r rune) bool { return r == ',' || r == '，' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func orDefault(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

// printSearch writes the human table. Translations come last: East Asian text
// is wider than tabwriter counts, so it would push any column after it.
func printSearch(w io.Writer, out searchOutput, formats []string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	switch out.Mode {
	case "resolve", "translation":
		fmt.Fprintln(tw, "QUERY\tTAG\tCOUNT\tFORMATS\tALIAS\tTRANSLATIONS")
		for _, m := range out.Matches {
			if !m.Found() {
				fmt.Fprintf(tw, "%s\t(not found)\t\t\t\t\n", m.Query)
				continue
			}
			alias := ""
			if m.Input != nil {
				alias = fmt.Sprintf("%s → %s (%s)", m.Input.Tag, m.Tag.Tag, strings.Join(m.AliasIn, ", "))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", m.Query, m.Tag.Tag, humanCount(m.Tag.Count),
				formatList(m.Tag, formats), alias, translationList(m.Tag))
		}
	default:
		fmt.Fprintln(tw, "TAG\tCOUNT\tFORMATS\tTRANSLATIONS")
		for i := range out.Tags {
			t := &out.Tags[i]
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Tag, humanCount(t.Count), formatList(t, formats), translationList(t))
		}
	}
	tw.Flush()
	switch out.Path {
	case search.PathFTS:
		fmt.Fprintf(w, "(%d found through the trigram index)\n", len(out.Tags))
	case search.PathScan:
		fmt.Fprintf(w, "(%d found by a full scan; build with --fts for the trigram index)\n", len(out.Tags))
	}
}

// formatList renders a tag's formats as "danbooru:general 6.0M, e621:general
// 100k"; an alias row shows as "danbooru:alias"; only the given formats when
// there are any.
func formatList(t *search.Tag, only []string) string {
	var parts []string
	for _, s := range t.Formats {
		if len(only) > 0 && !containsFold(only, s.Format) {
			continue
		}
		p := s.Format
		switch {
		case s.Alias:
			p += ":alias"
		case s.HasStatus && s.Type != "":
			p += ":" + s.Type
		}
		if s.Deprecated && !s.Alias {
			p += "(deprecated)"
		}
		if s.HasCount {
			p += " " + humanCount(s.Count)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func translationList(t *search.Tag) string {
	var parts []string
	for _, tr := range t.Translations {
		parts = append(parts, tr.Language+":"+tr.Text)
	}
	return strings.Join(parts, " ")
}

func containsFold(xs []string, x string) bool {
	for _, y := range xs {
		if strings.EqualFold(strings.TrimSpace(y), x) {
			return true
		}
	}
	return false
}

// humanCount shortens a usage count: 6000644 → "6.0M", 4350 → "4.3k".
func humanCount(n int64) string {
	switch {
	case n >= 1_000_000:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + "M"
	case n >= 10_000:
		return strconv.FormatInt(n/1000, 10) + "k"
	case n >= 1000:
		return strconv.FormatFloat(float64(n)/1e3, 'f', 1, 64) + "k"
	default:
		return strconv.FormatInt(n, 10)
	}
}
