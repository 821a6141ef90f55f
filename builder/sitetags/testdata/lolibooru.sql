-- lolibooru.moe layout (rule 11).
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "post_count" INTEGER, "cached_related" TEXT,
  "cached_related_expires_on" TIMESTAMP, "tag_type" INTEGER, "is_ambiguous" INTEGER);
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
INSERT INTO "tags" VALUES
  (0, 1, 'twintails', 9000, 'twintails 9000', '2023-07-05 00:00:00', 0, 0),
  (1, 2, 'circle_name', 12, '', NULL, 5, 0),
  (2, 3, 'removed', -11, '', NULL, 0, 0);
INSERT INTO "tag_aliases" VALUES
  (0, 'twin_tails', 'twintails');
