-- A valid SQLite file that is neither a tags.sqlite (TAGS, TAG_STATUS, ...)
-- nor a site_tags file (table "tags" with a known column layout).
CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT, score INTEGER);
INSERT INTO posts VALUES (1, 'hello', 3);
CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT, weight REAL);
INSERT INTO tags VALUES (1, '1girl', 0.5);
