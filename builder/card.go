package builder

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// hubLicense is the dataset-card licence id of an edition: the most
// restrictive licence it may contain.
func hubLicense(lics []string) string {
	switch {
	case contains(lics, "CC-BY-4.0"):
		return "cc-by-4.0"
	case contains(lics, "MIT"):
		return "mit"
	case len(lics) == 1 && lics[0] == "CC0-1.0":
		return "cc0-1.0"
	default:
		return "other"
	}
}

// datasetCard renders README.md for the release. Its attribution lists every
// source recorded in the file's provenance, inherited ones included
// (docs/python-differences.md, W7: the Python card listed only this run's
// changes).
func datasetCard(ctx context.Context, o Options, plan *Plan, res *Result) (string, error) {
	db, err := sqlitedb.Open(ctx, res.Out, sqlitedb.ReadOnly)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var provJSON string
	db.QueryRowContext(ctx, `SELECT value FROM DATABASE_METADATA WHERE key = 'build.provenance'`).Scan(&provJSON)
	var prov []Provenance
	if provJSON != "" {
		if err := json.Unmarshal([]byte(provJSON), &prov); err != nil {
			return "", fmt.Errorf("read provenance: %w", err)
		}
	}
	st := res.Stats
	var b strings.Builder
	langs := []string{"en"}
	for _, l := range st.Languages {
		code := strings.SplitN(l.Language, "-", 2)[0]
		if !contains(langs, code) {
			langs = append(langs, code)
		}
	}
	fmt.Fprintf(&b, "---\nlicense: %s\nlanguage:\n", hubLicense(plan.Licenses))
	for _, l := range langs {
		fmt.Fprintf(&b, "  - %s\n", l)
	}
	b.WriteString("tags:\n  - tag-database\n  - image-generation\n  - stable-diffusion\n  - booru\n  - danbooru\n  - e621\n")
	fmt.Fprintf(&b, "pretty_name: Unified image-generation tag database (%s)\n---\n\n", plan.Profile)

	name := filepath.Base(res.Out)
	fmt.Fprintf(&b, "# Unified image-generation tag database — %s edition, %s\n\n", plan.Profile, o.Version)
	b.WriteString("One SQLite file that merges booru tag lists with aliases, usage counts and translations, in the\n")
	b.WriteString("tags_v4-compatible schema read by genai-tag-db-tools. The file uses `journal_mode=DELETE`, so it opens\n")
	b.WriteString("read-only without creating `-wal`/`-shm` files. `tag_id`s are stable across the cc0, mit and cc4 editions\n")
	b.WriteString("of a release and across releases.\n\n")
	fmt.Fprintf(&b, "## Files\n\n| file | what it is |\n|---|---|\n")
	fmt.Fprintf(&b, "| `%s` (compressed as published) | the database, sha256 `%s`, %d bytes uncompressed |\n", name, res.SHA256, res.Size)
	b.WriteString("| `SHA256SUMS` | checksums of every published file (`sha256sum -c SHA256SUMS`) |\n")
	b.WriteString("| `build_manifest.json` | inputs with their sha256, statistics, validation result, the build fingerprint |\n")
	b.WriteString("| `source_effects.tsv`, `skipped_rows.tsv`, ... | what each source did, and every row that was skipped and why |\n\n")

	fmt.Fprintf(&b, "## Contents\n\n%d tags, %d tag/format statuses, %d usage counts, %d translations.\n\n", st.Tags, st.Statuses, st.UsageCounts, st.Translations)
	if len(st.Formats) > 0 {
		b.WriteString("| format | tags | canonical | aliases | deprecated | with usage count |\n|---|---:|---:|---:|---:|---:|\n")
		for _, f := range st.Formats {
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d |\n", f.Name, f.Tags, f.Canonical, f.Aliases, f.Deprecated, f.WithCount)
		}
		b.WriteString("\n")
	}
	if len(st.Languages) > 0 {
		b.WriteString("| language | translations | tags |\n|---|---:|---:|\n")
		for _, l := range st.Languages {
			fmt.Fprintf(&b, "| %s | %d | %d |\n", l.Language, l.Translations, l.Tags)
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## Licence and attribution\n\nThis edition contains only data under: %s.\n", strings.Join(plan.Licenses, ", "))
	b.WriteString("Every source whose rows are in this file, including rows inherited from earlier releases:\n\n")
	if len(prov) == 0 {
		b.WriteString("- (none recorded)\n")
	}
	for _, p := range prov {
		lic := p.License
		if lic == "" {
			lic = "licence not recorded"
		}
		line := fmt.Sprintf("- **%s** (%s)", p.ID, lic)
		if p.URL != "" {
			line += " " + p.URL
		}
		if p.Kind != "" {
			line += fmt.Sprintf(" — `%s`", p.Kind)
		}
		if p.Note != "" {
			line += " — " + p.Note
		}
		b.WriteString(line + "\n")
	}
	for _, p := range prov {
		if strings.HasPrefix(p.License, "CC-BY") {
			b.WriteString("\nData from the CC-BY sources above is used under the Creative Commons Attribution licence;\n")
			b.WriteString("redistributions must keep this attribution list.\n")
			break
		}
	}

	b.WriteString("\n## Build\n\n")
	fmt.Fprintf(&b, "- version: `%s`, built %s by tagdb %s (schema version %d)\n", o.Version, o.BuildTime.Format("2006-01-02T15:04:05Z"), o.ProgramVersion, schemaVersion())
	fmt.Fprintf(&b, "- fingerprint: `%s`\n", res.Manifest.Fingerprint)
	if res.Manifest.BuildInfo.Base != nil {
		fmt.Fprintf(&b, "- built on base `%s` (sha256 `%s`)\n", res.Manifest.BuildInfo.Base.Path, res.Manifest.BuildInfo.Base.SHA256)
	}
	health := "passed"
	if !res.Manifest.Health.OK {
		health = "FAILED"
	}
	fmt.Fprintf(&b, "- validation: %s\n", health)
	b.WriteString("\n## Query it\n\n```sh\nsqlite3 -readonly " + name + " \\\n")
	b.WriteString("  \"SELECT t.tag, u.count FROM TAGS t JOIN TAG_USAGE_COUNTS u USING (tag_id) WHERE u.format_id = 1 ORDER BY u.count DESC LIMIT 10\"\n")
	b.WriteString("tagdb search --db " + name + " \"1girl, long hair\"\n```\n")
	return b.String(), nil
}
