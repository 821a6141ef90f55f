-- A free-text note per tag. Nullable, so readers that do not know it are
-- unaffected.
ALTER TABLE TAGS ADD COLUMN note TEXT;
