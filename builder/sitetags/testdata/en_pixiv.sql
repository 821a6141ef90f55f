-- en.pixiv.net layout (rule 5, with trans_ja): no type, naive updated_at.
CREATE TABLE "tags" ("index" INTEGER, "name" TEXT, "wiki_url" TEXT, "updated_at" TIMESTAMP, "views" INTEGER,
  "posts" INTEGER, "checklists" INTEGER, "is_anime" INTEGER, "is_manga" INTEGER, "is_novel" INTEGER,
  "is_game" INTEGER, "is_figure" INTEGER, "is_music" INTEGER, "is_cosplay" INTEGER, "is_vtuber" INTEGER,
  "is_idol" INTEGER, "is_meme" INTEGER, "is_place" INTEGER, "is_character" INTEGER, "is_person" INTEGER,
  "is_company" INTEGER, "is_doujin" INTEGER, "trans_ja" TEXT, "trans_ja_wiki_url" TEXT);
INSERT INTO "tags" VALUES
  (0, 'Hatsune Miku', 'https://dic.pixiv.net/en/a/Hatsune+Miku', '2024-03-01 12:34:56.789', 1000, 250000, 5, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, '初音ミク', 'https://dic.pixiv.net/a/初音ミク'),
  (1, 'original', 'https://dic.pixiv.net/en/a/original', '2023-12-31 23:59:59', 50, 9000000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'オリジナル', NULL),
  (2, 'cat ears', NULL, NULL, 7, 180000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL);
