-- The three TAG_STATUS columns the Python builder added on 2025-12-18. A file
-- created by 0001 already has them; a file published before that date does not.
-- The runner skips an ADD COLUMN whose column already exists, so this file is
-- safe on both (and records where older files differ only in column order).
ALTER TABLE TAG_STATUS ADD COLUMN deprecated BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE TAG_STATUS ADD COLUMN deprecated_at DATETIME NULL;
ALTER TABLE TAG_STATUS ADD COLUMN source_created_at DATETIME NULL;
