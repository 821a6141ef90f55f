// Package tagsdb reads an existing tag database — a genai-tag-db-tools
// tags_v4.db, a file the Python builder published, or an output of ours — as a
// record.Source, so that such a file can seed a build from its data instead of
// being byte-copied as a base (docs/merge-rules.md, "Sources and kinds";
// docs/python-differences.md, W3).
//
// It owns the mapping of the four data tables (TAGS, TAG_STATUS,
// TAG_TRANSLATIONS, TAG_USAGE_COUNTS) to rows: one row per TAG_STATUS row, with
// the tag and alias target as TAGS.tag text (rows are marked Normalized), then
// one translation-only row per TAG_TRANSLATIONS row. tags_v4 has no UNIQUE(tag),
// so ids are resolved to text in SQL and duplicates of one text share the
// source_tag of their smallest tag_id; the work happens in SQLite joins, never
// in Go maps, so memory stays flat however large the file is.
//
// What is not carried over, and reported instead: TAG_STATUS and translation
// rows whose tag id is missing from TAGS or is a legacy placeholder
// (__missing_tag_id_N__, docs/python-differences.md, "The Python builder's
// repairs"), and usage counts with no TAG_STATUS row
// for their (tag, format). A TAGS row that nothing references produces no row
// at all: a tag exists in a format only through a status row.
//
// The input is opened read-only and never written; a file that fails
// PRAGMA quick_check or lacks one of the four tables is an error.
package tagsdb
