-- The danbooru-like cat_girl fixture of docs/site-tags.md, "Behaviour fixtures".
CREATE TABLE "tags" ("id" INTEGER, "name" TEXT, "post_count" INTEGER, "category" INTEGER, "created_at" TIMESTAMP,
  "updated_at" TIMESTAMP, "is_deprecated" INTEGER);
CREATE TABLE "tag_aliases" ("alias" TEXT, "tag" TEXT);
INSERT INTO "tags" VALUES
  (1, 'cat_girl', 10, 0, '2020-01-01 00:00:00', '2024-01-01 00:00:00', 0),
  (2, 'neko_girl', 1, 0, '2020-01-02 00:00:00', '2024-01-02 00:00:00', 1);
INSERT INTO "tag_aliases" VALUES ('neko_girl', 'cat_girl');
