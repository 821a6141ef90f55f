-- Autocomplete's answers for the prefixes many tags share (search.Prefix;
-- docs/reader-contract.md, "TAG_PREFIX_TOP"). For each such prefix (whole
-- characters of a tag, ASCII letters lower-cased as NOCASE compares them) the
-- builder stores its top tags: those with a non-alias status row, by highest
-- usage count over all formats, then tag id; rank 1 is the first. Answering
-- "lo" from TAGS ranks every tag starting with it; reading this table reads
-- twenty rows. A prefix without rows is answered from TAGS, so the table is
-- optional for readers: empty (a file migrated but not rebuilt) means slower,
-- never wrong. A writer that changes TAGS, TAG_STATUS or TAG_USAGE_COUNTS
-- must rebuild it or empty it. Additive: a new table no reader needs.
CREATE TABLE IF NOT EXISTS TAG_PREFIX_TOP (
    prefix TEXT NOT NULL,
    rank INTEGER NOT NULL,
    tag_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (prefix, rank),
    FOREIGN KEY (tag_id) REFERENCES TAGS (tag_id)
) WITHOUT ROWID;
