-- Rows for a small "published" base database: one tag, one alias of it, a
-- count, a translation and the version row, all valid.
INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (1, '1girl', '1girl'), (2, 'one_girl', 'one girl');
INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id) VALUES (1, 1, 0, 0, 1), (2, 1, 0, 1, 1);
INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) VALUES (1, 1, 100);
INSERT INTO TAG_TRANSLATIONS (tag_id, language, translation) VALUES (1, 'ja', '女の子');
INSERT INTO DATABASE_METADATA (key, value) VALUES ('version', '2025.01.01.1');
