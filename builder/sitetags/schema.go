package sitetags

import (
	"fmt"
	"strings"
)

// column is one column of the tags table as the file declares it.
type column struct {
	name string
	decl string // declared type, upper-cased ("INTEGER", "TEXT", "TIMESTAMP", "" for none)
}

// transCol is a translation column and the language code it carries.
type transCol struct {
	col  string
	lang string
}

// layout says which columns of a tags table mean what. Column fields are ""
// when the layout has no such column.
type layout struct {
	rule       int    // 1..11, docs/site-tags.md "Schema detection"
	name       string // the family the rule is named after, for messages
	tag        string
	count      string
	typ        string
	typeText   bool // gelbooru: the type column holds names ("general"), not numbers
	deprecated string
	created    string
	updated    string
	// aliasID: the anime-pictures layout, where tags.alias holds the id of the
	// preferred tag (0 = none) instead of a tag_aliases table.
	aliasID bool
	trans   []transCol
}

// langFunc maps a column name to a language code, as
// normalize.LanguageCode does ("trans_zh-CN" → "zh-cn", "tag_jp" → "ja").
type langFunc func(column string) (string, bool)

// detect applies the 11 rules of docs/site-tags.md, "Schema detection", in
// order; the first that matches wins. The order matters: danbooru-like (2) must
// be tried before e621-like (3), and sankaku (1) before both, because their
// column sets overlap.
func detect(cols []column, lang langFunc) (layout, bool) {
	has := make(map[string]string, len(cols)) // name -> declared type
	for _, c := range cols {
		has[c.name] = c.decl
	}
	all := func(names ...string) bool {
		for _, n := range names {
			if _, ok := has[n]; !ok {
				return false
			}
		}
		return true
	}
	opt := func(name string) string {
		if _, ok := has[name]; ok {
			return name
		}
		return ""
	}
	// transOf keeps the listed columns (or, with prefix, every column starting
	// with it) whose name maps to a language, in table order so that the
	// emitted translations have a stable order.
	transOf := func(prefix string, names ...string) []transCol {
		var out []transCol
		for _, c := range cols {
			match := prefix != "" && strings.HasPrefix(c.name, prefix)
			for _, n := range names {
				match = match || c.name == n
			}
			if !match {
				continue
			}
			if code, ok := lang(c.name); ok && code != "" {
				out = append(out, transCol{col: c.name, lang: code})
			}
		}
		return out
	}
	hasTrans := false
	for _, c := range cols {
		if strings.HasPrefix(c.name, "trans_") {
			hasTrans = true
			break
		}
	}
	switch {
	case all("name", "post_count", "pool_count", "series_count", "type") && hasTrans:
		return layout{rule: 1, name: "sankaku", tag: "name", count: "post_count", typ: "type",
			trans: transOf("trans_")}, true
	case all("name", "post_count", "category", "is_deprecated"):
		return layout{rule: 2, name: "danbooru", tag: "name", count: "post_count", typ: "category",
			deprecated: "is_deprecated", created: opt("created_at"), updated: opt("updated_at")}, true
	case all("name", "post_count", "category"):
		return layout{rule: 3, name: "e621", tag: "name", count: "post_count", typ: "category",
			created: opt("created_at"), updated: opt("updated_at")}, true
	case all("tag", "num", "type", "alias"):
		return layout{rule: 4, name: "anime-pictures", tag: "tag", count: "num", typ: "type", aliasID: true,
			trans: transOf("", "tag_jp", "tag_ru")}, true
	case all("name", "posts", "updated_at", "wiki_url"):
		return layout{rule: 5, name: "pixiv", tag: "name", count: "posts", updated: "updated_at",
			trans: transOf("", "trans_ja")}, true
	case all("name", "posts", "category_id", "category_name"):
		return layout{rule: 6, name: "wallhaven", tag: "name", count: "posts"}, true
	case all("tag", "type", "total"):
		return layout{rule: 7, name: "zerochan", tag: "tag", count: "total"}, true
	case all("name", "count", "type") && has["type"] == "TEXT":
		return layout{rule: 8, name: "gelbooru", tag: "name", count: "count", typ: "type", typeText: true}, true
	case all("name", "count", "type") && (has["type"] == "INTEGER" || has["type"] == "INT"):
		return layout{rule: 9, name: "moebooru", tag: "name", count: "count", typ: "type"}, true
	case all("name", "count", "type"):
		return layout{rule: 10, name: "moebooru (untyped)", tag: "name", count: "count", typ: "type"}, true
	case all("name", "post_count", "tag_type"):
		return layout{rule: 11, name: "lolibooru", tag: "name", count: "post_count", typ: "tag_type"}, true
	}
	return layout{}, false
}

// selectList is the columns the tags query reads, in the order convertRow
// expects: tag, count, type, deprecated, created, updated, then translations.
// Absent columns are "" and are not selected.
func (l *layout) selectList() []string {
	out := []string{l.tag}
	for _, c := range []string{l.count, l.typ, l.deprecated, l.created, l.updated} {
		if c != "" {
			out = append(out, c)
		}
	}
	for _, t := range l.trans {
		out = append(out, t.col)
	}
	return out
}

// unknownSchemaError names the file and every column so that a user can tell
// which layout it was meant to be.
func unknownSchemaError(path string, cols []column) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = fmt.Sprintf("%q", c.name)
		if c.decl != "" {
			names[i] += " " + c.decl
		}
	}
	return fmt.Errorf("%s: unknown site_tags schema: table tags has columns (%s), which match none of the 11 known layouts",
		path, strings.Join(names, ", "))
}
