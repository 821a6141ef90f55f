-- e621.net layout (rule 3): no is_deprecated; the invalid_tag fixture of
-- docs/site-tags.md ("Behaviour fixtures"): absurd_res / ")" -> invalid_tag,
-- plus realistic rows.
CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "post_count" INTEGER, "related_tags" TEXT,
  "related_tags_updated_at" TIMESTAMP, "category" INTEGER, "is_locked" INTEGER, "created_at" TIMESTAMP, "updated_at" TIMESTAMP);
CREATE TABLE "tag_aliases" ("index" INTEGER, "alias" TEXT, "tag" TEXT);
INSERT INTO "tags" VALUES
  (0, 10, 'absurd_res', 123, 'absurd_res 123', NULL, 7, 0, '2020-03-05 03:20:30.416-05:00', '2024-01-02 09:00:00-05:00'),
  (1, 11, 'canine', 987654, '', NULL, 5, 0, NULL, NULL),
  (2, 12, 'invalid_tag', 0, '', NULL, 6, 1, NULL, NULL),
  (3, 13, 'no_humans', 4000, '', NULL, 0, 0, NULL, NULL),
  (4, 14, 'dog_ears', 52, '', NULL, 0, 0, NULL, NULL);
INSERT INTO "tag_aliases" VALUES
  (0, ')', 'invalid_tag'),
  (1, 'dog', 'canine'),
  (2, 'dog_ears', 'invalid_tag'),
  (3, '(', 'invalid_tag');
