-- Sample of deepghs/site_tags gelbooru.com (layout rule 8): type is TEXT;
-- aliases to bad_tag are sinks.
CREATE TABLE "tags" ("index" INTEGER, "name" TEXT, "count" INTEGER, "type" TEXT, "is_ambiguous" INTEGER);
CREATE INDEX "ix_tags_index" ON "tags" ("index");
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
CREATE INDEX "ix_tag_aliases_index" ON "tag_aliases" ("index");
INSERT INTO "tags" VALUES
  (0, '1girl', 7301223, 'general', 0),
  (1, 'solo', 5901331, 'general', 0),
  (2, 'long_hair', 5102331, 'general', 0),
  (3, 'breasts', 4301223, 'general', 0),
  (4, 'looking_at_viewer', 4011202, 'general', 0),
  (5, 'blush', 3602331, 'general', 0),
  (6, 'smile', 3501221, 'general', 0),
  (7, 'open_mouth', 2602331, 'general', 0),
  (8, 'short_hair', 2701223, 'general', 0),
  (9, 'blue_eyes', 2001221, 'general', 0),
  (10, 'blonde_hair', 1701331, 'general', 0),
  (11, 'cat_ears', 402331, 'general', 0),
  (12, 'animal_ears', 1101223, 'general', 0),
  (13, 'thighhighs', 1402331, 'general', 0),
  (14, 'simple_background', 1802331, 'general', 0),
  (15, 'hatsune_miku', 160221, 'character', 0),
  (16, 'hakurei_reimu', 101223, 'character', 0),
  (17, 'vocaloid', 201331, 'copyright', 0),
  (18, 'touhou', 1002331, 'copyright', 0),
  (19, 'original', 1301223, 'copyright', 0),
  (20, 'ke-ta', 2901, 'artist', 0),
  (21, 'highres', 5901223, 'metadata', 0),
  (22, 'absurdres', 1902331, 'metadata', 0),
  (23, 'tagme', 40221, 'deprecated', 0),
  (24, 'bangs', 1201331, 'deprecated', 0),
  (25, 'nekomimi', 3, 'general', 0),
  (26, 'artist_request', 130221, 'metadata', 0);
INSERT INTO "tag_aliases" VALUES
  (0, 'nekomimi', 'cat_ears'),
  (1, 'hatsune_miku_(vocaloid)', 'hatsune_miku'),
  (2, 'reimu_hakurei', 'hakurei_reimu'),
  (3, 'hi_res', 'highres'),
  (4, 'fixme', 'bad_tag'),
  (5, 'bad_id', 'bad_tag'),
  (6, 'thigh_highs', 'thighhighs');
