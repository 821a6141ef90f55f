-- gelbooru.com layout (rule 8): type TEXT names; bad_tag is a sink.
CREATE TABLE "tags" ("index" INTEGER, "name" TEXT, "count" INTEGER, "type" TEXT, "is_ambiguous" INTEGER);
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
INSERT INTO "tags" VALUES
  (0, '1girl', 7000000, 'general', 0),
  (1, 'ke-ta', 3000, 'artist', 0),
  (2, 'touhou', 900000, 'copyright', 0),
  (3, 'hakurei_reimu', 100000, ' Character ', 0),
  (4, 'highres', 5000000, 'metadata', 0),
  (5, 'tagme', 40000, 'deprecated', 0),
  (6, 'odd', 1, 'faults', 0),
  (7, 'reimu', 2, 'character', 0),
  (8, 'fixme', 3, 'general', 0);
INSERT INTO "tag_aliases" VALUES
  (0, 'reimu', 'hakurei_reimu'),
  (1, 'fixme', 'bad_tag'),
  (2, 'absurdres', 'bad_tag');
