package builder

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/tagdb/tagdb-action/builder/normalize"
)

// e621FormatID is the one format whose tags legitimately carry category
// prefixes (spec §5.7), so prefix repairs leave it alone.
const e621FormatID = 2

// typeRepair is one row of type_mapping_repairs.tsv.
type typeRepair struct {
	Format, Type int
	Rows         int64
}

// repairTypeMappings adds a mapping for every (format, type) pair TAG_STATUS
// uses but TAG_TYPE_FORMAT_MAPPING lacks, so the composite foreign key holds.
// Unlike the Python builder (W12) the pair maps to "unknown", never to the
// type name that happens to share the number: sankaku type 5 is not "species".
func repairTypeMappings(ctx context.Context, db *sql.DB) ([]typeRepair, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT s.format_id, s.type_id, count(*) FROM main.TAG_STATUS s
		WHERE NOT EXISTS (SELECT 1 FROM main.TAG_TYPE_FORMAT_MAPPING m WHERE m.format_id = s.format_id AND m.type_id = s.type_id)
		GROUP BY s.format_id, s.type_id ORDER BY s.format_id, s.type_id`)
	if err != nil {
		return nil, fmt.Errorf("find unmapped types: %w", err)
	}
	var out []typeRepair
	for rows.Next() {
		var r typeRepair
		if err := rows.Scan(&r.Format, &r.Type, &r.Rows); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range out {
		desc := fmt.Sprintf("auto-added (unmapped site type %d)", r.Type)
		if r.Type == -1 {
			desc = "auto-added (source has no type)"
		}
		if _, err := db.ExecContext(ctx, `INSERT OR IGNORE INTO main.TAG_TYPE_FORMAT_MAPPING (format_id, type_id, type_name_id, description)
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
// (spec §5.7 P10(b)). The prefix test and the strip agree on case (W13).
//
// P10(c) of the Python builder renamed orphan prefixed TAGS rows; we do not:
// a rename changes what a published tag_id means, and the next build would see
// the prefixed spelling again and give it a new id. Such tags are reported as
// "orphan_prefixed_kept" instead.
func repairPrefixes(ctx context.Context, db *sql.DB) ([]prefixRepair, error) {
	var likes []string
	for _, p := range normalize.CategoryPrefixes() {
		likes = append(likes, p+"%")
	}
	cond := func(col string) string {
		parts := make([]string, len(likes))
		for i, l := range likes {
			parts[i] = col + " LIKE '" + strings.ReplaceAll(l, "'", "''") + "'"
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	}
	q := `SELECT s.format_id, s.tag_id, t.tag, s.preferred_tag_id, p.tag
		FROM main.TAG_STATUS s JOIN main.TAGS t ON t.tag_id = s.tag_id JOIN main.TAGS p ON p.tag_id = s.preferred_tag_id
		WHERE s.format_id != ? AND (` + cond("t.tag") + ` OR ` + cond("p.tag") + `)
		ORDER BY s.format_id, s.tag_id`
	rows, err := db.QueryContext(ctx, q, e621FormatID)
	if err != nil {
		return nil, fmt.Errorf("find prefixed tags: %w", err)
	}
	var cands []prefixRepair
	for rows.Next() {
		var r prefixRepair
		if err := rows.Scan(&r.Format, &r.TagID, &r.Tag, &r.OldPreferredID, &r.OldPreferred); err != nil {
			rows.Close()
			return nil, err
		}
		cands = append(cands, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []prefixRepair
	for _, r := range cands {
		base, ok := normalize.StripCategoryPrefix(r.OldPreferred)
		if !ok {
			base, ok = normalize.StripCategoryPrefix(r.Tag)
		}
		if !ok {
			continue
		}
		var baseID int64
		err := db.QueryRowContext(ctx, `SELECT tag_id FROM main.TAGS WHERE tag = ?`, base).Scan(&baseID)
		if err == sql.ErrNoRows {
			r.Reason, r.NewPreferredID, r.NewPreferred, r.NewAlias = "base_tag_not_found", r.OldPreferredID, r.OldPreferred, boolInt(r.OldPreferredID != r.TagID)
			out = append(out, r)
			continue
		}
		if err != nil {
			return nil, err
		}
		r.NewPreferredID, r.NewPreferred = baseID, base
		r.NewAlias = boolInt(baseID != r.TagID)
		if r.NewPreferredID == r.OldPreferredID {
			continue
		}
		r.Reason = "prefix_to_base"
		if _, err := db.ExecContext(ctx, `UPDATE main.TAG_STATUS SET alias = ?, preferred_tag_id = ? WHERE tag_id = ? AND format_id = ?`,
			r.NewAlias, r.NewPreferredID, r.TagID, r.Format); err != nil {
			return nil, fmt.Errorf("repair prefix of tag %d: %w", r.TagID, err)
		}
		out = append(out, r)
	}
	return out, nil
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
// (W8): when A → B and B → C, A is re-pointed to C. A cycle is broken by making
// its smallest tag_id canonical. Only the rows involved are loaded.
func resolveAliasChains(ctx context.Context, db *sql.DB) ([]chainRepair, error) {
	// Rows that point at an alias, with that alias's own target: enough to
	// walk every chain, and found through the primary key alone.
	rows, err := db.QueryContext(ctx, `
		SELECT a.format_id, a.tag_id, a.preferred_tag_id, b.preferred_tag_id FROM main.TAG_STATUS a
		JOIN main.TAG_STATUS b ON b.tag_id = a.preferred_tag_id AND b.format_id = a.format_id
		WHERE a.alias = 1 AND b.alias = 1
		ORDER BY a.format_id, a.tag_id`)
	if err != nil {
		return nil, fmt.Errorf("find alias chains: %w", err)
	}
	type key struct {
		f  int
		id int64
	}
	next := map[key]int64{}
	var order []key
	for rows.Next() {
		var k key
		var p, pp int64
		if err := rows.Scan(&k.f, &k.id, &p, &pp); err != nil {
			rows.Close()
			return nil, err
		}
		next[k] = p
		next[key{k.f, p}] = pp
		order = append(order, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
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
			if _, err := db.ExecContext(ctx, `UPDATE main.TAG_STATUS SET alias = 0, preferred_tag_id = tag_id WHERE tag_id = ? AND format_id = ?`, k.id, k.f); err != nil {
				return nil, err
			}
		case final[k] != old:
			reason := "chain"
			if final[k] == k.id { // the walk ended on ourselves: we were broken out of a cycle above
				continue
			}
			out = append(out, chainRepair{k.f, k.id, old, final[k], reason})
			if _, err := db.ExecContext(ctx, `UPDATE main.TAG_STATUS SET preferred_tag_id = ? WHERE tag_id = ? AND format_id = ?`, final[k], k.id, k.f); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// cleanupTranslations applies the translation rules to rows that came from the
// base (new rows were cleaned while staging): values holding a list separator
// are split into their parts, then ja/zh/ko values without their script are
// removed, and rows with no language are dropped because readers sort the
// language list and cannot handle NULL (consumer-contract §1.5.3).
func cleanupTranslations(ctx context.Context, db *sql.DB) (split, removed int64, err error) {
	res, err := db.ExecContext(ctx, `DELETE FROM main.TAG_TRANSLATIONS WHERE language IS NULL OR translation IS NULL OR trim(translation) = ''`)
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
		WHERE instr(translation, ',') OR instr(translation, '，') OR instr(translation, '、') OR instr(translation, '､') OR instr(translation, '﹐')
		   OR translation != trim(translation)
		   OR language IN ('ja', 'zh', 'ko')
		ORDER BY translation_id`)
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
