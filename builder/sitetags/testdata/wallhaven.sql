-- wallhaven.cc layout (rule 6): category_id is not a booru category, ignored.
CREATE TABLE "tags" ("index" INTEGER, "name" TEXT, "id" INTEGER, "category_name" TEXT, "category_id" INTEGER,
  "posts" INTEGER, "views" INTEGER, "subscriptions" INTEGER);
INSERT INTO "tags" VALUES
  (0, 'anime girls', 5, 'Characters', 3, 150000, 9000000, 400),
  (1, 'landscape', 711, 'Nature', 20, 60000, 800000, 100);
