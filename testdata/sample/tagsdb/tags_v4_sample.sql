-- A small tags_v4-era tag database (the genai-tag-db-tools layout before
-- 2025-12-18): TAGS without UNIQUE(tag), TAG_STATUS without the deprecated,
-- deprecated_at and source_created_at columns. Fictional sample data (CC0).
-- tags_v4_sample.sqlite is generated from this file by
--   go test ./builder/tagsdb -run TestSampleTagsV4 -update
-- It deliberately holds what real tags_v4 files hold: one text under two ids
-- ("witch" is 1 and 8), a legacy placeholder tag, an alias whose target is the
-- placeholder, a translation of a missing tag id, a usage count with no status
-- row, and a language column name ("japanese") instead of a code.
BEGIN;
CREATE TABLE TAGS (
    tag_id INTEGER NOT NULL PRIMARY KEY,
    source_tag TEXT,
    tag TEXT NOT NULL,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP)
);
CREATE TABLE TAG_STATUS (
    tag_id INTEGER NOT NULL,
    format_id INTEGER NOT NULL,
    type_id INTEGER NOT NULL,
    alias BOOLEAN NOT NULL,
    preferred_tag_id INTEGER NOT NULL,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    PRIMARY KEY (tag_id, format_id)
);
CREATE TABLE TAG_TRANSLATIONS (
    translation_id INTEGER NOT NULL PRIMARY KEY,
    tag_id INTEGER NOT NULL,
    language TEXT,
    translation TEXT,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP)
);
CREATE TABLE TAG_USAGE_COUNTS (
    tag_id INTEGER NOT NULL,
    format_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    PRIMARY KEY (tag_id, format_id)
);

INSERT INTO TAGS (tag_id, source_tag, tag, created_at, updated_at) VALUES
    (1, 'witch', 'witch', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (2, 'witch_hat', 'witch hat', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (3, 'sorceress', 'sorceress', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (4, 'long_hair', 'long hair', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (5, 'longhair', 'longhair', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (6, 'cat_ears', 'cat ears', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (7, 'nekomimi', 'nekomimi', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (8, 'Witch', 'witch', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (9, '__missing_tag_id_42__', '__missing_tag_id_42__', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (10, 'hatsune_miku', 'hatsune miku', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (11, 'vocaloid', 'vocaloid', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (12, '1girl', '1girl', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (13, 'solo', 'solo', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (14, 'smile', 'smile', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (15, 'original', 'original', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (16, 'unused_tag', 'unused tag', '2024-10-16 00:00:00', '2024-10-16 00:00:00');

-- format 1 is danbooru, 2 is e621 (TAG_FORMATS of the output schema).
INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id, created_at, updated_at) VALUES
    (1, 1, 0, 0, 1, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (2, 1, 0, 0, 2, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (3, 1, 0, 1, 1, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (4, 1, 0, 0, 4, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (5, 1, 0, 1, 4, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (6, 1, 0, 0, 6, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (7, 1, 0, 1, 6, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (8, 2, 0, 0, 8, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (9, 1, 0, 1, 4, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (10, 1, 4, 0, 10, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (11, 1, 3, 0, 11, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (12, 1, 0, 0, 12, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (13, 1, 0, 0, 13, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (14, 1, 0, 0, 14, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (15, 1, 3, 0, 15, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (3, 2, 0, 1, 9, '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (12, 2, 0, 0, 12, '2024-10-16 00:00:00', '2024-10-16 00:00:00');

INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count, created_at, updated_at) VALUES
    (1, 1, 5000, '2024-10-16 00:00:00', '2024-10-16 12:00:00'),
    (8, 1, 7000, '2024-10-16 00:00:00', '2024-10-17 12:00:00'),
    (4, 1, 3000, '2024-10-16 00:00:00', '2024-10-16 12:00:00'),
    (10, 1, 120000, '2024-10-16 00:00:00', '2024-10-16 12:00:00'),
    (12, 1, 600000, '2024-10-16 00:00:00', '2024-10-16 12:00:00'),
    (13, 1, 500000, '2024-10-16 00:00:00', '2024-10-16 12:00:00'),
    (16, 1, 5, '2024-10-16 00:00:00', '2024-10-16 12:00:00'),
    (12, 2, 90000, '2024-10-16 00:00:00', '2024-10-16 12:00:00');

INSERT INTO TAG_TRANSLATIONS (translation_id, tag_id, language, translation, created_at, updated_at) VALUES
    (1, 1, 'ja', '魔女', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (2, 6, 'japanese', '猫耳, ねこみみ', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (3, 10, 'ja', '初音ミク', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (4, 9, 'ja', '行方不明', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (5, 99, 'ja', '幽霊', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (6, 14, 'zh-CN', '微笑', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (7, 15, 'translation', 'original', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (8, 13, 'ja', '', '2024-10-16 00:00:00', '2024-10-16 00:00:00'),
    (9, 8, 'ja', 'ウィッチ', '2024-10-16 00:00:00', '2024-10-16 00:00:00');
COMMIT;
