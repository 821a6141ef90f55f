-- chan.sankakucomplex.com layout (rule 1): 13 trans_* columns, type INT,
-- negative counts (the real minimum is -40).
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "type" INTEGER, "post_count" INTEGER,
  "pool_count" INTEGER, "series_count" INTEGER, "rating" TEXT, "version" INTEGER, "parent_ids" TEXT,
  "child_ids" TEXT, "related_ids" TEXT, "trans_en" TEXT, "trans_ja" TEXT, "trans_ru" TEXT, "trans_pt" TEXT,
  "trans_zh-CN" TEXT, "trans_fr" TEXT, "trans_it" TEXT, "trans_ko" TEXT, "trans_vi" TEXT, "trans_zh-HK" TEXT,
  "trans_de" TEXT, "trans_es" TEXT, "trans_th" TEXT);
CREATE TABLE "parents" ("index" INTEGER, "tag_id" INTEGER, "parent_id" INTEGER);
CREATE TABLE "children" ("index" INTEGER, "tag_id" INTEGER, "child_id" INTEGER);
CREATE TABLE "relations" ("index" INTEGER, "tag_id" INTEGER, "related_id" INTEGER);
INSERT INTO "tags" VALUES
  (0, 1, 'female', 0, 5000000, 10, 0, 'q', 1, '[]', '[]', '[]', 'female', '女性', 'женщина', 'feminino', '女性', 'femme', 'femmina', '여성', 'nữ', '女性', 'weiblich', 'femenino', 'ผู้หญิง'),
  (1, 2, 'long_hair', 0, 3000000, 3, 0, 's', 1, '[]', '[]', '[]', 'long hair', 'ロングヘア', NULL, '', '  ', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (2, 3, 'deleted_tag', 5, -40, 0, 0, NULL, 1, '[]', '[]', '[]', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (3, 4, 'hatsune_miku', 4, 150000, 20, 1, 's', 2, '[]', '[]', '[]', 'Hatsune Miku', '初音ミク, 初音未來', NULL, NULL, '初音未来', NULL, NULL, '하츠네 미쿠', NULL, '初音未來', NULL, NULL, NULL);
