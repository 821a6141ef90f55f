package search

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tagdb/tagdb-action/normalize"
)

// matchSQL finds every input of a batch in one statement: json_each turns the
// one bound parameter into rows, and each row probes the NOCASE indexes on
// TAGS.tag and TAGS.source_tag. CROSS JOIN keeps json_each outside, so TAGS is
// searched, never scanned.
const matchSQL = `WITH q(i, tag, src) AS (SELECT key, value->>0, value->>1 FROM json_each(?1))
SELECT q.i, 0, t.tag_id, t.tag = q.tag FROM q CROSS JOIN TAGS t ON t.tag = q.tag COLLATE NOCASE
UNION ALL
SELECT q.i, 1, t.tag_id, t.source_tag = q.src FROM q CROSS JOIN TAGS t ON t.source_tag = q.src COLLATE NOCASE`

// loadSQL reads tags by id. It returns three kinds of rows, told apart by the first column: 0 the TAGS row, 1 a
// TAG_STATUS row, 2 a TAG_USAGE_COUNTS row. Reading statuses and counts as two
// plain index ranges and pairing them in Go costs half the B-tree searches of
// a join that also has to find counts without a status row.
const loadSQL = `WITH ids(id) AS MATERIALIZED (SELECT value FROM json_each(?1))
SELECT 0, t.tag_id, t.tag, t.source_tag, NULL, NULL, NULL, NULL, NULL, NULL FROM ids CROSS JOIN TAGS t ON t.tag_id = ids.id
UNION ALL
SELECT 1, s.tag_id, NULL, NULL, s.format_id, s.type_id, s.alias, s.preferred_tag_id, s.deprecated, NULL FROM ids CROSS JOIN TAG_STATUS s ON s.tag_id = ids.id
UNION ALL
SELECT 2, u.tag_id, NULL, NULL, u.format_id, NULL, NULL, NULL, NULL, u.count FROM ids CROSS JOIN TAG_USAGE_COUNTS u ON u.tag_id = ids.id`

// translationsSQL reads the translations of a batch of tags through the
// UNIQUE (tag_id, language, translation) index.
const translationsSQL = `SELECT tag_id, coalesce(language, ''), translation FROM TAG_TRANSLATIONS
WHERE tag_id IN (SELECT value FROM json_each(?1)) AND translation IS NOT NULL
ORDER BY tag_id, language, translation`

// byTranslationSQL finds the tags with a translation equal to ?1 (ignoring
// ASCII case), in language ?2 or, when ?2 is empty, in any language.
const byTranslationSQL = `SELECT DISTINCT tag_id FROM TAG_TRANSLATIONS
WHERE translation = ?1 COLLATE NOCASE AND (?2 = '' OR language = ?2)`

// Lookup finds one tag: the input is normalised as the builder normalises
// TAGS.tag ("Long_Hair" → "long hair", "bow_(weapon)" → `bow \(weapon\)`)
// and matched case-insensitively against TAGS.tag, else against
// TAGS.source_tag. Where the tag is an alias, Lookup follows it to the
// canonical tag. The Match is not Found when nothing matched.
func (d *DB) Lookup(ctx context.Context, tag string) (Match, error) {
	ms, err := d.Resolve(ctx, []string{tag})
	if err != nil {
		return Match{}, err
	}
	return ms[0], nil
}

// Resolve looks up a whole prompt at once, with the semantics of Lookup, in
// three queries whatever the number of tags (four when some are aliases of
// tags not named in the prompt). The result has one Match per input, in
// input order.
func (d *DB) Resolve(ctx context.Context, tags []string) ([]Match, error) {
	out := make([]Match, len(tags))
	pairs := make([][2]string, len(tags))
	for i, raw := range tags {
		out[i] = Match{Query: raw, Normalized: normalize.Tag(raw)}
		pairs[i] = [2]string{out[i].Normalized, normalize.SourceTag(raw)}
	}
	if len(tags) == 0 {
		return out, nil
	}
	q, err := json.Marshal(pairs)
	if err != nil {
		return nil, err
	}
	// best[i] is the preferred candidate for input i: a TAGS.tag match over
	// a source_tag match, an exact-case match over a NOCASE one (kaomoji keep
	// their case, so "XD" and "xd" are two tags), then the lower id.
	type cand struct {
		kind  int
		exact bool
		id    int64
	}
	best := make([]*cand, len(tags))
	err = stmtEach(ctx, d.match, []any{string(q)}, func(r *sql.Rows) error {
		var i int
		var c cand
		if err := r.Scan(&i, &c.kind, &c.id, &c.exact); err != nil {
			return err
		}
		if out[i].Normalized == "" {
			return nil
		}
		if b := best[i]; b == nil || c.kind < b.kind || (c.kind == b.kind && (c.exact && !b.exact || c.exact == b.exact && c.id < b.id)) {
			best[i] = &c
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	ids := make([]int64, 0, len(tags))
	for _, b := range best {
		if b != nil {
			ids = append(ids, b.id)
		}
	}
	tagsByID, err := d.loadTags(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	for i, b := range best {
		if b == nil {
			continue
		}
		out[i].By = ByTag
		if b.kind == 1 {
			out[i].By = BySourceTag
		}
		d.follow(&out[i], tagsByID, b.id)
	}
	if err := d.addTranslations(ctx, matchedTags(out)); err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	return out, nil
}

// ByTranslation finds the tags that have text as a translation, ignoring
// ASCII case, in language lang ("ja", "zh-cn") or, when lang is "", in any
// language. Aliases are followed as in Lookup; the result holds each
// canonical tag once, by count (highest first).
func (d *DB) ByTranslation(ctx context.Context, text, lang string) ([]Match, error) {
	text = strings.TrimSpace(text)
	var ids []int64
	err := d.query(ctx, byTranslationSQL, []any{text, strings.ToLower(strings.TrimSpace(lang))}, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		ids = append(ids, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("translation %q: %w", text, err)
	}
	tagsByID, err := d.loadTags(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("translation %q: %w", text, err)
	}
	var out []Match
	seen := map[int64]bool{}
	for _, id := range ids {
		m := Match{Query: text, Normalized: text, By: ByTranslation}
		d.follow(&m, tagsByID, id)
		if m.Tag == nil || seen[m.Tag.ID] {
			continue
		}
		seen[m.Tag.ID] = true
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Tag, out[j].Tag
		return a.Count > b.Count || a.Count == b.Count && a.ID < b.ID
	})
	if err := d.addTranslations(ctx, matchedTags(out)); err != nil {
		return nil, fmt.Errorf("translation %q: %w", text, err)
	}
	return out, nil
}

// follow fills m for the matched tag id: the tag itself, or, when it is an
// alias somewhere, the canonical tag its alias rows point at. Should the rows
// disagree (an alias of A on one site and of B on another), the target named
// by the most formats wins, then the one of the lowest format id.
func (d *DB) follow(m *Match, tags map[int64]*Tag, id int64) {
	t := tags[id]
	if t == nil {
		return // cannot happen: matched ids come from TAGS
	}
	votes := map[int64]int{}
	var target int64
	for _, s := range t.Formats {
		if !s.Alias || tags[s.PreferredID] == nil {
			continue
		}
		votes[s.PreferredID]++
		if target == 0 || votes[s.PreferredID] > votes[target] {
			target = s.PreferredID
		}
	}
	if target == 0 {
		m.Tag = clone(t)
		return
	}
	m.Tag, m.Input = clone(tags[target]), clone(t)
	for _, s := range t.Formats {
		if s.Alias && s.PreferredID == target {
			m.AliasIn = append(m.AliasIn, s.Format)
		}
	}
}

// clone copies a loaded tag so that two matches of one tag (a prompt naming
// it twice) do not share slices that addTranslations appends to.
func clone(t *Tag) *Tag {
	c := *t
	c.Formats = append([]Status(nil), t.Formats...)
	return &c
}

func matchedTags(ms []Match) []*Tag {
	out := make([]*Tag, 0, len(ms))
	for _, m := range ms {
		if m.Tag != nil {
			out = append(out, m.Tag)
		}
	}
	return out
}

// loadTags reads the tags with the given ids and the canonical tags their
// alias rows point at, with statuses and counts but no translations. Count is
// the highest count over all formats. It runs one query, and a second one
// only when some of the tags are aliases of tags not yet read.
func (d *DB) loadTags(ctx context.Context, ids []int64) (map[int64]*Tag, error) {
	out := map[int64]*Tag{}
	if err := d.loadInto(ctx, out, ids); err != nil {
		return nil, err
	}
	var targets []int64
	for _, t := range out {
		for _, s := range t.Formats {
			if s.Alias && out[s.PreferredID] == nil && !slices.Contains(targets, s.PreferredID) {
				targets = append(targets, s.PreferredID)
			}
		}
	}
	if err := d.loadInto(ctx, out, targets); err != nil {
		return nil, err
	}
	for id, t := range out {
		if t.Tag == "" && t.SourceTag == "" {
			delete(out, id) // a preferred_tag_id that is not in TAGS
			continue
		}
		sort.Slice(t.Formats, func(i, j int) bool { return t.Formats[i].FormatID < t.Formats[j].FormatID })
	}
	return out, nil
}

// loadInto runs loadSQL for the ids not yet in out and adds the tags.
func (d *DB) loadInto(ctx context.Context, out map[int64]*Tag, ids []int64) error {
	todo := make([]int64, 0, len(ids))
	queued := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if out[id] == nil && !queued[id] {
			queued[id] = true
			todo = append(todo, id)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	type key struct {
		id     int64
		format int
	}
	status := map[key]int{} // index in out[id].Formats
	get := func(id int64) *Tag {
		t := out[id]
		if t == nil {
			t = &Tag{ID: id, Formats: []Status{}, Translations: []Translation{}}
			out[id] = t
		}
		return t
	}
	var counts []struct {
		k key
		n int64
	}
	err := stmtEach(ctx, d.load, []any{idList(todo)}, func(r *sql.Rows) error {
		var (
			kind, id                           int64
			tag, src                           sql.NullString
			format, typ, alias, pref, dep, cnt sql.NullInt64
		)
		if err := r.Scan(&kind, &id, &tag, &src, &format, &typ, &alias, &pref, &dep, &cnt); err != nil {
			return err
		}
		t := get(id)
		switch kind {
		case 0:
			t.Tag, t.SourceTag = tag.String, src.String
		case 1:
			f := int(format.Int64)
			status[key{id, f}] = len(t.Formats)
			t.Formats = append(t.Formats, Status{
				FormatID:    f,
				Format:      d.formatName[f],
				HasStatus:   true,
				TypeID:      int(typ.Int64),
				Type:        d.typeName[[2]int{f, int(typ.Int64)}],
				Alias:       alias.Int64 != 0,
				PreferredID: pref.Int64,
				Deprecated:  dep.Int64 != 0,
			})
		case 2:
			// Statuses and counts arrive in either order: pair them after.
			counts = append(counts, struct {
				k key
				n int64
			}{key{id, int(format.Int64)}, cnt.Int64})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range counts {
		t := out[c.k.id]
		i, ok := status[c.k]
		if !ok {
			i = len(t.Formats)
			t.Formats = append(t.Formats, Status{FormatID: c.k.format, Format: d.formatName[c.k.format], PreferredID: c.k.id})
		}
		t.Formats[i].Count, t.Formats[i].HasCount = c.n, true
		t.Count = max(t.Count, c.n)
	}
	return nil
}

// addTranslations fills Translations of the given tags in one query.
func (d *DB) addTranslations(ctx context.Context, tags []*Tag) error {
	if len(tags) == 0 {
		return nil
	}
	byID := make(map[int64][]*Tag, len(tags))
	ids := make([]int64, 0, len(tags))
	for _, t := range tags {
		if byID[t.ID] == nil {
			ids = append(ids, t.ID)
		}
		byID[t.ID] = append(byID[t.ID], t)
	}
	return stmtEach(ctx, d.translations, []any{idList(ids)}, func(r *sql.Rows) error {
		var id int64
		var tr Translation
		if err := r.Scan(&id, &tr.Language, &tr.Text); err != nil {
			return err
		}
		for _, t := range byID[id] {
			t.Translations = append(t.Translations, tr)
		}
		return nil
	})
}

// idList encodes ids as a JSON array for json_each.
func idList(ids []int64) string {
	b := make([]byte, 0, 2+len(ids)*8)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
