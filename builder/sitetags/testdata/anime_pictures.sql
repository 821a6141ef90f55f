-- anime-pictures.net layout (rule 4): tags.alias holds the id of the
-- preferred tag (0 = none), tag_jp/tag_ru are translations. witch/sorceress
-- is the fixture of docs/site-tags.md, "Behaviour fixtures".
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "tag" TEXT, "tag_ru" TEXT, "tag_jp" TEXT, "num" INTEGER,
  "num_pub" INTEGER, "type" INTEGER, "description_en" TEXT, "description_ru" TEXT, "description_jp" TEXT,
  "alias" INTEGER, "parent" INTEGER, "views" INTEGER);
INSERT INTO "tags" VALUES
  (0, 1, 'witch', 'ведьма', '魔女､まじょ', 10, 9, 0, '', '', '', NULL, 0, 100),
  (1, 2, 'sorceress', NULL, NULL, 5, 5, 0, '', '', '', 1, 0, 10),
  (2, 3, 'long hair', 'длинные волосы', '長髪', 250000, 240000, 2, '', '', '', 0, 0, 5000),
  (3, 4, 'longhair', NULL, 'ロングヘアー', 12, 12, 2, '', '', '', 3, 0, 3),
  (4, 5, 'ghost tag', NULL, NULL, 1, 1, 2, '', '', '', 99, 0, 0),
  (5, 6, 'hatsune miku', 'хацунэ мику', '初音ミク', 30000, 29000, 4, '', '', '', 0, 0, 900);
