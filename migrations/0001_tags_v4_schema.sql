-- The tags_v4-compatible schema, exactly as the Python builder's SCHEMA_SQL
-- (python-builder-spec §2.1). CREATE ... IF NOT EXISTS lets the same file adopt
-- a file published by the Python builder: existing tables are left as they are
-- and later migrations add what they lack.
CREATE TABLE IF NOT EXISTS TAGS (
    tag_id INTEGER NOT NULL PRIMARY KEY,
    source_tag TEXT NOT NULL,
    tag TEXT NOT NULL,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    UNIQUE (tag)
);

CREATE TABLE IF NOT EXISTS TAG_FORMATS (
    format_id INTEGER NOT NULL PRIMARY KEY,
    format_name TEXT NOT NULL,
    description TEXT,
    UNIQUE (format_name)
);

CREATE TABLE IF NOT EXISTS TAG_TYPE_NAME (
    type_name_id INTEGER NOT NULL PRIMARY KEY,
    type_name TEXT NOT NULL,
    description TEXT,
    UNIQUE (type_name)
);

CREATE TABLE IF NOT EXISTS TAG_TYPE_FORMAT_MAPPING (
    format_id INTEGER NOT NULL,
    type_id INTEGER NOT NULL,
    type_name_id INTEGER NOT NULL,
    description TEXT,
    PRIMARY KEY (format_id, type_id),
    FOREIGN KEY (format_id) REFERENCES TAG_FORMATS (format_id),
    FOREIGN KEY (type_name_id) REFERENCES TAG_TYPE_NAME (type_name_id)
);

CREATE TABLE IF NOT EXISTS TAG_STATUS (
    tag_id INTEGER NOT NULL,
    format_id INTEGER NOT NULL,
    type_id INTEGER NOT NULL,
    alias BOOLEAN NOT NULL,
    preferred_tag_id INTEGER NOT NULL,
    deprecated BOOLEAN NOT NULL DEFAULT 0,
    deprecated_at DATETIME NULL,
    source_created_at DATETIME NULL,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    PRIMARY KEY (tag_id, format_id),
    FOREIGN KEY (tag_id) REFERENCES TAGS (tag_id),
    FOREIGN KEY (format_id) REFERENCES TAG_FORMATS (format_id),
    FOREIGN KEY (preferred_tag_id) REFERENCES TAGS (tag_id),
    FOREIGN KEY (format_id, type_id) REFERENCES TAG_TYPE_FORMAT_MAPPING (format_id, type_id),
    CONSTRAINT ck_preferred_tag_consistency CHECK (
        (alias = false AND preferred_tag_id = tag_id) OR (alias = true AND preferred_tag_id != tag_id)
    )
);

CREATE TABLE IF NOT EXISTS TAG_TRANSLATIONS (
    translation_id INTEGER NOT NULL PRIMARY KEY,
    tag_id INTEGER NOT NULL,
    language TEXT,
    translation TEXT,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    FOREIGN KEY (tag_id) REFERENCES TAGS (tag_id),
    UNIQUE (tag_id, language, translation)
);

CREATE TABLE IF NOT EXISTS TAG_USAGE_COUNTS (
    tag_id INTEGER NOT NULL,
    format_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    PRIMARY KEY (tag_id, format_id),
    FOREIGN KEY (tag_id) REFERENCES TAGS (tag_id),
    FOREIGN KEY (format_id) REFERENCES TAG_FORMATS (format_id),
    UNIQUE (tag_id, format_id)
);

CREATE TABLE IF NOT EXISTS DATABASE_METADATA (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
