// Package datadiff compares the data of two tag databases, usually two
// releases of one edition: tags added, removed and renamed; per format, the
// tags whose type, alias target or deprecated flag changed and the usage
// counts that moved; translations added and removed per language; the
// formats' and sources' provenance; the schema version and metadata.
//
// Compare keys every row by tag_id (and format_id, language, translation),
// which builds keep stable across releases, and walks both files at once in
// primary-key order: each table is read once per file as a stream, and only
// counters and bounded top-N lists are kept, so memory does not grow with the
// size of the files. Tag names for the few rows a report lists are looked up
// at the end.
//
// A Report renders as text (terminals), markdown (release notes and step
// summaries: top items only, capped in size) and JSON (everything Compare
// kept, with a stable field order and sorted lists).
package datadiff
