-- Indexes for the queries readers actually run (consumer-contract §2) and for
-- `tagdb search`. The Python builder's idx_tags_tag and idx_translations_tag_lang
-- duplicate the UNIQUE autoindexes, and idx_usage_counts_count / idx_tag_status_type
-- serve no reader query: they only cost space, so adopted files lose them.
DROP INDEX IF EXISTS idx_tags_tag;
DROP INDEX IF EXISTS idx_translations_tag_lang;
DROP INDEX IF EXISTS idx_usage_counts_count;
DROP INDEX IF EXISTS idx_tag_status_type;
DROP INDEX IF EXISTS idx_tag_status_format;
DROP INDEX IF EXISTS idx_tags_source_tag;
DROP INDEX IF EXISTS idx_translations_text;

-- Exact, case-insensitive lookups (`tag COLLATE NOCASE = ?`) and prefix ranges.
CREATE INDEX IF NOT EXISTS ix_tags_tag_nocase ON TAGS (tag COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS ix_tags_source_tag_nocase ON TAGS (source_tag COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS ix_translations_translation_nocase ON TAG_TRANSLATIONS (translation COLLATE NOCASE);
-- Which tags a format has, by type: format filters, all-of/any-of queries.
CREATE INDEX IF NOT EXISTS ix_tag_status_format_type_tag ON TAG_STATUS (format_id, type_id, tag_id);
-- Reverse alias lookups: the aliases that point at a tag.
CREATE INDEX IF NOT EXISTS idx_tag_status_preferred ON TAG_STATUS (preferred_tag_id);
-- Top tags of a format by count.
CREATE INDEX IF NOT EXISTS ix_usage_counts_format_count ON TAG_USAGE_COUNTS (format_id, count DESC);
