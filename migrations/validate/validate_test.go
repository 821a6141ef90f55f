package validate_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/migrations/validate"
)

// rows are valid data for every reader invariant, with datetimes in several
// accepted spellings.
const rows = `
INSERT INTO TAGS (tag_id, source_tag, tag, created_at, updated_at) VALUES
  (1, 'cat_ears', 'cat ears', '2024-01-01 00:00:00', '2024-01-01T00:00:00.5+09:00'),
  (2, 'nekomimi', 'nekomimi', '2024-01-01', NULL),
  (3, 'scenery', 'scenery', '20240101T120000', '2024-W01-1 12:00');
INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id, deprecated, source_created_at) VALUES
  (1, 1, 0, 0, 1, 0, '2013-02-03T04:05:06.789Z'), (2, 1, 0, 1, 1, 1, NULL), (3, 2, 5, 0, 3, 0, NULL);
INSERT INTO TAG_TRANSLATIONS (translation_id, tag_id, language, translation) VALUES (1, 1, 'ja', '猫耳'), (2, 1, 'zh', NULL);
INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) VALUES (1, 1, 123), (3, 2, 5);
INSERT INTO DATABASE_METADATA VALUES ('version', 'v2026.01.02.1');
INSERT INTO TAG_PREFIX_TOP (prefix, rank, tag_id, count) VALUES ('c', 1, 1, 123), ('s', 1, 3, 5), ('sc', 1, 3, 5);`

// template is a migrated, empty file made once per test binary (migrating
// costs more than copying).
var template struct {
	once sync.Once
	data []byte
	err  error
}

// fixture is a migrated file with rows; edit runs SQL on it first.
func fixture(t *testing.T, edit ...string) string {
	t.Helper()
	ctx := context.Background()
	template.once.Do(func() {
		dir, err := os.MkdirTemp("", "validate-template")
		if err != nil {
			template.err = err
			return
		}
		defer os.RemoveAll(dir)
		p := filepath.Join(dir, "t.sqlite")
		if _, template.err = migrations.MigrateFile(ctx, p, migrations.Options{}); template.err == nil {
			template.data, template.err = os.ReadFile(p)
		}
	})
	if template.err != nil {
		t.Fatal(template.err)
	}
	path := filepath.Join(t.TempDir(), "db.sqlite")
	if err := os.WriteFile(path, template.data, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range append([]string{rows}, edit...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	return path
}

func run(t *testing.T, path string, opts validate.Options) *validate.Report {
	t.Helper()
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep, err := validate.Run(context.Background(), db, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// recreate rebuilds a table from its own DDL with one textual edit, keeping
// its rows: how a file with a different schema is made.
func recreate(table, from, to string) string {
	return "@recreate " + table + "\x00" + from + "\x00" + to
}

func applyEdits(t *testing.T, path string, edits []string) {
	t.Helper()
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, e := range edits {
		if !strings.HasPrefix(e, "@recreate ") {
			if _, err := db.Exec(e); err != nil {
				t.Fatalf("%v\n%s", err, e)
			}
			continue
		}
		p := strings.Split(strings.TrimPrefix(e, "@recreate "), "\x00")
		table, from, to := p[0], p[1], p[2]
		var ddl string
		if err := db.QueryRow(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&ddl); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ddl, from) {
			t.Fatalf("%s DDL has no %q:\n%s", table, from, ddl)
		}
		newDDL := strings.Replace(ddl, from, to, 1)
		for _, q := range []string{
			`PRAGMA ignore_check_constraints = ON`,
			`CREATE TEMP TABLE keep AS SELECT * FROM ` + table,
			`DROP TABLE ` + table,
			newDDL,
		} {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%v\n%s", err, q)
			}
		}
		// Copy back by name: the new table may lack or reorder columns.
		var cols []string
		r, err := db.Query(`SELECT name FROM pragma_table_info(?) WHERE name IN (SELECT name FROM pragma_table_info('keep'))`, table)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var c string
			r.Scan(&c)
			cols = append(cols, c)
		}
		r.Close()
		list := strings.Join(cols, ", ")
		for _, q := range []string{
			`INSERT INTO ` + table + ` (` + list + `) SELECT ` + list + ` FROM keep`,
			`DROP TABLE keep`,
			`PRAGMA ignore_check_constraints = OFF`,
		} {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%v\n%s", err, q)
			}
		}
	}
}

func TestValidFile(t *testing.T) {
	rep := run(t, fixture(t), validate.Options{})
	if !rep.OK() {
		t.Fatalf("problems in a valid file:\n%s", strings.Join(rep.Problems, "\n"))
	}
	if len(rep.Notes) != 0 {
		t.Errorf("notes for a file made by the migrations: %v", rep.Notes)
	}
}

// TestBrokenFiles makes one thing wrong at a time; each must fail validation
// with a line that names the table and the column or row.
func TestBrokenFiles(t *testing.T) {
	tests := []struct {
		name  string
		edits []string
		want  string
	}{
		{"dropped column", []string{`ALTER TABLE TAG_FORMATS DROP COLUMN license`},
			"TAG_FORMATS.license: column missing (expected TEXT)"},
		{"changed type", []string{recreate("TAG_USAGE_COUNTS", "count INTEGER NOT NULL", "count TEXT NOT NULL")},
			"TAG_USAGE_COUNTS.count: expected type affinity INTEGER (declared INTEGER), got TEXT (declared TEXT)"},
		{"missing CHECK", []string{recreate("TAG_STATUS", "CONSTRAINT ck_preferred_tag_consistency CHECK (", "CHECK (1 OR ")},
			"TAG_STATUS: missing CONSTRAINT ck_preferred_tag_consistency CHECK ((alias = false and preferred_tag_id = tag_id) or (alias = true and preferred_tag_id != tag_id))"},
		{"CHECK changed", []string{recreate("TAG_STATUS", "preferred_tag_id != tag_id", "preferred_tag_id > 0")},
			"TAG_STATUS: CHECK ck_preferred_tag_consistency differs"},
		{"alias = 2", []string{`PRAGMA ignore_check_constraints = ON`, `UPDATE TAG_STATUS SET alias = 2 WHERE tag_id = 2`},
			"TAG_STATUS.alias: value other than integer 0 or 1 in 1 row (readers filter with alias IS 1 / = 0): (tag_id=2, format_id=1) alias=2"},
		{"alias = 'true'", []string{`PRAGMA ignore_check_constraints = ON`, `UPDATE TAG_STATUS SET alias = 'true' WHERE tag_id = 2`},
			"TAG_STATUS.alias: value other than integer 0 or 1 in 1 row (readers filter with alias IS 1 / = 0): (tag_id=2, format_id=1) alias='true'"},
		{"deprecated = 5", []string{`UPDATE TAG_STATUS SET deprecated = 5 WHERE tag_id = 3`},
			"TAG_STATUS.deprecated: value other than integer 0 or 1 in 1 row (readers filter with alias IS 1 / = 0): (tag_id=3, format_id=2) deprecated=5"},
		{"alias inconsistent", []string{`PRAGMA ignore_check_constraints = ON`, `UPDATE TAG_STATUS SET preferred_tag_id = 3 WHERE tag_id = 1`},
			"TAG_STATUS.alias/preferred_tag_id: alias/preferred_tag_id mismatch in 1 row (alias=0 needs preferred_tag_id = tag_id, alias=1 a different tag): (tag_id=1, format_id=1) alias=0 preferred_tag_id=3"},
		{"nullable alias", []string{recreate("TAG_STATUS", "alias BOOLEAN NOT NULL", "alias BOOLEAN")},
			"TAG_STATUS.alias: expected NOT NULL, got nullable"},
		{"default changed", []string{recreate("TAG_STATUS", "deprecated BOOLEAN NOT NULL DEFAULT 0", "deprecated BOOLEAN NOT NULL DEFAULT 1")},
			"TAG_STATUS.deprecated: expected default 0, got 1"},
		{"primary key changed", []string{recreate("TAG_USAGE_COUNTS", "PRIMARY KEY (tag_id, format_id)", "PRIMARY KEY (tag_id, format_id, count)")},
			"TAG_USAGE_COUNTS: expected PRIMARY KEY (tag_id, format_id), got (tag_id, format_id, count)"},
		{"missing UNIQUE", []string{recreate("TAGS", ",\n    UNIQUE (tag)", "")},
			"TAGS: missing UNIQUE (tag)"},
		{"missing composite foreign key", []string{recreate("TAG_STATUS", "FOREIGN KEY (format_id, type_id) REFERENCES TAG_TYPE_FORMAT_MAPPING (format_id, type_id),", "")},
			"TAG_STATUS: missing FOREIGN KEY (format_id, type_id) REFERENCES TAG_TYPE_FORMAT_MAPPING (format_id, type_id)"},
		{"missing table", []string{`DROP TABLE DATABASE_METADATA`}, "DATABASE_METADATA: table missing"},
		{"foreign key violation", []string{`INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) VALUES (99, 1, 1)`},
			"TAG_USAGE_COUNTS: FOREIGN KEY (tag_id) REFERENCES TAGS (tag_id) violated in 1 row: (tag_id=99, format_id=1)"},
		{"foreign key of the master data", []string{`INSERT INTO TAG_TYPE_FORMAT_MAPPING (format_id, type_id, type_name_id) VALUES (1, 99, 77)`},
			"TAG_TYPE_FORMAT_MAPPING: FOREIGN KEY (type_name_id) REFERENCES TAG_TYPE_NAME (type_name_id) violated in 1 row: (format_id=1, type_id=99)"},
		{"type mapping missing", []string{`INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id) VALUES (3, 15, -1, 0, 3)`},
			"TAG_STATUS.format_id/type_id: (format_id, type_id) missing from TAG_TYPE_FORMAT_MAPPING in 1 row (readers resolve type names through it): (format_id=15, type_id=-1) in 1 row"},
		{"NULL language", []string{`INSERT INTO TAG_TRANSLATIONS (translation_id, tag_id, language, translation) VALUES (3, 1, NULL, 'x')`},
			"TAG_TRANSLATIONS.language: NULL in 1 row (readers sort the languages and fail on NULL): (translation_id=3) language=NULL translation='x'"},
		{"bad datetimes", []string{`UPDATE TAG_STATUS SET source_created_at = 1700000000 WHERE tag_id = 2`,
			`UPDATE TAG_STATUS SET source_created_at = '2024/01/01' WHERE tag_id = 3`},
			"TAG_STATUS.source_created_at: value neither NULL nor ISO-8601 text in 2 rows (readers parse it with Python's datetime.fromisoformat): 1700000000 (integer) in 1 row; '2024/01/01' in 1 row"},
		{"datetime past the month", []string{`UPDATE TAGS SET created_at = '2023-02-29 10:00:00' WHERE tag_id = 1`},
			"TAGS.created_at: value neither NULL nor ISO-8601 text in 1 row (readers parse it with Python's datetime.fromisoformat): '2023-02-29 10:00:00' in 1 row"},
		// A row whose updated_at equals its created_at is normally checked
		// once, by created_at's rule; a bad pair must still name both.
		{"bad created_at copied to updated_at (created_at)", []string{`UPDATE TAGS SET created_at = '2024/01/01', updated_at = '2024/01/01' WHERE tag_id = 2`},
			"TAGS.created_at: value neither NULL nor ISO-8601 text in 1 row (readers parse it with Python's datetime.fromisoformat): '2024/01/01' in 1 row"},
		{"bad created_at copied to updated_at (updated_at)", []string{`UPDATE TAGS SET created_at = '2024/01/01', updated_at = '2024/01/01' WHERE tag_id = 2`},
			"TAGS.updated_at: value neither NULL nor ISO-8601 text in 1 row (readers parse it with Python's datetime.fromisoformat): '2024/01/01' in 1 row"},
		// The most common value of a column is checked once and then skipped
		// row by row, but only when it is valid.
		{"common bad datetime", []string{
			`WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n WHERE i < 209)
			 INSERT INTO TAGS (tag_id, source_tag, tag, created_at, updated_at)
			 SELECT i, 't' || i, 't' || i, '2024-05-05 05:05:05', iif(i % 2 = 0, '2024-01-01 25:00:00', '2024-05-05 05:05:05') FROM n`},
			"TAGS.updated_at: value neither NULL nor ISO-8601 text in 100 rows (readers parse it with Python's datetime.fromisoformat): '2024-01-01 25:00:00' in 100 rows"},
		{"integer datetime", []string{`UPDATE TAG_STATUS SET created_at = 20240101`},
			"TAG_STATUS.created_at: value neither NULL nor ISO-8601 text in 3 rows (readers parse it with Python's datetime.fromisoformat): 20240101 (integer) in 3 rows"},
		{"tag_id too large", []string{`INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (1000000000, 'x', 'x')`},
			"TAGS.tag_id: tag_id >= 1000000000 in 1 row (reserved for user tags): (tag_id=1000000000) tag='x'"},
		{"format_id too large", []string{`INSERT INTO TAG_FORMATS (format_id, format_name) VALUES (1000, 'mine')`},
			"TAG_FORMATS.format_id: format_id outside 0..999 in 1 row (1000+ is reserved for user databases): (format_id=1000) format_name='mine'"},
		{"master name changed", []string{`UPDATE TAG_FORMATS SET format_name = 'danbooru2' WHERE format_id = 1`},
			`TAG_FORMATS: format_id 1 is "danbooru2", expected "danbooru"`},
		{"master row missing", []string{`DELETE FROM TAG_TYPE_NAME WHERE type_name_id = 19`},
			"TAG_TYPE_NAME: type_name_id 19 (deprecated) missing"},
		{"mapping emptied", []string{`DELETE FROM TAG_TYPE_FORMAT_MAPPING WHERE type_id != 0 AND NOT (format_id = 2 AND type_id = 5)`},
			"TAG_TYPE_FORMAT_MAPPING: 80 master rows missing or different: (format_id=1, type_id=1) missing, expected type_name_id 2;"},
		{"prefix table: wrong count", []string{`UPDATE TAG_PREFIX_TOP SET count = 7 WHERE prefix = 's'`},
			`TAG_PREFIX_TOP: count is not the tag's highest usage count in 1 row (readers' autocomplete shows these rows as they are): prefix "s" rank 1 tag_id 3`},
		{"prefix table: rank gap", []string{`UPDATE TAG_PREFIX_TOP SET rank = 2 WHERE prefix = 'sc'`},
			`TAG_PREFIX_TOP: ranks not 1, 2, 3, … in a prefix in 1 row`},
		{"prefix table: alias-only tag", []string{`INSERT INTO TAG_PREFIX_TOP VALUES ('n', 1, 2, 0)`},
			`TAG_PREFIX_TOP: tag without a non-alias status row in 1 row`},
		{"prefix table: tag without the prefix", []string{`INSERT INTO TAG_PREFIX_TOP VALUES ('x', 1, 1, 123)`},
			`TAG_PREFIX_TOP: tag does not start with the prefix in 1 row`},
		{"prefix table: upper case", []string{`INSERT INTO TAG_PREFIX_TOP VALUES ('Ca', 1, 1, 123)`},
			`TAG_PREFIX_TOP: prefix empty or not lower-cased as NOCASE folds it in 1 row`},
		{"prefix table: out of order", []string{`INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (4, 'cake', 'cake')`,
			`INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id) VALUES (4, 1, 0, 0, 4)`,
			`INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) VALUES (4, 1, 500)`,
			`INSERT INTO TAG_PREFIX_TOP VALUES ('c', 2, 4, 500)`},
			`TAG_PREFIX_TOP: not in ranking order (count, then tag_id) in 1 row`},
		{"prefix table: a tag missing from a list", []string{`INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (4, 'cake', 'cake')`,
			`INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id) VALUES (4, 1, 0, 0, 4)`,
			`INSERT INTO TAG_USAGE_COUNTS (tag_id, format_id, count) VALUES (4, 1, 500)`},
			`TAG_PREFIX_TOP: 1 prefixes differ from a recomputation from TAGS, TAG_STATUS and TAG_USAGE_COUNTS (rebuild the table or empty it): "c" holds tag_ids [1], its top tags are [4]`},
		{"prefix table: a tag that is no longer there", []string{`INSERT INTO TAG_PREFIX_TOP VALUES ('e', 1, 99, 0)`},
			"TAG_PREFIX_TOP: FOREIGN KEY (tag_id) REFERENCES TAGS (tag_id) violated in 1 row"},
		{"version missing", []string{`DELETE FROM DATABASE_METADATA`}, "DATABASE_METADATA: no 'version' row"},
		{"version empty", []string{`UPDATE DATABASE_METADATA SET value = ' ' WHERE key = 'version'`}, "DATABASE_METADATA.version: empty value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := fixture(t)
			applyEdits(t, path, tt.edits)
			rep := run(t, path, validate.Options{})
			if rep.OK() {
				t.Fatalf("validation passed; notes: %v", rep.Notes)
			}
			found := false
			for _, p := range rep.Problems {
				found = found || strings.Contains(p, tt.want)
			}
			if !found {
				t.Errorf("no problem contains %q; problems:\n%s", tt.want, strings.Join(rep.Problems, "\n"))
			}
		})
	}
}

// Extra things readers ignore, and missing secondary indexes, are notes.
func TestNotesDoNotFail(t *testing.T) {
	path := fixture(t,
		`CREATE TABLE extra (x)`,
		`ALTER TABLE TAGS ADD COLUMN mood TEXT`,
		`DROP INDEX ix_tags_tag_nocase`,
		`CREATE INDEX my_index ON TAGS (source_tag)`,
		`PRAGMA user_version = 3`,
		`PRAGMA journal_mode = WAL`,
		`ANALYZE`,
	)
	rep := run(t, path, validate.Options{})
	if !rep.OK() {
		t.Fatalf("problems: %v", rep.Problems)
	}
	notes := strings.Join(rep.Notes, "\n")
	for _, want := range []string{
		"extra: extra table", "TAGS.mood: extra column", "TAGS: index ix_tags_tag_nocase on (tag COLLATE NOCASE) missing",
		"TAGS: extra index my_index", "file is in WAL mode", "schema version (user_version) is",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "sqlite_stat1") {
		t.Error("sqlite_stat1 reported")
	}
	rep = run(t, path, validate.Options{RequireDeleteJournal: true})
	if rep.OK() || !strings.Contains(rep.Problems[0], "WAL mode") {
		t.Errorf("--require-delete-journal: %v", rep.Problems)
	}

	// A Python-builder file has no schema_migrations table: a note.
	rep = run(t, fixture(t, `DROP TABLE schema_migrations`), validate.Options{})
	if !rep.OK() || len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "no schema_migrations table") {
		t.Errorf("without schema_migrations: %+v", rep)
	}
}

// An empty migrated file (what `tagdb migrate` makes) passes: without tags
// there is nothing to version yet.
func TestEmptyMigratedFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "empty.sqlite")
	if _, err := migrations.MigrateFile(ctx, path, migrations.Options{}); err != nil {
		t.Fatal(err)
	}
	rep := run(t, path, validate.Options{})
	if !rep.OK() || len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "no 'version' row") {
		t.Errorf("report = %+v", rep)
	}
}

// An index whose entries no longer match its table (its definition was
// rewritten) is found by integrity_check, the full mode; quick_check, the
// default, only counts index entries and misses it, as documented.
func TestIntegrityCheck(t *testing.T) {
	path := fixture(t)
	rewriteSchema(t, path, `UPDATE sqlite_schema SET sql = 'CREATE INDEX ix_tags_source_tag_nocase ON TAGS (tag)' WHERE name = 'ix_tags_source_tag_nocase'`)
	rep := run(t, path, validate.Options{})
	want := "integrity_check(TAGS): row 1 missing from index ix_tags_source_tag_nocase"
	if !strings.Contains(strings.Join(rep.Problems, "\n"), want) {
		t.Errorf("integrity_check: no %q in %v", want, rep.Problems)
	}
	rep = run(t, path, validate.Options{Quick: true})
	for _, p := range rep.Problems {
		if strings.Contains(p, "_check") {
			t.Errorf("quick_check reported the index contents: %s", p)
		}
	}
	rep = run(t, path, validate.Options{SchemaOnly: true})
	for _, p := range rep.Problems {
		if strings.Contains(p, "_check") {
			t.Errorf("SchemaOnly ran a data check: %s", p)
		}
	}
}

// rewriteSchema edits sqlite_schema directly, the way damage that SQLite's
// own statements would refuse is made.
func rewriteSchema(t *testing.T, path string, edits ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range append([]string{`PRAGMA writable_schema = ON`}, edits...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
}

func TestReportOutput(t *testing.T) {
	path := fixture(t)
	applyEdits(t, path, []string{
		`ALTER TABLE TAG_FORMATS DROP COLUMN license`,
		recreate("TAG_STATUS", "alias BOOLEAN NOT NULL", "alias BOOLEAN"),
		`PRAGMA ignore_check_constraints = ON`,
		`UPDATE TAG_STATUS SET alias = 2 WHERE tag_id = 2`,
		`INSERT INTO TAG_TRANSLATIONS (translation_id, tag_id, language, translation) VALUES (3, 1, NULL, 'x')`,
		`CREATE TABLE extra (x)`,
	})
	rep := run(t, path, validate.Options{})
	var text, js bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, text.Bytes(), filepath.Join("testdata", "report.golden.txt"))
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var out struct {
		OK       bool     `json:"ok"`
		Problems []string `json:"problems"`
		Notes    []string `json:"notes"`
	}
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.OK || len(out.Problems) != len(rep.Problems) || len(out.Notes) != len(rep.Notes) {
		t.Errorf("json = %s", js.String())
	}
}
