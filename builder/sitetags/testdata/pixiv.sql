-- pixiv.net layout (rule 5 without trans_*).
CREATE TABLE "tags" ("index" INTEGER, "name" TEXT, "wiki_url" TEXT, "updated_at" TIMESTAMP, "views" INTEGER,
  "posts" INTEGER, "checklists" INTEGER, "is_anime" INTEGER, "is_manga" INTEGER, "is_character" INTEGER);
INSERT INTO "tags" VALUES
  (0, '初音ミク', 'https://dic.pixiv.net/a/初音ミク', '2024-03-01 12:34:56', 5000, 700000, 3, 0, 0, 1),
  (1, 'オリジナル', 'https://dic.pixiv.net/a/オリジナル', '2024-03-02', 9000, 12000000, 0, 0, 0, 0);
