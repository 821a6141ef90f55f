-- Sample of deepghs/site_tags anime-pictures.net (layout rule 4): tags.alias
-- holds the id of the preferred tag (0 = none); tag_jp and tag_ru are
-- translations; tags are written with spaces. Types: 0 meta, 1 character,
-- 2 general, 3 copyright, 4 artist, 5/6 copyright, 7 general.
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "tag" TEXT, "tag_ru" TEXT, "tag_jp" TEXT, "num" INTEGER,
  "num_pub" INTEGER, "type" INTEGER, "description_en" TEXT, "description_ru" TEXT, "description_jp" TEXT,
  "alias" INTEGER, "parent" INTEGER, "views" INTEGER);
CREATE INDEX "ix_tags_index" ON "tags" ("index");
INSERT INTO "tags" VALUES
  (0, 1, 'long hair', 'длинные волосы', '長髪', 612331, 601223, 2, '', '', '', 0, 0, 1022331),
  (1, 2, 'single', 'одиночка', 'ソロ', 702234, 690112, 2, '', '', '', 0, 0, 1201331),
  (2, 3, 'girl', 'девушка', '女の子', 1102331, 1090221, 2, '', '', '', 0, 0, 2012331),
  (3, 4, 'looking at viewer', 'смотрит на зрителя', 'カメラ目線', 402331, 400112, 2, '', '', '', 0, 0, 602331),
  (4, 5, 'blush', 'румянец', '赤面', 390221, 388001, 2, '', '', '', 0, 0, 501223),
  (5, 6, 'smile', 'улыбка', '笑顔', 370112, 368990, 2, '', '', '', 0, 0, 490221),
  (6, 7, 'short hair', 'короткие волосы', 'ショートヘア', 290331, 288112, 2, '', '', '', 0, 0, 402331),
  (7, 8, 'blue eyes', 'голубые глаза', '青い目', 280112, 279001, 2, '', '', '', 0, 0, 390112),
  (8, 9, 'animal ears', 'звериные уши', 'けもみみ', 120331, 119221, 2, '', '', '', 0, 0, 190221),
  (9, 10, 'cat ears', 'кошачьи ушки', '猫耳', 60221, 59880, 2, '', '', '', 0, 9, 95112),
  (10, 11, 'nekomimi', NULL, 'ねこみみ', 12, 12, 2, '', '', '', 10, 9, 102),
  (11, 12, 'thighhighs', 'чулки', 'ニーソックス', 110221, 109332, 2, '', '', '', 0, 0, 170331),
  (12, 13, 'witch', 'ведьма', '魔女､まじょ', 10221, 10112, 2, '', '', '', 0, 0, 30221),
  (13, 14, 'sorceress', NULL, NULL, 5, 5, 2, '', '', '', 13, 0, 12),
  (14, 15, 'hatsune miku', 'хацунэ мику', '初音ミク', 30221, 30112, 1, '', '', '', 0, 0, 90221),
  (15, 16, 'vocaloid', 'вокалоид', 'ボーカロイド', 40331, 40221, 3, '', '', '', 0, 0, 100331),
  (16, 17, 'touhou', 'тохо', '東方', 80112, 80001, 3, '', '', '', 0, 0, 160221),
  (17, 18, 'hakurei reimu', 'хакурей рейму', '博麗霊夢', 12331, 12220, 1, '', '', '', 0, 0, 40112),
  (18, 19, 'reimu hakurei', NULL, NULL, 3, 3, 1, '', '', '', 18, 0, 4),
  (19, 20, 'ke-ta', NULL, NULL, 221, 220, 4, '', '', '', 0, 0, 1200),
  (20, 21, 'highres', NULL, NULL, 502331, 501221, 0, '', '', '', 0, 0, 20112),
  (21, 22, 'kyoto animation', 'kyoto animation', '京都アニメーション', 3021, 3001, 6, '', '', '', 0, 0, 9012),
  (22, 23, 'mahou shoujo madoka magica', 'девочка-волшебница мадока магика', '魔法少女まどか☆マギカ', 20331, 20112, 5, '', '', '', 0, 0, 60221);
