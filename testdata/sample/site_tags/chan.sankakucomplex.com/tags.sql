-- Sample of deepghs/site_tags chan.sankakucomplex.com (layout rule 1): 13
-- trans_* columns, negative counts, no tag_aliases table.
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "type" INTEGER, "post_count" INTEGER,
  "pool_count" INTEGER, "series_count" INTEGER, "rating" TEXT, "version" INTEGER, "parent_ids" TEXT,
  "child_ids" TEXT, "related_ids" TEXT, "trans_en" TEXT, "trans_ja" TEXT, "trans_ru" TEXT, "trans_pt" TEXT,
  "trans_zh-CN" TEXT, "trans_fr" TEXT, "trans_it" TEXT, "trans_ko" TEXT, "trans_vi" TEXT, "trans_zh-HK" TEXT,
  "trans_de" TEXT, "trans_es" TEXT, "trans_th" TEXT);
CREATE INDEX "ix_tags_index" ON "tags" ("index");
CREATE TABLE "parents" ("index" INTEGER, "tag_id" INTEGER, "parent_id" INTEGER);
CREATE TABLE "children" ("index" INTEGER, "tag_id" INTEGER, "child_id" INTEGER);
CREATE TABLE "relations" ("index" INTEGER, "tag_id" INTEGER, "related_id" INTEGER);
INSERT INTO "tags" VALUES
  (0, 100, 'female', 0, 9012331, 4411, 0, 'q', 3, '[]', '[]', '[]', 'female', '女性', 'женщина', 'feminino', '女性', 'femme', 'femmina', '여성', 'nữ', '女性', 'weiblich', 'femenino', 'ผู้หญิง'),
  (1, 101, '1girl', 0, 5102334, 2301, 0, 's', 2, '[]', '[]', '[]', '1girl', '女の子一人', NULL, NULL, '一个女孩', NULL, NULL, '소녀 한 명', NULL, NULL, NULL, NULL, NULL),
  (2, 102, 'solo', 0, 4923001, 2210, 0, 's', 2, '[]', '[]', '[]', 'solo', 'ソロ', 'соло', NULL, '单人', NULL, NULL, '솔로', NULL, '單人', NULL, NULL, NULL),
  (3, 103, 'long_hair', 0, 4102227, 1902, 0, 's', 2, '[]', '[]', '[]', 'long hair', 'ロングヘア', 'длинные волосы', 'cabelo longo', '长发', 'cheveux longs', 'capelli lunghi', '긴 머리', 'tóc dài', '長髮', 'lange Haare', 'pelo largo', 'ผมยาว'),
  (4, 104, 'breasts', 0, 3701223, 1711, 0, 'q', 2, '[]', '[]', '[]', 'breasts', 'おっぱい', NULL, NULL, '胸部', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (5, 105, 'blush', 0, 3011221, 1502, 0, 's', 2, '[]', '[]', '[]', 'blush', '赤面', NULL, NULL, '脸红', NULL, NULL, '홍조', NULL, NULL, NULL, NULL, NULL),
  (6, 106, 'smile', 0, 2987001, 1490, 0, 's', 2, '[]', '[]', '[]', 'smile', '笑顔', 'улыбка', 'sorriso', '微笑', 'sourire', 'sorriso', '미소', 'nụ cười', '微笑', 'Lächeln', 'sonrisa', 'ยิ้ม'),
  (7, 107, 'looking_at_viewer', 0, 3320112, 1601, 0, 's', 2, '[]', '[]', '[]', 'looking at viewer', 'カメラ目線', NULL, NULL, '看向观众', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (8, 108, 'cat_ears', 0, 402339, 301, 0, 's', 2, '[]', '[]', '[]', 'cat ears', '猫耳', 'кошачьи ушки', NULL, '猫耳', NULL, NULL, '고양이 귀', NULL, '貓耳', NULL, NULL, NULL),
  (9, 109, 'animal_ears', 0, 1012021, 801, 0, 's', 2, '[]', '[]', '[]', 'animal ears', 'けもみみ、獣耳', NULL, NULL, '兽耳', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (10, 110, 'thighhighs', 0, 1302114, 1010, 0, 'q', 2, '[]', '[]', '[]', 'thighhighs', 'ニーハイ', NULL, NULL, '过膝袜', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (11, 111, 'blue_eyes', 0, 1912020, 1201, 0, 's', 2, '[]', '[]', '[]', 'blue eyes', '青い目', NULL, NULL, '蓝眼睛', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (12, 200, 'hatsune_miku', 4, 171022, 690, 3, 's', 4, '[]', '[]', '[]', 'Hatsune Miku', '初音ミク', 'Хацунэ Мику', NULL, '初音未来', NULL, NULL, '하츠네 미쿠', NULL, '初音未來', NULL, NULL, NULL),
  (13, 201, 'vocaloid', 3, 230114, 702, 12, 's', 4, '[]', '[]', '[]', 'Vocaloid', 'ボーカロイド', NULL, NULL, 'VOCALOID', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (14, 202, 'touhou', 3, 1102221, 3102, 44, 's', 4, '[]', '[]', '[]', 'Touhou Project', '東方Project', NULL, NULL, '东方Project', NULL, NULL, '동방 프로젝트', NULL, NULL, NULL, NULL, NULL),
  (15, 203, 'hakurei_reimu', 4, 101223, 402, 1, 's', 3, '[]', '[]', '[]', 'Hakurei Reimu', '博麗霊夢', NULL, NULL, '博丽灵梦', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (16, 300, 'ke-ta', 1, 3012, 12, 0, 's', 1, '[]', '[]', '[]', 'ke-ta', 'ke-ta', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (17, 400, 'high_resolution', 8, 6612331, 3001, 0, 's', 1, '[]', '[]', '[]', 'high resolution', '高解像度', NULL, NULL, '高分辨率', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (18, 401, 'absurdres', 9, 2102331, 1201, 0, 's', 1, '[]', '[]', '[]', 'absurdres', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (19, 500, 'studio_trigger', 2, 8012, 4, 2, 's', 1, '[]', '[]', '[]', 'Studio Trigger', 'TRIGGER', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (20, 600, 'kemonomimi_mode', 5, 1021, 0, 0, 's', 1, '[]', '[]', '[]', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (21, 601, 'removed_tag', 0, -40, 0, 0, NULL, 1, '[]', '[]', '[]', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (22, 602, 'duplicate_of_solo', 0, -3, 0, 0, NULL, 1, '[]', '[]', '[]', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (23, 700, 'school_uniform', 0, 402331, 110, 0, 's', 1, '[]', '[]', '[]', NULL, NULL, NULL, NULL, '校服', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO "parents" VALUES (0, 108, 109), (1, 203, 202);
INSERT INTO "children" VALUES (0, 109, 108), (1, 202, 203);
