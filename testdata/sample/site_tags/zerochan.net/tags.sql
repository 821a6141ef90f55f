-- Sample of deepghs/site_tags zerochan.net (layout rule 7): tags are titles
-- with spaces and capitals; type is a free-form label and is not used.
CREATE TABLE "tags" ("index" INTEGER, "tag" TEXT, "type" TEXT, "parent" TEXT, "total" INTEGER, "strict" INTEGER,
  "children_count" INTEGER, "parent_count" INTEGER);
CREATE INDEX "ix_tags_index" ON "tags" ("index");
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
CREATE INDEX "ix_tag_aliases_index" ON "tag_aliases" ("index");
INSERT INTO "tags" VALUES
  (0, 'Female', 'theme', NULL, 3102331, 1, 12, 0),
  (1, 'Solo', 'theme', NULL, 2201223, 1, 0, 0),
  (2, 'Long Hair', 'theme', 'Hair', 1301223, 1, 3, 1),
  (3, 'Short Hair', 'theme', 'Hair', 702331, 1, 1, 1),
  (4, 'Blue Eyes', 'theme', 'Eyes', 802331, 1, 0, 1),
  (5, 'Blonde Hair', 'theme', 'Hair', 602221, 1, 0, 1),
  (6, 'Smile', 'theme', NULL, 1102331, 1, 0, 0),
  (7, 'Blushing', 'theme', NULL, 702221, 1, 0, 0),
  (8, 'Animal Ears', 'theme', NULL, 301223, 1, 4, 0),
  (9, 'Cat Ears', 'theme', 'Animal Ears', 120331, 1, 0, 1),
  (10, 'Thighhighs', 'theme', 'Legwear', 201331, 1, 0, 1),
  (11, 'Hatsune Miku', 'character,game', 'VOCALOID', 40221, 1, 3, 1),
  (12, 'VOCALOID', 'game', NULL, 90112, 1, 40, 0),
  (13, 'Touhou', 'game', NULL, 150221, 1, 120, 0),
  (14, 'Hakurei Reimu', 'character', 'Touhou', 20331, 1, 0, 1),
  (15, 'Abigail', 'character', NULL, 12, 0, 0, 0),
  (16, 'Abigail (Gate)', 'character', 'GATE', 30, 0, 0, 1),
  (17, 'Kyoto Animation', 'studio', NULL, 40112, 1, 30, 0),
  (18, 'Original', 'meta', NULL, 102331, 1, 0, 0),
  (19, 'Miku', 'character', NULL, 2, 0, 0, 0),
  (20, 'ke-ta', 'mangaka', NULL, 812, 1, 0, 0);
INSERT INTO "tag_aliases" VALUES
  (0, 'Miku', 'Hatsune Miku'),
  (1, 'Miku Hatsune', 'Hatsune Miku'),
  (2, 'Reimu Hakurei', 'Hakurei Reimu'),
  (3, 'Touhou Project', 'Touhou'),
  (4, 'Nekomimi', 'Cat Ears'),
  (5, 'abigail', 'Abigail'),
  (6, 'abigail', 'Abigail (Gate)'),
  (7, 'Vocaloid', 'VOCALOID'),
  (8, 'Kemonomimi', 'Animal Ears'),
  (9, 'Witch Hat', 'Witch''s Hat');
