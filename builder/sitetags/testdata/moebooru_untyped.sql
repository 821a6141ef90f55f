-- rule 10: name, count, type where type has no INTEGER/TEXT declaration.
CREATE TABLE "tags" ("index", "type", "count", "name", "ambiguous", "id");
INSERT INTO "tags" VALUES
  (0, 3, 42, 'vocaloid', 0, 1),
  (1, '4', 7, 'kagamine_rin', 0, 2);
