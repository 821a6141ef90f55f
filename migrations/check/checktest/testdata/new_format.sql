-- Data only: a new format row. The schema does not change.
INSERT OR IGNORE INTO TAG_FORMATS (format_id, format_name, description) VALUES (19, 'example', '');
