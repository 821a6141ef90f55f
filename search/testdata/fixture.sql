-- A small tag database for the search tests, applied on top of the migrations.
-- Formats: 0 unknown, 1 danbooru, 2 e621, 7 gelbooru, 14 anime-pictures.
-- What each row is for is noted beside it; the tests rely on these facts.
INSERT INTO TAGS (tag_id, source_tag, tag) VALUES
    (1, '1girl', '1girl'),
    (2, 'long_hair', 'long hair'),
    (3, 'solo', 'solo'),
    (4, 'cat_ears', 'cat ears'),
    (5, 'nekomimi', 'nekomimi'),              -- alias of cat ears on danbooru, its own tag on e621
    (6, 'longhair', 'longhair'),              -- alias of long hair on danbooru and e621
    (7, 'hatsune_miku', 'hatsune miku'),      -- character: type 4 on danbooru/e621, type 1 on anime-pictures
    (8, 'bow_(weapon)', 'bow \(weapon\)'),    -- escaped parentheses
    (9, 'XD', 'XD'),                          -- kaomoji: keeps its case ...
    (10, 'xd', 'xd'),                         -- ... so this is another tag
    (11, 'old_tag', 'old tag'),               -- deprecated on danbooru without being an alias
    (12, 'long_sleeves', 'long sleeves'),
    (13, 'longcat', 'longcat'),               -- e621 only
    (14, 'sorceress', 'sorceress'),           -- a usage count in format 0 without a status row there
    (15, '100%_orange_juice', '100% orange juice'),
    (16, 'lonely', 'lonely'),                 -- no status row anywhere
    (17, 'renamed_source', 'renamed');        -- found only through its source_tag spelling

INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id, deprecated) VALUES
    (1, 1, 0, 0, 1, 0), (1, 2, 0, 0, 1, 0),
    (2, 1, 0, 0, 2, 0), (2, 2, 0, 0, 2, 0),
    (3, 1, 0, 0, 3, 0), (3, 2, 0, 0, 3, 0), (3, 7, 0, 0, 3, 0),
    (4, 1, 0, 0, 4, 0), (4, 2, 0, 0, 4, 0),
    (5, 1, 0, 1, 4, 1), (5, 2, 0, 0, 5, 0),
    (6, 1, 0, 1, 2, 1), (6, 2, 0, 1, 2, 1),
    (7, 1, 4, 0, 7, 0), (7, 2, 4, 0, 7, 0), (7, 14, 1, 0, 7, 0),
    (8, 1, 0, 0, 8, 0),
    (9, 1, 5, 0, 9, 0),
    (10, 2, 0, 0, 10, 0),
    (11, 1, 0, 0, 11, 1),
    (12, 1, 0, 0, 12, 0), (12, 2, 0, 0, 12, 0),
    (13, 2, 5, 0, 13, 0),
    (14, 1, 0, 0, 14, 0),
    (15, 1, 3, 0, 15, 0),
    (17, 1, 0, 0, 17, 0);

INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) VALUES
    (1, 1, 6000000), (1, 2, 100000),
    (2, 1, 4350000), (2, 2, 300000),
    (3, 1, 5000000), (3, 2, 900000), (3, 7, 10),
    (4, 1, 500000), (4, 2, 200000),
    (5, 2, 1200),
    (7, 1, 90000), (7, 2, 500), (7, 14, 100),
    (8, 1, 8000),
    (9, 1, 1500),
    (10, 2, 300),
    (11, 1, 50),
    (12, 1, 700000), (12, 2, 90000),
    (13, 2, 4000),
    (14, 0, 1096310), (14, 1, 2000),
    (15, 1, 3000),
    (17, 1, 10);

INSERT INTO TAG_TRANSLATIONS (tag_id, language, translation) VALUES
    (1, 'ja', '一人の女の子'), (1, 'zh', '1个女孩'),
    (2, 'ja', 'ロングヘア'), (2, 'zh', '长发'),
    (3, 'ja', '一人の女の子'),                -- shared with 1girl, as in real data
    (4, 'ja', '猫耳'), (4, 'zh', '猫耳'),
    (6, 'ja', 'ロングヘアー'),                -- on an alias: ByTranslation must follow it
    (7, 'ja', '初音ミク'), (7, 'en', 'Hatsune Miku'),
    (12, 'ja', '長袖'),
    (16, 'ja', 'ぼっち');
