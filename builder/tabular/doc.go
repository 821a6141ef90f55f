// Package tabular reads the file-based sources of the build and turns each one
// into a record.Source: tag-complete CSVs (tagcomplete_csv), tag→translation
// CSVs (translation_csv), and headered CSV, JSON and Parquet tables (csv, json,
// parquet) that share one column mapping.
//
// It owns:
//   - the per-line CSV field splitter (RFC 4180 quoting on one physical line, so
//     a bad line can never swallow the rest of the file) and the line reader
//     that skips over-long, NUL-bearing and invalid-UTF-8 lines;
//   - the shared column mapping of docs/merge-rules.md, "Sources and kinds"
//     (source_tag, else tag, else the p1atdev title; type_id, format_id, count,
//     deprecated_tags, deprecated, created_at/updated_at, is_deleted,
//     other_names and language columns) and the conversion of cells to
//     record.Row fields;
//   - Timestamp, the conversion of source timestamps to the ISO-8601 text the
//     output DB stores (also used by builder/tagsdb).
//
// Values are passed raw: tags are trimmed of surrounding whitespace only,
// translations are not split or cleaned, and nothing is normalised; the builder
// does that for every source alike. A comma list is split only where the format
// defines one (the 4th tag-complete field, a deprecated_tags string); a JSON or
// Parquet list is taken element by element, never comma-split
// (docs/python-differences.md, W17).
//
// Unlike the Python adapters, a `tag` column is not run through the
// raw-vs-normalised classifier of the Python builder (docs/python-differences.md,
// "Other deliberate differences"). That heuristic skipped whole sources on
// a guess (a file of single-word tags is classified NORMALIZED) and had to be
// patched with per-file overrides. Here a source is chosen explicitly in the
// manifest, and the builder normalises every tag anyway: normalising an already
// normalised tag gives the same TAGS.tag, so the only effect of an
// already-normalised `tag` column is that TAGS.source_tag holds that spelling.
package tabular
