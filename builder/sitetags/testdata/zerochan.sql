-- zerochan.net layout (rule 7): type is free-form TEXT, ignored
-- (docs/python-differences.md, W12).
CREATE TABLE "tags" ("index" INTEGER, "tag" TEXT, "type" TEXT, "parent" TEXT, "total" INTEGER, "strict" INTEGER,
  "children_count" INTEGER, "parent_count" INTEGER);
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
INSERT INTO "tags" VALUES
  (0, 'Hatsune Miku', 'character,game', 'VOCALOID', 40000, 1, 0, 1),
  (1, 'Long Hair', 'theme', NULL, 900000, 0, 3, 0),
  (2, 'Miku', 'character', NULL, 3, 0, 0, 0);
INSERT INTO "tag_aliases" VALUES
  (0, 'Miku', 'Hatsune Miku'),
  (1, 'Hatsune Miku (Append)', 'Hatsune Miku'),
  (2, 'Miku Hatsune', 'Hatsune Miku');
