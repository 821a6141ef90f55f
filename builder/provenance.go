package builder

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/tagdb/tagdb-action/migrations"
)

// Provenance is one source whose rows are in the file, this build's or an
// earlier one's: the dataset card's attribution list is built from these, so a
// CC-BY source stays credited in every later release built on this one.
type Provenance struct {
	ID      string `json:"id"`
	Kind    string `json:"kind,omitempty"`
	License string `json:"license"`
	URL     string `json:"url,omitempty"`
	Note    string `json:"note,omitempty"`
	// Rows is how many rows the source's files gave the build that wrote
	// this entry: what the next build's shrink check compares (max-shrink).
	Rows int64 `json:"rows,omitempty"`
}

// contributing reports whether a unit put rows into this edition.
func (u *unit) contributing() bool {
	return !u.keysOnly && (u.stats.rowsStaged > 0 || u.stats.translations > 0)
}

// writeProvenance records the build in DATABASE_METADATA and TAG_FORMATS.
// It reads the stage, so it runs before the stage is detached.
func writeProvenance(ctx context.Context, db *sql.DB, o Options, plan *Plan, units []*unit) error {
	meta := func(key string) string {
		var v string
		db.QueryRowContext(ctx, `SELECT value FROM main.DATABASE_METADATA WHERE key = ?`, key).Scan(&v)
		return v
	}
	prov := map[string]Provenance{}
	if old := meta("build.provenance"); old != "" {
		var list []Provenance
		if err := json.Unmarshal([]byte(old), &list); err == nil {
			for _, p := range list {
				prov[p.ID] = p
			}
		}
	}
	ids := map[string]bool{}
	for _, id := range strings.Split(meta("build.base_sources"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids[id] = true
		}
	}
	rows := sourceRows(units)
	formatLic := map[int]map[string]bool{}
	formatURL := map[int]map[string]bool{}
	for _, u := range units {
		if !u.contributing() {
			continue
		}
		ids[u.spec.ID] = true
		prov[u.spec.ID] = Provenance{ID: u.spec.ID, Kind: u.spec.Kind, License: u.spec.License, URL: u.spec.URL, Rows: rows[u.spec.ID]}
		for f := 0; f < len(u.stats.formats)*64; f++ {
			if u.stats.formats[f/64]&(1<<(f%64)) == 0 {
				continue
			}
			if formatLic[f] == nil {
				formatLic[f], formatURL[f] = map[string]bool{}, map[string]bool{}
			}
			formatLic[f][u.spec.License] = true
			if u.spec.URL != "" {
				formatURL[f][u.spec.URL] = true
			}
		}
	}
	if o.Base != "" && meta("build.provenance") == "" {
		// A base from the Python builder records no sources. Say so on the card
		// rather than pretend the file holds only this build's data.
		prov["base"] = Provenance{ID: "base", Kind: KindTagsDB, License: "", Note: "rows inherited from a base database that recorded no provenance"}
	}
	provList := make([]Provenance, 0, len(prov))
	for _, p := range prov {
		provList = append(provList, p)
	}
	sort.Slice(provList, func(i, j int) bool { return provList[i].ID < provList[j].ID })
	provJSON, err := json.Marshal(provList)
	if err != nil {
		return err
	}
	idList := make([]string, 0, len(ids))
	for id := range ids {
		idList = append(idList, id)
	}
	sort.Strings(idList)
	ts := o.BuildTime.Format("2006-01-02T15:04:05Z")
	for _, kv := range [][2]string{
		{"version", o.Version},
		{"build.license", strings.Join(plan.Licenses, ", ")},
		{"build.profile", plan.Profile},
		{"build.timestamp", ts},
		{"build.base_sources", strings.Join(idList, ",")},
		{"build.provenance", string(provJSON)},
		{"build.tagdb_version", o.ProgramVersion},
		{"build.schema_version", strconv.Itoa(migrations.LatestVersion())},
	} {
		if _, err := db.ExecContext(ctx, `INSERT INTO main.DATABASE_METADATA (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, kv[0], kv[1]); err != nil {
			return fmt.Errorf("metadata %s: %w", kv[0], err)
		}
	}
	formats := make([]int, 0, len(formatLic))
	for f := range formatLic {
		formats = append(formats, f)
	}
	sort.Ints(formats)
	for _, f := range formats {
		var oldLic, oldURL sql.NullString
		db.QueryRowContext(ctx, `SELECT license, source_url FROM main.TAG_FORMATS WHERE format_id = ?`, f).Scan(&oldLic, &oldURL)
		for _, l := range splitList(oldLic.String, ",") {
			formatLic[f][l] = true
		}
		for _, u := range splitList(oldURL.String, " ") {
			formatURL[f][u] = true
		}
		if _, err := db.ExecContext(ctx, `UPDATE main.TAG_FORMATS SET license = ?, source_url = nullif(?, ''), last_updated = ? WHERE format_id = ?`,
			strings.Join(sortedKeys(formatLic[f]), ", "), strings.Join(sortedKeys(formatURL[f]), " "), ts, f); err != nil {
			return fmt.Errorf("format provenance: %w", err)
		}
	}
	return nil
}

func splitList(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
