-- A NOT NULL column without a default: fine on an empty table, refused by
-- SQLite on a table that has rows.
ALTER TABLE TAGS
    ADD COLUMN note TEXT NOT NULL;
