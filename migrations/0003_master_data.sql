-- Master data (python-builder-spec §2.3). The ids are part of the contract with
-- every reader: never renumber, only add. INSERT OR IGNORE keeps rows a base file
-- already has.
INSERT OR IGNORE INTO TAG_FORMATS (format_id, format_name, description) VALUES
    (0, 'unknown', ''), (1, 'danbooru', ''), (2, 'e621', ''), (3, 'derpibooru', ''),
    (4, 'safebooru', ''), (5, 'allthefallen', ''), (6, 'sankaku', ''), (7, 'gelbooru', ''),
    (8, 'rule34', ''), (9, 'xbooru', ''), (10, 'hypnohub', ''), (11, 'konachan', ''),
    (12, 'konachan-net', ''), (13, 'lolibooru', ''), (14, 'anime-pictures', ''),
    (15, 'wallhaven', ''), (16, 'yandere', ''), (17, 'zerochan', ''), (18, 'pixiv', '');

INSERT OR IGNORE INTO TAG_TYPE_NAME (type_name_id, type_name, description) VALUES
    (0, 'unknown', ''), (1, 'general', ''), (2, 'artist', ''), (3, 'copyright', ''),
    (4, 'character', ''), (5, 'species', ''), (6, 'invalid', ''), (7, 'meta', ''),
    (8, 'lore', ''), (9, 'oc', ''), (10, 'rating', ''), (11, 'body-type', ''),
    (12, 'origin', ''), (13, 'error', ''), (14, 'spoiler', ''), (15, 'content-official', ''),
    (16, 'content-fanmade', ''), (17, 'contributor', ''), (18, 'organization', ''),
    (19, 'deprecated', '');

-- format_id, type_id (the site's own number) -> type_name_id; description holds
-- the type name, as the Python builder's seed rows do.
INSERT OR IGNORE INTO TAG_TYPE_FORMAT_MAPPING (format_id, type_id, type_name_id, description) VALUES
    -- 1 danbooru
    (1, 0, 1, 'general'), (1, 1, 2, 'artist'), (1, 3, 3, 'copyright'), (1, 4, 4, 'character'), (1, 5, 7, 'meta'),
    -- 2 e621
    (2, 0, 1, 'general'), (2, 1, 2, 'artist'), (2, 2, 17, 'contributor'), (2, 3, 3, 'copyright'),
    (2, 4, 4, 'character'), (2, 5, 5, 'species'), (2, 6, 6, 'invalid'), (2, 7, 7, 'meta'), (2, 8, 8, 'lore'),
    -- 3 derpibooru
    (3, 0, 1, 'general'), (3, 1, 15, 'content-official'), (3, 2, 1, 'general'), (3, 3, 5, 'species'),
    (3, 4, 9, 'oc'), (3, 5, 10, 'rating'), (3, 6, 11, 'body-type'), (3, 7, 7, 'meta'), (3, 8, 12, 'origin'),
    (3, 9, 13, 'error'), (3, 10, 14, 'spoiler'), (3, 11, 16, 'content-fanmade'),
    -- 4 safebooru
    (4, 0, 1, 'general'), (4, 1, 2, 'artist'), (4, 3, 3, 'copyright'), (4, 4, 4, 'character'), (4, 5, 7, 'meta'),
    -- 5 allthefallen
    (5, 0, 1, 'general'), (5, 1, 2, 'artist'), (5, 3, 3, 'copyright'), (5, 4, 4, 'character'), (5, 5, 7, 'meta'),
    -- 6 sankaku
    (6, 0, 1, 'general'), (6, 1, 2, 'artist'), (6, 2, 18, 'organization'), (6, 3, 3, 'copyright'),
    (6, 4, 4, 'character'), (6, 8, 7, 'meta'), (6, 9, 7, 'meta'),
    -- 7 gelbooru
    (7, 0, 1, 'general'), (7, 1, 2, 'artist'), (7, 3, 3, 'copyright'), (7, 4, 4, 'character'), (7, 5, 7, 'meta'),
    (7, 6, 19, 'deprecated'),
    -- 8 rule34, 9 xbooru, 10 hypnohub
    (8, 0, 1, 'general'), (8, 1, 2, 'artist'), (8, 3, 3, 'copyright'), (8, 4, 4, 'character'), (8, 5, 7, 'meta'),
    (9, 0, 1, 'general'), (9, 1, 2, 'artist'), (9, 3, 3, 'copyright'), (9, 4, 4, 'character'), (9, 5, 7, 'meta'),
    (10, 0, 1, 'general'), (10, 1, 2, 'artist'), (10, 3, 3, 'copyright'), (10, 4, 4, 'character'), (10, 5, 7, 'meta'),
    -- 11 konachan, 12 konachan-net
    (11, 0, 1, 'general'), (11, 1, 2, 'artist'), (11, 3, 3, 'copyright'), (11, 4, 4, 'character'), (11, 5, 7, 'meta'),
    (11, 6, 18, 'organization'),
    (12, 0, 1, 'general'), (12, 1, 2, 'artist'), (12, 3, 3, 'copyright'), (12, 4, 4, 'character'), (12, 5, 7, 'meta'),
    (12, 6, 18, 'organization'),
    -- 13 lolibooru
    (13, 0, 1, 'general'), (13, 1, 2, 'artist'), (13, 3, 3, 'copyright'), (13, 4, 4, 'character'),
    (13, 5, 18, 'organization'), (13, 6, 7, 'meta'),
    -- 14 anime-pictures
    (14, 0, 7, 'meta'), (14, 1, 4, 'character'), (14, 2, 1, 'general'), (14, 3, 3, 'copyright'),
    (14, 4, 2, 'artist'), (14, 5, 3, 'copyright'), (14, 6, 3, 'copyright'), (14, 7, 1, 'general'),
    -- 16 yandere
    (16, 0, 1, 'general'), (16, 1, 2, 'artist'), (16, 3, 3, 'copyright'), (16, 4, 4, 'character'), (16, 5, 7, 'meta'),
    (16, 6, 7, 'meta');
