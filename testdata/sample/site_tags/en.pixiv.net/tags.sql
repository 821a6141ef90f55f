-- Sample of deepghs/site_tags en.pixiv.net (layout rule 5 with trans_ja): no
-- type, no aliases; updated_at is a naive timestamp.
CREATE TABLE "tags" ("index" INTEGER, "name" TEXT, "wiki_url" TEXT, "updated_at" TIMESTAMP, "views" INTEGER,
  "posts" INTEGER, "checklists" INTEGER, "is_anime" INTEGER, "is_manga" INTEGER, "is_novel" INTEGER,
  "is_game" INTEGER, "is_figure" INTEGER, "is_music" INTEGER, "is_cosplay" INTEGER, "is_vtuber" INTEGER,
  "is_idol" INTEGER, "is_meme" INTEGER, "is_place" INTEGER, "is_character" INTEGER, "is_person" INTEGER,
  "is_company" INTEGER, "is_doujin" INTEGER, "trans_ja" TEXT, "trans_ja_wiki_url" TEXT);
CREATE INDEX "ix_tags_index" ON "tags" ("index");
INSERT INTO "tags" VALUES
  (0, 'original', 'https://dic.pixiv.net/en/a/original', '2025-03-30 11:02:44', 902331, 12012331, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'オリジナル', 'https://dic.pixiv.net/a/オリジナル'),
  (1, 'girl', 'https://dic.pixiv.net/en/a/girl', '2025-03-29 08:12:01', 402331, 4102331, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '女の子', 'https://dic.pixiv.net/a/女の子'),
  (2, 'Hatsune Miku', 'https://dic.pixiv.net/en/a/Hatsune+Miku', '2025-03-28 19:40:11.250000', 302221, 702331, 5, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, '初音ミク', 'https://dic.pixiv.net/a/初音ミク'),
  (3, 'VOCALOID', 'https://dic.pixiv.net/en/a/VOCALOID', '2025-03-28 19:40:11', 201223, 802331, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'VOCALOID', NULL),
  (4, 'Touhou Project', 'https://dic.pixiv.net/en/a/Touhou+Project', '2025-03-27 02:11:09', 501223, 1902331, 9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, '東方Project', 'https://dic.pixiv.net/a/東方Project'),
  (5, 'Hakurei Reimu', 'https://dic.pixiv.net/en/a/Hakurei+Reimu', '2025-03-27 02:11:09', 101223, 202331, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, '博麗霊夢', 'https://dic.pixiv.net/a/博麗霊夢'),
  (6, 'cat ears', 'https://dic.pixiv.net/en/a/cat+ears', '2025-02-11 14:00:00', 60221, 402331, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '猫耳', 'https://dic.pixiv.net/a/猫耳'),
  (7, 'animal ears', 'https://dic.pixiv.net/en/a/animal+ears', '2025-02-11 14:00:00', 30112, 202331, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'けもみみ', 'https://dic.pixiv.net/a/けもみみ'),
  (8, 'long hair', 'https://dic.pixiv.net/en/a/long+hair', '2024-12-01 00:00:00', 20112, 301223, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'ロングヘア', NULL),
  (9, 'thighhighs', 'https://dic.pixiv.net/en/a/thighhighs', '2024-12-01 00:00:00', 40221, 602331, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'ニーハイ', 'https://dic.pixiv.net/a/ニーハイ'),
  (10, 'witch', 'https://dic.pixiv.net/en/a/witch', '2024-10-31 21:00:00', 30331, 150221, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '魔女', 'https://dic.pixiv.net/a/魔女'),
  (11, 'school uniform', 'https://dic.pixiv.net/en/a/school+uniform', '2024-09-01 09:00:00', 40112, 502331, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '制服', 'https://dic.pixiv.net/a/制服'),
  (12, 'Kyoto Animation', 'https://dic.pixiv.net/en/a/Kyoto+Animation', NULL, 9012, 30221, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, '京都アニメーション', NULL),
  (13, 'Mahou Shoujo Madoka Magica', 'https://dic.pixiv.net/en/a/Puella+Magi+Madoka+Magica', '2024-04-01 12:00:00', 120331, 230112, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '魔法少女まどか☆マギカ', 'https://dic.pixiv.net/a/魔法少女まどか☆マギカ'),
  (14, 'ke-ta', NULL, NULL, 812, 221, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, NULL, NULL),
  (15, 'smile', 'https://dic.pixiv.net/en/a/smile', '2024-03-01 00:00:00', 20112, 402331, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '笑顔', 'https://dic.pixiv.net/a/笑顔'),
  (16, 'blush', NULL, '2024-03-01 00:00:00', 10112, 301223, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '赤面', NULL),
  (17, 'blue eyes', NULL, '2024-03-01 00:00:00', 9012, 120331, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '青い目', NULL),
  (18, 'solo', NULL, '2024-03-01 00:00:00', 8012, 90221, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'ソロ', NULL),
  (19, 'highres', NULL, NULL, 1012, 30112, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL);
