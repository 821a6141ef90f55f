-- "Approach A" of the design notes: each format records where its rows came
-- from, under which licence, and when. Nullable, so readers that do not know the
-- columns are unaffected.
ALTER TABLE TAG_FORMATS ADD COLUMN source_url TEXT;
ALTER TABLE TAG_FORMATS ADD COLUMN license TEXT;
ALTER TABLE TAG_FORMATS ADD COLUMN last_updated TEXT;
