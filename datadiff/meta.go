package datadiff

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sort"
)

// provenanceKey is the DATABASE_METADATA entry listing every source whose
// rows are in the file (written by the builder, a JSON list of objects with
// an "id").
const provenanceKey = "build.provenance"

// loadSmallTables reads the tables that are small enough to hold whole: the
// metadata, the formats and the type names.
func (s *side) loadSmallTables(ctx context.Context) error {
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&s.userVer); err != nil {
		return fmt.Errorf("user_version: %w", err)
	}
	s.meta = map[string]string{}
	err := eachRow(ctx, s.db, `SELECT key, value FROM DATABASE_METADATA`, func(r map[string]string) {
		s.meta[r["key"]] = r["value"]
	})
	if err != nil {
		return fmt.Errorf("DATABASE_METADATA: %w", err)
	}
	s.formats = map[int64]map[string]string{}
	// SELECT *: files from older builders lack the provenance columns, and
	// whatever columns a file has are compared.
	err = eachRow(ctx, s.db, `SELECT * FROM TAG_FORMATS`, func(r map[string]string) {
		var id int64
		fmt.Sscan(r["format_id"], &id)
		s.formats[id] = r
	})
	if err != nil {
		return fmt.Errorf("TAG_FORMATS: %w", err)
	}
	s.typeNames = map[[2]int64]string{}
	err = eachRow(ctx, s.db, `SELECT m.format_id, m.type_id, n.type_name FROM TAG_TYPE_FORMAT_MAPPING m
		JOIN TAG_TYPE_NAME n USING (type_name_id)`, func(r map[string]string) {
		var f, t int64
		fmt.Sscan(r["format_id"], &f)
		fmt.Sscan(r["type_id"], &t)
		s.typeNames[[2]int64{f, t}] = r["type_name"]
	})
	if err != nil {
		return fmt.Errorf("type names: %w", err)
	}
	return nil
}

// eachRow runs a query and hands each row over as column name → text (NULL
// is "").
func eachRow(ctx context.Context, db *sql.DB, q string, fn func(map[string]string)) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		m := make(map[string]string, len(cols))
		for i, c := range cols {
			m[c] = vals[i].String
		}
		fn(m)
	}
	return rows.Err()
}

func (s *side) describe() Side {
	return Side{File: filepath.Base(s.path), Version: s.meta["version"], BuiltAt: s.meta["build.timestamp"],
		Licenses: s.meta["build.license"], SchemaVersion: s.userVer, Tags: s.tags, Translations: s.trans}
}

func (s *side) formatName(id int64) string { return s.formats[id]["format_name"] }

// changedFields lists the keys whose values differ between two maps (nil is
// an empty map), sorted, skipping the keys named in skip.
func changedFields(old, cur map[string]string, skip ...string) []FieldChange {
	out := []FieldChange{}
	seen := map[string]bool{}
	for _, k := range skip {
		seen[k] = true
	}
	var keys []string
	for _, m := range []map[string]string{old, cur} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		o, oOK := old[k]
		n, nOK := cur[k]
		if o != n || oOK != nOK {
			out = append(out, FieldChange{Name: k, Old: o, New: n})
		}
	}
	return out
}

// diffSources compares two build.provenance values by source id.
func diffSources(oldJSON, newJSON string) (SourcesDiff, error) {
	d := SourcesDiff{Added: []Source{}, Removed: []Source{}, Updated: []SourceChange{}}
	old, err := parseProvenance(oldJSON)
	if err != nil {
		return d, fmt.Errorf("old %s: %w", provenanceKey, err)
	}
	cur, err := parseProvenance(newJSON)
	if err != nil {
		return d, fmt.Errorf("new %s: %w", provenanceKey, err)
	}
	for _, id := range unionKeys(old, cur) {
		o, n := old[id], cur[id]
		switch {
		case o == nil:
			d.Added = append(d.Added, Source{ID: id, Fields: fieldList(n)})
		case n == nil:
			d.Removed = append(d.Removed, Source{ID: id, Fields: fieldList(o)})
		default:
			if ch := changedFields(o, n); len(ch) > 0 {
				d.Updated = append(d.Updated, SourceChange{ID: id, Changes: ch})
			}
		}
	}
	return d, nil
}

// parseProvenance reads the provenance list generically, so fields later
// builds add (a version, a sha256) are compared without a code change here.
func parseProvenance(s string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	if s == "" {
		return out, nil
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil, err
	}
	for i, e := range list {
		id, _ := e["id"].(string)
		if id == "" {
			return nil, fmt.Errorf("entry %d has no id", i+1)
		}
		m := map[string]string{}
		for k, v := range e {
			if k == "id" {
				continue
			}
			if str, ok := v.(string); ok {
				m[k] = str
			} else {
				b, _ := json.Marshal(v)
				m[k] = string(b)
			}
		}
		out[id] = m
	}
	return out, nil
}

func unionKeys(a, b map[string]map[string]string) []string {
	all := map[string]map[string]string{}
	maps.Copy(all, a)
	maps.Copy(all, b)
	return slices.Sorted(maps.Keys(all))
}

func fieldList(m map[string]string) []Field {
	out := []Field{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, Field{Name: k, Value: m[k]})
	}
	return out
}
