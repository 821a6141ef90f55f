package tabular

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/normalize"
)

// role is what a column of a csv, json or parquet source means
// (docs/merge-rules.md, "Sources and kinds", including the p1atdev layout).
type role uint8

const (
	roleUnknown    role = iota // not understood: ignored and reported once
	roleIgnored                // understood and deliberately unused (id, p1atdev type)
	roleTag                    // source_tag, tag or title; prio says which wins
	roleType                   // type_id
	roleFormat                 // format_id
	roleCount                  // count
	roleAliases                // deprecated_tags
	roleDeprecated             // deprecated
	roleCreated                // created_at
	roleUpdated                // updated_at
	roleDeleted                // is_deleted (p1atdev)
	roleLang                   // a language column; other_names is ja
)

// column is one input column and its meaning.
type column struct {
	name string
	role role
	prio int    // roleTag: source_tag 3 > tag 2 > title 1
	lang string // roleLang: the language code
}

// classify maps a column name to its role. p1atdev says the source has the
// title/other_names layout, whose `type` column (a three-class string) is
// known and unused rather than unknown.
func classify(name string, p1atdev bool) column {
	c := column{name: name}
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "source_tag":
		c.role, c.prio = roleTag, 3
	case "tag":
		c.role, c.prio = roleTag, 2
	case "title":
		c.role, c.prio = roleTag, 1
	case "type_id":
		c.role = roleType
	case "format_id":
		c.role = roleFormat
	case "count":
		c.role = roleCount
	case "deprecated_tags":
		c.role = roleAliases
	case "deprecated":
		c.role = roleDeprecated
	case "created_at", "source_created_at":
		c.role = roleCreated
	case "updated_at", "source_updated_at":
		c.role = roleUpdated
	case "is_deleted":
		c.role = roleDeleted
	case "other_names":
		// p1atdev/danbooru-ja-tag-pair: the dataset's name for its Japanese
		// (in fact Japanese and Chinese, docs/python-differences.md W11) alternative names.
		c.role, c.lang = roleLang, "ja"
	case "id":
		c.role = roleIgnored
	case "type":
		if p1atdev {
			c.role = roleIgnored
		}
	default:
		if code, ok := normalize.LanguageCode(strings.TrimSpace(name)); ok {
			c.role, c.lang = roleLang, code
		}
	}
	return c
}

// classifyAll maps a header (or Parquet schema) and reports the columns that
// will not be read, once, at Pos "header".
func classifyAll(names []string, events record.Events) ([]column, error) {
	p1atdev := false
	for _, n := range names {
		if strings.EqualFold(strings.TrimSpace(n), "title") {
			p1atdev = true
		}
	}
	cols := make([]column, len(names))
	seen := make(map[string]int, len(names))
	best := 0
	for i, n := range names {
		c := classify(n, p1atdev)
		key := strings.ToLower(strings.TrimSpace(n))
		if c.role != roleUnknown && c.role != roleIgnored && key != "" {
			if j, dup := seen[key]; dup {
				return nil, fmt.Errorf("columns %d and %d are both %q", j+1, i+1, n)
			}
			seen[key] = i
		}
		if c.role == roleTag && c.prio > best {
			best = c.prio
		}
		cols[i] = c
	}
	if best == 0 {
		return nil, fmt.Errorf("no tag column (source_tag, tag or title) among %q", names)
	}
	for i := range cols {
		c := &cols[i]
		switch {
		case c.role == roleTag && c.prio < best:
			events.Skipped(record.Skip{Pos: "header", Reason: fmt.Sprintf("column %q ignored (a higher-priority tag column is used)", c.name)})
			c.role = roleIgnored
		case c.role == roleUnknown && strings.TrimSpace(c.name) == "":
			events.Skipped(record.Skip{Pos: "header", Reason: fmt.Sprintf("unnamed column %d ignored", i+1)})
		case c.role == roleUnknown:
			events.Skipped(record.Skip{Pos: "header", Reason: fmt.Sprintf("unknown column %q ignored", c.name)})
		}
	}
	return cols, nil
}

// cellKind is the shape of one input value.
type cellKind uint8

const (
	cellNull    cellKind = iota
	cellText             // a string
	cellNumber           // a number; s is its decimal literal
	cellBool             // s is "true" or "false"
	cellTime             // s is already ISO-8601 text (Parquet timestamps)
	cellList             // list holds the elements' text
	cellOther            // a JSON object or another unusable shape
	cellBadText          // bytes that are not valid UTF-8 (Parquet)
)

// cell is one input value, whatever file it came from.
type cell struct {
	kind cellKind
	s    string
	list []string
}

// display renders the value for a report line.
func (c cell) display() string {
	switch c.kind {
	case cellList:
		return "[" + strings.Join(c.list, ",") + "]"
	case cellOther:
		return "object"
	case cellNull:
		return "null"
	case cellBadText:
		return "invalid UTF-8"
	}
	return c.s
}

// intValue reads an integer cell; why is "" when ok.
func (c cell) intValue() (int64, string) {
	switch c.kind {
	case cellText:
		return parseInt(strings.TrimSpace(c.s))
	case cellNumber:
		n, why := parseInt(c.s)
		if why == "not a number" {
			if f, err := strconv.ParseFloat(c.s, 64); err == nil {
				return parseFloatInt(f)
			}
		}
		return n, why
	}
	return 0, "not a number"
}

// boolValue reads a flag cell: true/false, 1/0, t/f, yes/no, or a number.
func (c cell) boolValue() (bool, bool) {
	switch c.kind {
	case cellBool:
		return c.s == "true", true
	case cellNumber:
		n, why := c.intValue()
		return n != 0, why == ""
	case cellText:
		switch strings.ToLower(strings.TrimSpace(c.s)) {
		case "1", "true", "t", "yes", "y":
			return true, true
		case "0", "false", "f", "no", "n", "":
			return false, true
		}
	}
	return false, false
}

// rowBuilder assembles one record.Row from cells in any column order and
// decides at the end whether the row is emitted.
type rowBuilder struct {
	events    record.Events
	format    int // Options.Format: rows without a valid format_id
	r         *record.Row
	pos       string
	tagPrio   int
	tag       string
	tagBad    bool
	badReason string
	fmtSet    bool
	deleted   bool
	notes     []string
}

func (b *rowBuilder) start(r *record.Row, pos string) {
	b.r, b.pos = r, pos
	b.tagPrio, b.tag, b.tagBad, b.fmtSet, b.deleted = 0, "", false, false, false
	b.notes = b.notes[:0]
}

func (b *rowBuilder) note(format string, a ...any) {
	b.notes = append(b.notes, fmt.Sprintf(format, a...))
}

// set applies one cell of column c.
func (b *rowBuilder) set(c *column, v cell) {
	r := b.r
	switch c.role {
	case roleTag:
		if c.prio <= b.tagPrio {
			return
		}
		b.tagPrio = c.prio
		switch v.kind {
		case cellText, cellNumber:
			b.tag, b.tagBad = strings.TrimSpace(v.s), false
		case cellNull:
			b.tag, b.tagBad = "", false
		case cellBadText:
			b.tag, b.tagBad = "", true
			b.badReason = reasonInvalidUTF8
		default:
			b.tag, b.tagBad = "", true
			b.badReason = reasonTagNotAString
		}
	case roleType:
		if v.kind == cellNull || (v.kind == cellText && strings.TrimSpace(v.s) == "") {
			return
		}
		n, why := v.intValue()
		if why == "" && (n < -1<<31 || n >= 1<<31) {
			why = "out of range"
		}
		if why != "" {
			b.note("type_id is %s: %q", why, v.display())
			return
		}
		r.Type = int(n)
	case roleFormat:
		if v.kind == cellNull || (v.kind == cellText && strings.TrimSpace(v.s) == "") {
			return
		}
		n, why := v.intValue()
		if why == "" && n < 0 {
			why = "negative"
		}
		if why == "" && n >= 1<<31 {
			why = "out of range"
		}
		if why != "" {
			b.note("format_id is %s: %q", why, v.display())
			return
		}
		r.Format, b.fmtSet = int(n), true
	case roleCount:
		if v.kind == cellNull || (v.kind == cellText && strings.TrimSpace(v.s) == "") {
			return
		}
		var n int64
		why := "not a number"
		if v.kind == cellText || v.kind == cellNumber {
			n, why = v.intValue()
		}
		if note := setCount(r, n, why, v.display()); note != "" {
			b.notes = append(b.notes, note)
		}
	case roleAliases:
		switch v.kind {
		case cellText, cellNumber:
			r.Aliases = appendCommaList(r.Aliases, v.s)
		case cellList:
			for _, a := range v.list {
				if a = strings.TrimSpace(a); a != "" {
					r.Aliases = append(r.Aliases, a)
				}
			}
		case cellNull:
		default:
			b.note("%s is not a list of tags: %q", c.name, v.display())
		}
	case roleDeprecated, roleDeleted:
		if v.kind == cellNull {
			return
		}
		flag, ok := v.boolValue()
		if !ok {
			b.note("%s is not a boolean: %q", c.name, v.display())
			return
		}
		if c.role == roleDeleted {
			b.deleted = flag
		} else {
			r.Deprecated = flag
		}
	case roleCreated, roleUpdated:
		var ts string
		switch v.kind {
		case cellTime:
			ts = v.s
		case cellText:
			ts = Timestamp(v.s)
		}
		if c.role == roleCreated {
			r.CreatedAt = ts
		} else {
			r.UpdatedAt = ts
		}
	case roleLang:
		switch v.kind {
		case cellText, cellNumber:
			if strings.TrimSpace(v.s) != "" {
				r.Translations = append(r.Translations, record.Translation{Lang: c.lang, Text: v.s})
			}
		case cellList:
			for _, t := range v.list {
				if strings.TrimSpace(t) != "" {
					r.Translations = append(r.Translations, record.Translation{Lang: c.lang, Text: t})
				}
			}
		case cellNull:
		default:
			b.note("%s is not text: %q", c.name, v.display())
		}
	}
}

// finish completes the row and reports it: false means it was skipped.
func (b *rowBuilder) finish() bool {
	r := b.r
	skip := ""
	switch {
	case b.deleted:
		skip = reasonDeleted
	case b.tagBad:
		skip = b.badReason
	case b.tag == "":
		skip = reasonEmptyTag
	}
	if skip == "" {
		r.Pos, r.Tag = b.pos, b.tag
		if !b.fmtSet {
			r.Format = b.format
		}
		if r.Format == record.NoFormat {
			// Translation-only: nothing else of the row has a format to
			// belong to.
			*r = record.Row{Pos: r.Pos, Tag: r.Tag, Format: record.NoFormat, Type: record.UnknownType,
				Aliases: r.Aliases[:0], Translations: r.Translations}
			if len(r.Translations) == 0 {
				skip = reasonNoFormatNoText
			}
		}
	}
	if skip != "" {
		b.events.Skipped(record.Skip{Pos: b.pos, Reason: skip})
		return false
	}
	for _, n := range b.notes {
		b.events.Skipped(record.Skip{Pos: b.pos, Reason: n})
	}
	return true
}
