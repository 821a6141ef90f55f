package builder

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tagdb/tagdb-action/normalize"
)

// e621FormatID is the one format whose tags legitimately carry category
// prefixes (docs/merge-rules.md, "Prefix repair"), so prefix repairs leave it
// alone.
const e621FormatID = 2

// typeRepair is one row of type_mapping_repairs.tsv.
type typeRepair struct {
	Format, Type int
	Rows         int64
}

// repairTypeMappings adds a mapping for every (format, type) pair TAG_STATUS
// uses but TAG_TYPE_FORMAT_MAPPING lacks, so the composite foreign key holds.
// Unlike the Python builder (docs/python-differences.md, W12) the pair maps to
// "unknown", never to the type name that happens to share the number: sankaku
// type 5 is not "species".
func repairTypeMappings(ctx context.Context, tx *sql.Tx, m *memState) ([]typeRepair, error) {
	type pair struct{ f, t int }
	used := map[pair]int64{}
	scanRecs(m.src, &m.status, func(_ int, r *statusRec) {
		if r.flags&stWinner != 0 {
			used[pair{int(r.format), int(r.typ)}]++
		}
	})
	rows, err := tx.QueryContext(ctx, `SELECT format_id, type_id FROM main.TAG_TYPE_FORMAT_MAPPING`)
	if err != nil {
		return nil, fmt.Errorf("read type mappings: %w", err)
	}
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.f, &p.t); err != nil {
			rows.Close()
			return nil, err
		}
		delete(used, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []typeRepair
	for p, n := range used {
		out = append(out, typeRepair{Format: p.f, Type: p.t, Rows: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Format != out[j].Format {
			return out[i].Format < out[j].Format
		}
		return out[i].Type < out[j].Type
	})
	for _, r := range out {
		desc := fmt.Sprintf("auto-added (unmapped site type %d)", r.Type)
		if r.Type == -1 {
			desc = "auto-added (source has no type)"
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO main.TAG_TYPE_FORMAT_MAPPING (format_id, type_id, type_name_id, description)
			VALUES (?, ?, 0, ?)`, r.Format, r.Type, desc); err != nil {
			return nil, fmt.Errorf("add type mapping (%d, %d): %w", r.Format, r.Type, err)
		}
	}
	return out, nil
}

// prefixRepair is one row of prefix_repairs.tsv.
type prefixRepair struct {
	Format         int
	TagID          int64
	Tag            string
	OldPreferredID int64
	OldPreferred   string
	NewPreferredID int64
	NewPreferred   string
	NewAlias       int
	Reason         string
}

// repairPrefixes re-points rows whose tag or preferred tag carries a category
// prefix ("copyright:vtuber") to the unprefixed tag, in every format but e621
// (docs/merge-rules.md, "Prefix repair"). The prefix test and the strip agree
// on case (docs/python-differences.md, W13).
//
// The Python builder also renamed orphan prefixed TAGS rows (its P10(c),
// docs/python-differences.md, "The Python builder's repairs"); we do not: a
// rename changes what a published tag_id means, and the next build would see
// the prefixed spelling again and give it a new id. Such a tag's rows are
// listed as "base_tag_not_found" instead.
func repairPrefixes(m *memState) []prefixRepair {
	// The rows to look at: winners outside e621 whose tag or preferred tag
	// has a colon (every category prefix ends in one). Most rows stop at
	// the colon bits, without reading the names.
	type cand struct{ ri, tag, pref uint32 }
	var cands []cand
	scanRecs(m.src, &m.status, func(ri int, r *statusRec) {
		if r.flags&stWinner == 0 || r.format == e621FormatID {
			return
		}
		if m.hasColon(r.tag) || m.hasColon(r.pref) {
			cands = append(cands, cand{uint32(ri), r.tag, r.pref})
		}
	})
	// Their names and ids, read in tag index order, the order the names and
	// entries are stored in. Read row by row, in tag_id order, each was a
	// page fault once the state had spilled: the repairs took 11 s at scale
	// 4 so, and 5 s reading ahead. Copies: the report outlives the state.
	tags := make([]uint32, 0, 2*len(cands))
	for _, c := range cands {
		tags = append(tags, c.tag, c.pref)
	}
	slices.Sort(tags)
	tags = slices.Compact(tags)
	known := make([]knownTag, len(tags))
	for k, i := range tags {
		known[k] = knownTag{name: strings.Clone(m.tags.Str(i)), id: m.ent(i).id}
	}
	of := func(i uint32) knownTag {
		k, _ := slices.BinarySearch(tags, i)
		return known[k]
	}
	var out []prefixRepair
	for _, c := range cands {
		if rp, ok := m.repairPrefix(c.ri, of(c.tag), of(c.pref)); ok {
			out = append(out, rp)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Format != out[j].Format {
			return out[i].Format < out[j].Format
		}
		return out[i].TagID < out[j].TagID
	})
	return out
}

// knownTag is a tag's name and id, read ahead for the prefix repairs.
type knownTag struct {
	name string
	id   uint32
}

// repairPrefix repairs the winning row ri, whose tag or preferred tag has a
// colon, and says whether the report lists it.
func (m *memState) repairPrefix(ri uint32, tag, pref knownTag) (prefixRepair, bool) {
	base, ok := normalize.StripCategoryPrefix(pref.name)
	if !ok {
		base, ok = normalize.StripCategoryPrefix(tag.name)
	}
	if !ok {
		return prefixRepair{}, false
	}
	r := m.status.At(int(ri))
	rp := prefixRepair{Format: int(r.format), TagID: int64(tag.id), Tag: tag.name,
		OldPreferredID: int64(pref.id), OldPreferred: pref.name}
	bi, found := m.tags.Lookup(base)
	if !found || m.ent(bi).flags&tagInTags == 0 {
		rp.Reason, rp.NewPreferredID, rp.NewPreferred = "base_tag_not_found", rp.OldPreferredID, rp.OldPreferred
		rp.NewAlias = boolInt(rp.OldPreferredID != rp.TagID)
		return rp, true
	}
	rp.NewPreferredID, rp.NewPreferred = int64(m.ent(bi).id), base
	rp.NewAlias = boolInt(rp.NewPreferredID != rp.TagID)
	if rp.NewPreferredID == rp.OldPreferredID {
		return prefixRepair{}, false
	}
	rp.Reason = "prefix_to_base"
	r.pref = bi
	r.flags &^= stAlias
	if rp.NewAlias == 1 {
		r.flags |= stAlias
	}
	markRepaired(r)
	return rp, true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// chainRepair is one row of alias_chains.tsv.
type chainRepair struct {
	Format                int
	TagID                 int64
	OldPreferred, NewPref int64
	Reason                string // "chain" or "cycle"
}

// resolveAliasChains makes every alias point at a canonical tag in its format
// (docs/python-differences.md, W8): when A → B and B → C, A is re-pointed to C.
// A cycle is broken by making its smallest tag_id canonical. Only the rows
// involved are loaded.
func resolveAliasChains(m *memState, g groups, rk ranks) []chainRepair {
	// Rows that point at an alias, with that alias's own target: enough to
	// walk every chain.
	type key struct {
		f  int
		id int64
	}
	next := map[key]int64{}
	heads := map[key]*statusRec{}
	var order []key
	eachAliasOfAlias(m, g, rk, func(a, b *statusRec) {
		k := key{int(a.format), int64(m.ent(a.tag).id)}
		p := int64(m.ent(a.pref).id)
		next[k] = p
		next[key{k.f, p}] = int64(m.ent(b.pref).id)
		heads[k] = a
		order = append(order, k)
	})
	sort.Slice(order, func(i, j int) bool {
		if order[i].f != order[j].f {
			return order[i].f < order[j].f
		}
		return order[i].id < order[j].id
	})
	tagOfID := func(id int64) uint32 {
		i := sort.Search(rk.Len(), func(i int) bool { return int64(m.ent(rk.tags[i]).id) >= id })
		return rk.tags[i]
	}
	// Members of a chain that are not heads (they point straight at a
	// canonical) need no change but must be walked through; cycle members
	// all appear as heads.
	var out []chainRepair
	canonical := map[key]bool{} // cycle members made canonical
	final := map[key]int64{}
	for _, k := range order {
		// Walk to the end of the chain, remembering the path to find cycles.
		seen := map[int64]int{k.id: 0}
		path := []int64{k.id}
		cur := k.id
		for {
			p, isAlias := next[key{k.f, cur}]
			if !isAlias || canonical[key{k.f, cur}] {
				break
			}
			if i, loop := seen[p]; loop {
				cyc := append([]int64(nil), path[i:]...)
				sort.Slice(cyc, func(a, b int) bool { return cyc[a] < cyc[b] })
				canonical[key{k.f, cyc[0]}] = true
				cur = cyc[0]
				break
			}
			seen[p] = len(path)
			path = append(path, p)
			cur = p
		}
		final[k] = cur
	}
	for _, k := range order {
		old := next[k]
		switch {
		case canonical[k]:
			out = append(out, chainRepair{k.f, k.id, old, k.id, "cycle"})
			r := heads[k]
			r.pref = r.tag
			r.flags &^= stAlias
			markRepaired(r)
		case final[k] != old:
			reason := "chain"
			if final[k] == k.id { // the walk ended on ourselves: we were broken out of a cycle above
				continue
			}
			out = append(out, chainRepair{k.f, k.id, old, final[k], reason})
			r := heads[k]
			r.pref = tagOfID(final[k])
			markRepaired(r)
		}
	}
	return out
}

// eachAliasOfAlias calls fn with every winning alias row a whose target's
// winning row b in the same format is an alias too. It is a join of the
// alias rows with their targets' rows: the probes are sorted by the target's
// rank, so the targets are read front to back like everything else the merge
// walks (docs/memory.md, "Walking the spilled state"), and only the few rows
// fn gets are read at random.
func eachAliasOfAlias(m *memState, g groups, rk ranks, fn func(a, b *statusRec)) {
	type probe struct {
		key uint64 // target rank << 8 | format
		rec uint32 // the alias row
	}
	n := 0
	scanRecs(m.src, &m.status, func(_ int, a *statusRec) {
		if a.flags&(stWinner|stAlias) == stWinner|stAlias {
			n++
		}
	})
	probes := makeColdRecs[probe](m.src, n)[:0]
	defer freeRecs(m.src, probes)
	scanRecs(m.src, &m.status, func(ri int, a *statusRec) {
		if a.flags&(stWinner|stAlias) == stWinner|stAlias {
			probes = append(probes, probe{uint64(rk.of[a.pref])<<8 | uint64(a.format), uint32(ri)})
		}
	})
	slices.SortFunc(probes, func(x, y probe) int { return cmp.Compare(x.key, y.key) })
	for _, p := range probes {
		lo, hi := g.of(uint32(p.key >> 8))
		for ri := lo; ri < hi; ri++ {
			b := m.status.At(ri)
			if b.format == uint8(p.key) && b.flags&stWinner != 0 {
				if b.flags&stAlias != 0 {
					fn(m.status.At(int(p.rec)), b)
				}
				break
			}
		}
	}
}

// cleanupTranslations applies the translation rules to rows that came from the
// base, the ones up to baseMax (new rows were cleaned while reading): values holding a list separator
// are split into their parts, then ja/zh/ko values without their script are
// removed, and rows with no language are dropped because readers sort the
// language list and cannot handle NULL (docs/reader-contract.md, "Value rules").
func cleanupTranslations(ctx context.Context, db *sql.Tx, baseMax int64) (split, removed int64, err error) {
	res, err := db.ExecContext(ctx, `DELETE FROM main.TAG_TRANSLATIONS WHERE translation_id <= ? AND (language IS NULL OR translation IS NULL OR trim(translation) = '')`, baseMax)
	if err != nil {
		return 0, 0, fmt.Errorf("drop translations without language: %w", err)
	}
	n, _ := res.RowsAffected()
	removed += n
	type tr struct {
		id, tagID          int64
		lang, text, cr, up string
	}
	var todo []tr
	rows, err := db.QueryContext(ctx, `SELECT translation_id, tag_id, language, translation, coalesce(created_at, ''), coalesce(updated_at, '')
		FROM main.TAG_TRANSLATIONS
		WHERE translation_id <= ? AND (instr(translation, ',') OR instr(translation, '，') OR instr(translation, '、') OR instr(translation, '､') OR instr(translation, '﹐')
		   OR translation != trim(translation)
		   OR language IN ('ja', 'zh', 'ko'))
		ORDER BY translation_id`, baseMax)
	if err != nil {
		return 0, 0, fmt.Errorf("scan translations: %w", err)
	}
	for rows.Next() {
		var t tr
		if err := rows.Scan(&t.id, &t.tagID, &t.lang, &t.text, &t.cr, &t.up); err != nil {
			rows.Close()
			return 0, 0, err
		}
		parts := normalize.SplitTranslation(t.text)
		if len(parts) == 1 && parts[0] == t.text && normalize.HasRequiredScript(t.lang, t.text) {
			continue // the common case: a clean ja/zh/ko row
		}
		todo = append(todo, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	for _, t := range todo {
		if _, err := db.ExecContext(ctx, `DELETE FROM main.TAG_TRANSLATIONS WHERE translation_id = ?`, t.id); err != nil {
			return 0, 0, err
		}
		parts := normalize.SplitTranslation(t.text)
		kept := 0
		for _, p := range parts {
			if !normalize.HasRequiredScript(t.lang, p) {
				continue
			}
			kept++
			if _, err := db.ExecContext(ctx, `INSERT OR IGNORE INTO main.TAG_TRANSLATIONS (tag_id, language, translation, created_at, updated_at)
				VALUES (?, ?, ?, nullif(?, ''), nullif(?, ''))`, t.tagID, t.lang, p, t.cr, t.up); err != nil {
				return 0, 0, err
			}
		}
		if kept == 0 {
			removed++
		} else {
			split++
		}
	}
	return split, removed, nil
}
