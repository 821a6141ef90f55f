-- A statement that does not parse, on line 4.
ALTER TABLE TAGS ADD COLUMN note TEXT;

CREATE TABEL oops (x);
