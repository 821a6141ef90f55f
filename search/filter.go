package search

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// plan is a Filter resolved against the database's master data: format and
// type names turned into ids, ready to be written into SQL. Every number in it
// comes from the database itself, so the SQL builders inline them; the only
// bound values are user strings.
type plan struct {
	formats []int // nil: every format
	all     bool
	// types maps a format to its type ids that carry one of the filter's
	// type names; nil when the filter names no type.
	types   map[int][]int
	lang    string
	min     int64
	aliases bool
	// empty is set when no tag can pass (all of a format that has none of
	// the requested types); the queries are then skipped.
	empty bool
}

func (d *DB) compile(f Filter) (*plan, error) {
	p := &plan{all: f.Mode == AllOf, lang: strings.ToLower(strings.TrimSpace(f.Language)), min: f.MinCount, aliases: f.IncludeAliases}
	seen := map[int]bool{}
	for _, name := range f.Formats {
		id, ok := d.formatID[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return nil, unknownNameError("format", name, d.formatNames())
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		// A format without status rows holds no tag: all of it is nothing,
		// any of it adds nothing (and walking counts for it would read
		// every row to learn that).
		if !d.populated[id] {
			p.empty = p.empty || p.all
			continue
		}
		p.formats = append(p.formats, id)
	}
	if len(f.Formats) > 0 && len(p.formats) == 0 {
		p.empty = true
	}
	if len(f.Types) > 0 {
		p.types = map[int][]int{}
		for _, name := range f.Types {
			key := strings.ToLower(strings.TrimSpace(name))
			if !slices.Contains(d.typeNames, key) {
				return nil, unknownNameError("type", name, d.typeNames)
			}
			byFormat := d.typeIDs[key] // empty for a type no format maps to
			for fid, ids := range byFormat {
				p.types[fid] = append(p.types[fid], ids...)
			}
		}
		// A format without any of the types cannot qualify: for all-of that
		// empties the result, for any-of the format simply drops out.
		var keep []int
		for _, fid := range p.formats {
			if len(p.types[fid]) > 0 {
				keep = append(keep, fid)
			} else if p.all {
				p.empty = true
			}
		}
		if len(p.formats) > 0 && len(keep) == 0 {
			p.empty = true
		}
		if !p.all {
			p.formats = keep
		}
		if len(p.types) == 0 {
			p.empty = true
		}
	}
	if p.all && len(p.formats) == 0 && len(f.Formats) == 0 {
		p.all = false // all of no formats means any format
	}
	return p, nil
}

// countFormats is the format list for the ranking count and the count
// stream: the filter's formats, or nil for all.
func (p *plan) countFormats() []int { return p.formats }

// qualify returns an SQL condition (and its arguments) that holds when the
// tag whose id is the SQL expression x passes the filter, apart from
// MinCount, which applies to the ranking count.
func (p *plan) qualify(x string) (string, []any) {
	var conds []string
	var args []any
	status := func(extra string) string {
		c := "EXISTS (SELECT 1 FROM TAG_STATUS s WHERE s.tag_id = " + x
		if !p.aliases {
			c += " AND s.alias = 0"
		}
		return c + extra + ")"
	}
	switch {
	case p.all:
		for _, f := range p.formats {
			conds = append(conds, status(" AND s.format_id = "+strconv.Itoa(f)+p.typeCond(f)))
		}
	case p.types != nil:
		var alts []string
		for _, f := range p.typeFormats() {
			alts = append(alts, "s.format_id = "+strconv.Itoa(f)+p.typeCond(f))
		}
		conds = append(conds, status(" AND ("+strings.Join(alts, " OR ")+")"))
	case len(p.formats) > 0:
		conds = append(conds, status(" AND s.format_id IN ("+intList(p.formats)+")"))
	default:
		conds = append(conds, status(""))
	}
	if p.lang != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM TAG_TRANSLATIONS tr WHERE tr.tag_id = "+x+" AND tr.language = ?)")
		args = append(args, p.lang)
	}
	return strings.Join(conds, " AND "), args
}

// typeFormats lists the formats a type filter applies to: the filter's own,
// or every format that has one of the types.
func (p *plan) typeFormats() []int {
	if len(p.formats) > 0 {
		return p.formats
	}
	var out []int
	for f := range p.types {
		out = append(out, f)
	}
	sort.Ints(out)
	return out
}

func (p *plan) typeCond(f int) string {
	if p.types == nil {
		return ""
	}
	return " AND s.type_id IN (" + intList(p.types[f]) + ")"
}

// countExpr is the ranking count of the tag whose id is x: its highest usage
// count in the filter's formats (all formats when it names none).
func (p *plan) countExpr(x string) string {
	e := "(SELECT max(u.count) FROM TAG_USAGE_COUNTS u WHERE u.tag_id = " + x
	if fs := p.countFormats(); len(fs) > 0 {
		e += " AND u.format_id IN (" + intList(fs) + ")"
	}
	return e + ")"
}

func intList(xs []int) string {
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(x))
	}
	return b.String()
}
