-- W8 (docs/python-differences.md): a chain (b_name -> c_name -> d_name), a
-- cycle (x -> y -> x) entered from w, a self pair, NULL and blank sides, and
-- W9 a (same file): an alias whose canonical has no tags row.
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "post_count" INTEGER, "category" INTEGER,
  "created_at" TIMESTAMP, "updated_at" TIMESTAMP, "is_deprecated" INTEGER, "words" TEXT);
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
INSERT INTO "tags" VALUES
  (0, 1, 'd_name', 40, 0, NULL, NULL, 0, NULL),
  (1, 2, 'c_name', 30, 0, NULL, NULL, 0, NULL),
  (2, 3, 'y', 20, 0, NULL, NULL, 0, NULL),
  (3, 4, 'x', 10, 0, NULL, NULL, 0, NULL),
  (4, 5, 'lonely_alias', 5, 0, NULL, NULL, 0, NULL);
INSERT INTO "tag_aliases" VALUES
  (0, 'w', 'y'),
  (1, 'b_name', 'c_name'),
  (2, 'c_name', 'd_name'),
  (3, 'y', 'x'),
  (4, 'x', 'y'),
  (5, 'same', 'same'),
  (6, NULL, 'x'),
  (7, 'nowhere', '  '),
  (8, 'lonely_alias', 'missing_canonical'),
  (9, 'other_alias', 'missing_canonical');
