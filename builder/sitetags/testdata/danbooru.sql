-- danbooru.donmai.us / safebooru.donmai.us / booru.allthefallen.moe layout
-- (rule 2), as pandas.to_sql writes it.
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "post_count" INTEGER, "category" INTEGER,
  "created_at" TIMESTAMP, "updated_at" TIMESTAMP, "is_deprecated" INTEGER, "words" TEXT);
CREATE INDEX "ix_tags_index" ON "tags" ("index");
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
INSERT INTO "tags" VALUES
  (0, 470575, '1girl', 6543210, 0, '2013-02-27 15:57:15.063-05:00', '2024-04-11T03:12:00.5-04:00', 0, '["1girl"]'),
  (1, 13197, 'long_hair', 4321098, 0, '2013-02-28T00:00:00Z', '2024-04-11 10:00:00.123456789+0900', 0, '["long","hair"]'),
  (2, 1234, 'hatsune_miku', 123456, 4, '2008-01-01', 'not a date', 0, '["hatsune","miku"]'),
  (3, 99, 'tagme', -3, 5, NULL, NULL, 1, '[]'),
  (4, 100, '  Spiked_Collar  ', 2500, 0, 1700000000, NULL, 0, '[]'),
  (5, 101, NULL, 5, 0, NULL, NULL, 0, NULL),
  (6, 102, 'long_hair_ribbon', 'many', 0, NULL, NULL, 0, '[]'),
  (7, 103, 'very_long_hair', 99999999999999999999, 0, NULL, NULL, 0, '[]'),
  (8, 104, 'cat_ears', 250000, 'x', '2013-13-01 00:00:00', '2013-02-29 00:00:00', 0, '[]'),
  (9, 105, 'kemonomimi', 3, 0, NULL, NULL, 0, '[]'),
  (10, 106, '   ', 1, 0, NULL, NULL, 0, '[]'),
  (11, 107, 'miku', 7, 4, NULL, NULL, 1, '[]');
INSERT INTO "tag_aliases" VALUES
  (0, 'kemonomimi', 'animal_ears'),
  (1, 'miku', 'hatsune_miku'),
  (2, 'hatsune_miku_(vocaloid)', 'hatsune_miku'),
  (3, 'longhair', 'long_hair');
