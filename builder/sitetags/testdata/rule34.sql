-- rule34.xxx / hypnohub.net / xbooru.com layout (rule 9: type INTEGER).
CREATE TABLE "tags" ("index" INTEGER, "type" INTEGER, "count" INTEGER, "name" TEXT, "ambiguous" INTEGER, "id" INTEGER);
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
INSERT INTO "tags" VALUES
  (0, 0, 3000000, '1girl', 0, 1),
  (1, 4, 20000, 'hatsune_miku', 0, 2),
  (2, 0, 5, 'girl', 0, 3);
INSERT INTO "tag_aliases" VALUES
  (0, 'girl', '1girl');
