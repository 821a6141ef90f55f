package migrations_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
)

// pythonSchema is the Python builder's SCHEMA_SQL and REQUIRED_INDEXES
// (docs/reader-contract.md, "Files from the Python builder"), verbatim but for
// the marker that stands for the three TAG_STATUS columns added on 2025-12-18.
const pythonSchema = `
CREATE TABLE IF NOT EXISTS TAGS (tag_id INTEGER NOT NULL PRIMARY KEY, source_tag TEXT NOT NULL, tag TEXT NOT NULL,
  created_at DATETIME DEFAULT (CURRENT_TIMESTAMP), updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP), UNIQUE(tag));
CREATE TABLE IF NOT EXISTS TAG_FORMATS (format_id INTEGER NOT NULL PRIMARY KEY, format_name TEXT NOT NULL, description TEXT, UNIQUE(format_name));
CREATE TABLE IF NOT EXISTS TAG_TYPE_NAME (type_name_id INTEGER NOT NULL PRIMARY KEY, type_name TEXT NOT NULL, description TEXT, UNIQUE(type_name));
CREATE TABLE IF NOT EXISTS TAG_TYPE_FORMAT_MAPPING (format_id INTEGER NOT NULL, type_id INTEGER NOT NULL, type_name_id INTEGER NOT NULL,
  description TEXT, PRIMARY KEY (format_id, type_id), FOREIGN KEY(format_id) REFERENCES TAG_FORMATS(format_id),
  FOREIGN KEY(type_name_id) REFERENCES TAG_TYPE_NAME(type_name_id));
CREATE TABLE IF NOT EXISTS TAG_STATUS (tag_id INTEGER NOT NULL, format_id INTEGER NOT NULL, type_id INTEGER NOT NULL,
  alias BOOLEAN NOT NULL, preferred_tag_id INTEGER NOT NULL, @DEPRECATION@ created_at DATETIME DEFAULT (CURRENT_TIMESTAMP), updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
  PRIMARY KEY (tag_id, format_id), FOREIGN KEY(tag_id) REFERENCES TAGS(tag_id), FOREIGN KEY(format_id) REFERENCES TAG_FORMATS(format_id),
  FOREIGN KEY(preferred_tag_id) REFERENCES TAGS(tag_id),
  FOREIGN KEY(format_id, type_id) REFERENCES TAG_TYPE_FORMAT_MAPPING(format_id, type_id),
  CONSTRAINT ck_preferred_tag_consistency CHECK ((alias = false AND preferred_tag_id = tag_id) OR (alias = true AND preferred_tag_id != tag_id)));
CREATE TABLE IF NOT EXISTS TAG_TRANSLATIONS (translation_id INTEGER NOT NULL PRIMARY KEY, tag_id INTEGER NOT NULL, language TEXT,
  translation TEXT, created_at DATETIME DEFAULT (CURRENT_TIMESTAMP), updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
  FOREIGN KEY(tag_id) REFERENCES TAGS(tag_id), UNIQUE(tag_id, language, translation));
CREATE TABLE IF NOT EXISTS TAG_USAGE_COUNTS (tag_id INTEGER NOT NULL, format_id INTEGER NOT NULL, count INTEGER NOT NULL,
  created_at DATETIME DEFAULT (CURRENT_TIMESTAMP), updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP), PRIMARY KEY (tag_id, format_id),
  FOREIGN KEY(tag_id) REFERENCES TAGS(tag_id), FOREIGN KEY(format_id) REFERENCES TAG_FORMATS(format_id), UNIQUE(tag_id, format_id));
CREATE TABLE IF NOT EXISTS DATABASE_METADATA (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);
@APPEND@
CREATE INDEX IF NOT EXISTS idx_tags_tag ON TAGS(tag);
CREATE INDEX IF NOT EXISTS idx_tags_source_tag ON TAGS(source_tag);
CREATE INDEX IF NOT EXISTS idx_tag_status_format ON TAG_STATUS(format_id);
CREATE INDEX IF NOT EXISTS idx_tag_status_type ON TAG_STATUS(type_id);
CREATE INDEX IF NOT EXISTS idx_tag_status_preferred ON TAG_STATUS(preferred_tag_id);
CREATE INDEX IF NOT EXISTS idx_translations_tag_lang ON TAG_TRANSLATIONS(tag_id, language);
CREATE INDEX IF NOT EXISTS idx_translations_text ON TAG_TRANSLATIONS(translation);
CREATE INDEX IF NOT EXISTS idx_usage_counts_count ON TAG_USAGE_COUNTS(count DESC);
`

const deprecationColumns = `deprecated BOOLEAN NOT NULL DEFAULT 0, deprecated_at DATETIME NULL, source_created_at DATETIME NULL,`

const deprecationAlters = `
ALTER TABLE TAG_STATUS ADD COLUMN deprecated BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE TAG_STATUS ADD COLUMN deprecated_at DATETIME NULL;
ALTER TABLE TAG_STATUS ADD COLUMN source_created_at DATETIME NULL;`

// pythonRows is what a small published file holds: part of the master data
// (the migrations add the rest), an auto-added mapping as the Python repair
// writes for type -1, an alias, translations, counts and the version row.
const pythonRows = `
INSERT INTO TAG_FORMATS VALUES (0, 'unknown', ''), (1, 'danbooru', ''), (2, 'e621', ''), (15, 'wallhaven', '');
INSERT INTO TAG_TYPE_NAME VALUES (0, 'unknown', ''), (1, 'general', ''), (2, 'artist', '');
INSERT INTO TAG_TYPE_FORMAT_MAPPING VALUES (1, 0, 1, 'general'), (2, 0, 1, 'general'), (15, -1, 0, 'auto-added (unknown)');
INSERT INTO TAGS (tag_id, source_tag, tag, created_at, updated_at) VALUES
  (1, 'cat_ears', 'cat ears', '2024-01-01 00:00:00', '2024-01-02 03:04:05'),
  (2, 'nekomimi', 'nekomimi', '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (3, 'scenery', 'scenery', '2024-01-01 00:00:00', '2024-01-01 00:00:00');
INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id, created_at, updated_at) VALUES
  (1, 1, 0, 0, 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (2, 1, 0, 1, 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (3, 2, 0, 0, 3, '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (3, 15, -1, 0, 3, '2024-01-01 00:00:00', '2024-01-01 00:00:00');
INSERT INTO TAG_TRANSLATIONS (translation_id, tag_id, language, translation) VALUES (1, 1, 'ja', '猫耳'), (2, 1, 'zh', '猫耳');
INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count, created_at, updated_at) VALUES
  (1, 1, 123, '2024-01-01 00:00:00', '2024-01-01 00:00:00'), (3, 2, 5, '2023-05-01T12:00:00.123+00:00', '2024-01-01 00:00:00');
INSERT INTO DATABASE_METADATA VALUES ('version', 'v2025.12.20.1');`

type layout int

const (
	ddlOrder layout = iota // the three columns in SCHEMA_SQL order (a file created after 2025-12-18)
	appended               // added by ALTER TABLE after updated_at (an older file upgraded by migrate_db.py)
	missing                // an older file never upgraded
)

// pythonFile writes a database as the Python builder would have published it,
// with page_size 4096, incremental auto-vacuum and, like every published file,
// journal_mode=WAL.
func pythonFile(t *testing.T, path string, l layout) {
	t.Helper()
	ddl := pythonSchema
	switch l {
	case ddlOrder:
		ddl = strings.NewReplacer("@DEPRECATION@", deprecationColumns, "@APPEND@", "").Replace(ddl)
	case appended:
		ddl = strings.NewReplacer("@DEPRECATION@", "", "@APPEND@", deprecationAlters).Replace(ddl)
	case missing:
		ddl = strings.NewReplacer("@DEPRECATION@", "", "@APPEND@", "").Replace(ddl)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{`PRAGMA page_size = 4096`, `PRAGMA auto_vacuum = INCREMENTAL`, ddl, pythonRows} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("python fixture: %v\n%s", err, q)
		}
	}
	if l != missing {
		if _, err := db.Exec(`UPDATE TAG_STATUS SET deprecated = 1, source_created_at = '2023-05-01T12:00:00.123456+09:00' WHERE tag_id = 2`); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{`ANALYZE`, `PRAGMA journal_mode = WAL`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// dump renders the named columns of every row of a table, in key order, so
// that row contents can be compared across column orders.
func dump(t *testing.T, path, table, cols, order string) string {
	t.Helper()
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(fmt.Sprintf(`SELECT %s FROM %s ORDER BY %s`, cols, table, order))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := len(strings.Split(cols, ","))
	var b strings.Builder
	for rows.Next() {
		vals := make([]sql.NullString, n)
		dest := make([]any, n)
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			fmt.Fprintf(&b, "%v|", v)
		}
		b.WriteString("\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// embeddedFS copies the embedded migrations into a MapFS that tests can edit.
func embeddedFS(t *testing.T) fstest.MapFS {
	t.Helper()
	migs, err := migrations.List(nil)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, m := range migs {
		fsys[m.File] = &fstest.MapFile{Data: []byte(m.SQL)}
	}
	return fsys
}
