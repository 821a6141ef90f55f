-- docs/site-tags.md, "Behaviour fixtures": abigail has two candidates.
CREATE TABLE "tags" ("index" INTEGER, "tag" TEXT, "type" TEXT, "parent" TEXT, "total" INTEGER, "strict" INTEGER,
  "children_count" INTEGER, "parent_count" INTEGER);
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
INSERT INTO "tags" VALUES
  (0, 'Abigail', 'character', NULL, 12, 0, 0, 0),
  (1, 'Abigail_(Gate)', 'character', 'GATE', 30, 0, 0, 1);
INSERT INTO "tag_aliases" VALUES
  (0, 'abigail', 'Abigail'),
  (1, 'abigail', 'Abigail_(Gate)');
