-- docs/site-tags.md, "Behaviour fixtures": trans_zh-CN is NULL in 150 rows
-- and filled only in row 151; the language must still be read.
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "type" INTEGER, "post_count" INTEGER,
  "pool_count" INTEGER, "series_count" INTEGER, "trans_en" TEXT, "trans_zh-CN" TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)
INSERT INTO "tags" SELECT i - 1, i, 'tag_' || i, 0, i, 0, 0, NULL, NULL FROM n;
INSERT INTO "tags" VALUES (150, 151, 'rape', 0, 99, 0, 0, NULL, '強姦');
