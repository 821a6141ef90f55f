-- Drop TAGS.source_tag. SQLite refuses to drop a column an index uses, so the
-- two reader indexes on it go first.
DROP INDEX IF EXISTS ix_tags_source_tag_nocase;
DROP INDEX IF EXISTS ix_tags_lower_source_tag;
ALTER TABLE TAGS DROP COLUMN source_tag;
