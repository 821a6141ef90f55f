-- Indexes for the queries readers actually run (consumer-contract §2) and for
-- `tagdb search` (package search). Each index names the queries it serves; the
-- EXPLAIN QUERY PLAN tests in search/ check that they are used.
--
-- The Python builder's idx_tags_tag and idx_translations_tag_lang duplicate the
-- UNIQUE autoindexes, idx_usage_counts_count (count only) and
-- idx_tag_status_type serve no reader query, and idx_tag_status_format,
-- idx_tags_source_tag and idx_translations_text are BINARY indexes that the
-- readers' NOCASE and lower() comparisons cannot use: they only cost space, so
-- adopted files lose them.
DROP INDEX IF EXISTS idx_tags_tag;
DROP INDEX IF EXISTS idx_translations_tag_lang;
DROP INDEX IF EXISTS idx_usage_counts_count;
DROP INDEX IF EXISTS idx_tag_status_type;
DROP INDEX IF EXISTS idx_tag_status_format;
DROP INDEX IF EXISTS idx_tags_source_tag;
DROP INDEX IF EXISTS idx_translations_text;

-- Exact, case-insensitive lookups (`tag COLLATE NOCASE = ?`: the client's
-- exact search, consumer §2 row 1; search.Lookup/Resolve/ByTranslation) and
-- prefix ranges (search.Prefix).
CREATE INDEX IF NOT EXISTS ix_tags_tag_nocase ON TAGS (tag COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS ix_tags_source_tag_nocase ON TAGS (source_tag COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS ix_translations_translation_nocase ON TAG_TRANSLATIONS (translation COLLATE NOCASE);
-- The client's bulk exact search (consumer §2 row 3: `lower(col) IN (...)`,
-- once per saved image) can only use expression indexes on lower(col).
CREATE INDEX IF NOT EXISTS ix_tags_lower_tag ON TAGS (lower(tag));
CREATE INDEX IF NOT EXISTS ix_tags_lower_source_tag ON TAGS (lower(source_tag));
CREATE INDEX IF NOT EXISTS ix_translations_lower_translation ON TAG_TRANSLATIONS (lower(translation));
-- The languages list (consumer §2 row 8) and the tags translated into a
-- language, in tag order (search.Find's language filter).
CREATE INDEX IF NOT EXISTS ix_translations_language ON TAG_TRANSLATIONS (language, tag_id);
-- Which tags a format has, by type: the client's format restriction and
-- unknown-type listing (§2 rows 4, 11), and search.Find's all-of fallback.
CREATE INDEX IF NOT EXISTS ix_tag_status_format_type_tag ON TAG_STATUS (format_id, type_id, tag_id);
-- Reverse alias lookups, the aliases that point at a tag: the Parquet view's
-- deprecated_tags lists.
CREATE INDEX IF NOT EXISTS idx_tag_status_preferred ON TAG_STATUS (preferred_tag_id);
-- Tags in count order across formats, covering (format_id, tag_id): the walk
-- behind search.Find, Prefix and Substring's ranking ("top 100 tags that are
-- on danbooru and e621"). Replaces an earlier (format_id, count DESC) index,
-- which could not order across several formats.
DROP INDEX IF EXISTS ix_usage_counts_format_count;
CREATE INDEX IF NOT EXISTS ix_usage_counts_count ON TAG_USAGE_COUNTS (count DESC, format_id, tag_id);
-- A tag's counts without touching the table: ranking a candidate set by count
-- (search.Prefix, Find, Substring) and reading a tag's counts (Lookup,
-- Resolve) become index-only. The primary-key index (tag_id, format_id) lacks
-- count, so every count read through it costs a second B-tree search.
CREATE INDEX IF NOT EXISTS ix_usage_counts_tag_format_count ON TAG_USAGE_COUNTS (tag_id, format_id, count);
