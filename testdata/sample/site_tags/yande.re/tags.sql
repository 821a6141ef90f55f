-- Sample of deepghs/site_tags yande.re (layout rule 9, moebooru): types
-- 0 general, 1 artist, 3 copyright, 4 character, 5 meta/circle, 6 meta;
-- counts can be negative (the real minimum is -10).
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "count" INTEGER, "type" INTEGER, "ambiguous" INTEGER);
CREATE INDEX "ix_tags_index" ON "tags" ("index");
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
CREATE INDEX "ix_tag_aliases_index" ON "tag_aliases" ("index");
INSERT INTO "tags" VALUES
  (0, 1, 'long_hair', 190221, 0, 0),
  (1, 2, 'breasts', 160331, 0, 0),
  (2, 3, 'thighhighs', 90112, 0, 0),
  (3, 4, 'animal_ears', 70221, 0, 0),
  (4, 5, 'nekomimi', 30112, 0, 0),
  (5, 6, 'seifuku', 40221, 0, 0),
  (6, 7, 'dress', 50112, 0, 0),
  (7, 8, 'cleavage', 60331, 0, 0),
  (8, 9, 'swimsuits', 30221, 0, 0),
  (9, 10, 'pantyhose', 25112, 0, 0),
  (10, 11, 'megane', 20331, 0, 0),
  (11, 12, 'touhou', 40112, 3, 0),
  (12, 13, 'vocaloid', 8221, 3, 0),
  (13, 14, 'hatsune_miku', 6112, 4, 0),
  (14, 15, 'hakurei_reimu', 4331, 4, 0),
  (15, 16, 'ke-ta', 1221, 1, 0),
  (16, 17, 'fixme', 8, 6, 0),
  (17, 18, 'tagme', -10, 6, 0),
  (18, 19, 'duplicate', -2, 6, 0),
  (19, 20, 'kyoto_animation', 900, 5, 0),
  (20, 21, 'wallpaper', 12331, 6, 0);
INSERT INTO "tag_aliases" VALUES
  (0, 'cat_ears', 'nekomimi'),
  (1, 'school_uniform', 'seifuku'),
  (2, 'glasses', 'megane'),
  (3, 'swimsuit', 'swimsuits'),
  (4, 'miku_hatsune', 'hatsune_miku');
