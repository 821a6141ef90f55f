-- konachan.com / konachan.net / yande.re layout (rule 9).
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "count" INTEGER, "type" INTEGER, "ambiguous" INTEGER);
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
INSERT INTO "tags" VALUES
  (0, 1, 'long_hair', 120000, 0, 0),
  (1, 2, 'kantai_collection', 15000, 3, 0),
  (2, 3, 'ke-ta', 80, 1, 0),
  (3, 4, 'wallpaper', -10, 6, 0);
INSERT INTO "tag_aliases" VALUES
  (0, 'kancolle', 'kantai_collection');
