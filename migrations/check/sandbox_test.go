package check

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitetest"
	"github.com/tagdb/tagdb-action/migrations/check/checktest"
)

// endless is a query that never ends; grow inserts without end.
const (
	endless = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c`
	grow    = `WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT zeroblob(4096) FROM r`
	// growFromTags grows without end from the published tags, and does
	// nothing on an empty database.
	growFromTags = `WITH RECURSIVE r(i) AS (SELECT tag_id FROM TAGS UNION ALL SELECT i + 1 FROM r) SELECT zeroblob(4096) FROM r`
)

// TestUntrustedMigrations checks a pull request's migration that escapes
// the sandbox, runs without end or grows without bound: each fails the
// check with a message naming the file, the rule and the statement, and
// leaves the published database, the migration files and every path outside
// the check's scratch folder as they were.
func TestUntrustedMigrations(t *testing.T) {
	tests := []struct {
		name string
		sql  string // %OUT% is a path in a temp dir that must not be created, %BASE% the published database
		opts Options

		annot   string   // the failing annotation's title (substring)
		line    int      // its line in the new file
		message []string // substrings of its message
	}{
		{name: "ATTACH writes no file", sql: "-- escape\nATTACH DATABASE '%OUT%' AS x;\nCREATE TABLE x.t (a);\n",
			annot: "migration fails on an empty database", line: 2,
			message: []string{"ATTACH is refused", "the statement: ATTACH DATABASE"}},
		{name: "ATTACH of the published database changes nothing", sql: "ATTACH '%BASE%' AS pub;\nDELETE FROM pub.TAGS;\n",
			annot: "migration fails on an empty database", line: 1, message: []string{"ATTACH is refused", "the statement: ATTACH '"}},
		{name: "VACUUM INTO writes no copy", sql: "VACUUM INTO '%OUT%';\n",
			annot: "migration fails on an empty database", line: 1, message: []string{"line 1"}},
		{name: "writable_schema", sql: "PRAGMA writable_schema = ON;\nUPDATE sqlite_schema SET sql = 'CREATE TABLE TAGS (x)' WHERE name = 'TAGS';\n",
			annot: "migration fails on an empty database", line: 1, message: []string{"PRAGMA writable_schema = ON is refused", "the statement: PRAGMA writable_schema = ON"}},
		{name: "load_extension", sql: "SELECT load_extension('%OUT%');\n",
			annot: "migration fails on an empty database", line: 1, message: []string{"load_extension() is refused", "the statement: SELECT load_extension("}},
		{name: "lifting the size limit", sql: "PRAGMA max_page_count = 2147483647;\n",
			annot: "migration fails on an empty database", line: 1, message: []string{"PRAGMA max_page_count = 2147483647 is refused"}},
		{name: "endless query on the empty database", sql: "SELECT 1;\nCREATE TABLE forever AS " + endless + ";\n", opts: Options{TimeLimit: 300 * time.Millisecond},
			annot: "migration fails on an empty database", line: 2,
			message: []string{"line 2: time limit exceeded: still running after 300ms, the limit for one migration", "the statement: CREATE TABLE forever AS WITH RECURSIVE"}},
		{name: "endless query only on the published rows", sql: "UPDATE TAGS SET tag = (" + endless + ");\n", opts: Options{TimeLimit: 300 * time.Millisecond},
			annot: "migration fails on the published database", line: 1,
			message: []string{"time limit exceeded", "the statement: UPDATE TAGS SET tag = (WITH RECURSIVE"}},
		{name: "endless insert", sql: "CREATE TABLE big (b BLOB);\nINSERT INTO big " + grow + ";\n", opts: Options{MaxGrowth: 1 << 20, TimeLimit: time.Minute},
			annot: "migration fails on an empty database", line: 2,
			message: []string{"database or disk is full", "grew the database by more than 1 MiB, the limit for one migration", "the statement: INSERT INTO big WITH RECURSIVE"}},
		{name: "endless insert into temp", sql: "CREATE TEMP TABLE big (b BLOB);\nINSERT INTO big " + grow + ";\n", opts: Options{MaxGrowth: 1 << 20, TimeLimit: time.Minute},
			annot: "migration fails on an empty database", line: 2, message: []string{"grew the database by more than 1 MiB"}},
		{name: "endless insert only on the published rows", sql: "CREATE TABLE big (b BLOB);\nINSERT INTO big " + growFromTags + ";\n", opts: Options{MaxGrowth: 1 << 20, TimeLimit: time.Minute},
			annot: "migration fails on the published database", line: 2, message: []string{"grew the database by more than 1 MiB"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := checktest.Folder(t)
			base := checktest.BaseDB(t)
			out := filepath.Join(t.TempDir(), "outside.sqlite")
			sql := strings.NewReplacer("%OUT%", out, "%BASE%", base).Replace(tc.sql)
			file := addMigration(t, dir, 0, "untrusted", sql)
			baseBefore, dirBefore := fileSum(t, base), folderSum(t, dir)

			o := tc.opts
			o.Migrations, o.BaseDB = dir, base
			start := time.Now()
			res, err := Run(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > time.Minute {
				t.Errorf("the check took %s", d)
			}
			var text strings.Builder
			res.WriteText(&text)
			if !res.Failed {
				t.Fatalf("the check passed:\n%s", text.String())
			}
			var found bool
			for _, a := range res.Annotations {
				if !strings.Contains(a.Title, tc.annot) {
					continue
				}
				found = true
				if !strings.HasSuffix(a.File, "/"+file) || a.Line != tc.line || a.Level != "error" {
					t.Errorf("annotation at %s:%d (%s), want %s:%d (error)", a.File, a.Line, a.Level, file, tc.line)
				}
				for _, want := range append(tc.message, file) {
					if !strings.Contains(a.Message, want) {
						t.Errorf("message %q lacks %q", a.Message, want)
					}
				}
			}
			if !found {
				t.Errorf("no annotation %q:\n%s", tc.annot, text.String())
			}
			if !bytes.Equal(fileSum(t, base), baseBefore) {
				t.Errorf("the published database %s changed", base)
			}
			if folderSum(t, dir) != dirBefore {
				t.Errorf("the migrations folder changed")
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s was created (stat: %v)", out, err)
			}
			if entries, _ := os.ReadDir(filepath.Dir(base)); len(entries) != 1 {
				t.Errorf("files next to the published database: %v", entries)
			}
		})
	}
}

// TestDataChanges checks that a migration that loses or rewrites published
// rows fails the check with the table and its numbers, even when the schema
// does not change, and that keeping, adding or allowing rows passes.
func TestDataChanges(t *testing.T) {
	// The published TAG_TRANSLATIONS table, created again as it was.
	createTranslations := func(t *testing.T) string {
		db := sqlitetest.OpenRO(t, checktest.BaseDB(t))
		var ddl []string
		for _, s := range sqlitetest.Rows(t, db, `SELECT sql FROM sqlite_schema WHERE tbl_name = 'TAG_TRANSLATIONS' AND sql IS NOT NULL ORDER BY type DESC, name`) {
			ddl = append(ddl, strings.Trim(s, "'")+";")
		}
		return strings.Join(ddl, "\n")
	}
	tests := []struct {
		name  string
		sql   func(t *testing.T) string
		allow bool

		failed bool
		data   map[string][4]int64 // table -> before, after, lost, rewritten
		line   int                 // the annotation's line, 0: none
	}{
		{name: "DELETE loses a translation", sql: func(*testing.T) string { return "-- gone\nDELETE FROM TAG_TRANSLATIONS;\n" },
			failed: true, data: map[string][4]int64{"TAG_TRANSLATIONS": {1, 0, 1, 0}}, line: 2},
		{name: "UPDATE rewrites tags", sql: func(*testing.T) string { return "UPDATE TAGS SET tag = upper(tag) WHERE tag_id = 2;\n" },
			failed: true, data: map[string][4]int64{"TAGS": {2, 2, 0, 1}}, line: 1},
		{name: "DROP TABLE and the identical CREATE", sql: func(t *testing.T) string {
			return "DROP TABLE TAG_TRANSLATIONS;\n" + createTranslations(t) + "\n"
		}, failed: true, data: map[string][4]int64{"TAG_TRANSLATIONS": {1, 0, 1, 0}}, line: 1},
		{name: "allow-destructive lets a DELETE pass", sql: func(*testing.T) string { return "DELETE FROM TAG_TRANSLATIONS;\n" }, allow: true,
			data: map[string][4]int64{"TAG_TRANSLATIONS": {1, 0, 1, 0}}, line: 1},
		{name: "an UPDATE to the same values changes nothing", sql: func(*testing.T) string { return "UPDATE TAGS SET tag = tag;\n" }},
		{name: "added rows are additive", sql: func(*testing.T) string {
			return "INSERT INTO TAG_TRANSLATIONS (tag_id, language, translation) SELECT tag_id, 'ja', 'ワン' FROM TAGS WHERE tag_id = 2;\n"
		}, data: map[string][4]int64{"TAG_TRANSLATIONS": {1, 2, 0, 0}}},
		{name: "a new column is not a rewrite", sql: func(*testing.T) string { return "ALTER TABLE TAGS ADD COLUMN note TEXT DEFAULT 'x';\n" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := checktest.Folder(t)
			file := addMigration(t, dir, 0, "data", tc.sql(t))
			base := checktest.BaseDB(t)
			before := fileSum(t, base)
			res, err := Run(context.Background(), Options{Migrations: dir, BaseDB: base, AllowDestructive: tc.allow})
			if err != nil {
				t.Fatal(err)
			}
			var text strings.Builder
			res.WriteText(&text)
			if res.Failed != tc.failed {
				t.Errorf("Failed = %v, want %v\n%s", res.Failed, tc.failed, text.String())
			}
			if tc.failed && !containsSub(res.Reasons, "rows lost or rewritten in 1 table") {
				t.Errorf("reasons %q", res.Reasons)
			}
			if len(res.Data) != len(tc.data) {
				t.Errorf("data changes %+v, want %v", res.Data, tc.data)
			}
			for _, d := range res.Data {
				want, ok := tc.data[d.Table]
				if got := [4]int64{d.Before, d.After, d.Lost, d.Changed}; !ok || got != want {
					t.Errorf("%s: before, after, lost, rewritten = %v, want %v", d.Table, got, want)
				}
				md := res.Markdown()
				if !strings.Contains(md, "### Data changes") || !strings.Contains(md, "| `"+d.Table+"` | ") {
					t.Errorf("markdown lacks the data change of %s:\n%s", d.Table, md)
				}
			}
			var annots int
			for _, a := range res.Annotations {
				if !strings.Contains(a.Title, "destructive data change") {
					continue
				}
				annots++
				level := map[bool]string{true: "warning", false: "error"}[tc.allow]
				if !strings.HasSuffix(a.File, "/"+file) || a.Line != tc.line || a.Level != level {
					t.Errorf("annotation at %s:%d (%s), want %s:%d (%s)", a.File, a.Line, a.Level, file, tc.line, level)
				}
				if !strings.Contains(a.Message, "rows ") || !strings.Contains(a.Message, "lost") {
					t.Errorf("annotation message %q has no numbers", a.Message)
				}
			}
			if wantAnnots := map[bool]int{true: 1, false: 0}[tc.line > 0]; annots != wantAnnots {
				t.Errorf("%d data annotations, want %d:\n%s", annots, wantAnnots, text.String())
			}
			if !bytes.Equal(fileSum(t, base), before) {
				t.Errorf("the published database changed")
			}
		})
	}
}

func fileSum(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return sum[:]
}

// folderSum is a digest of a folder's file names and contents.
func folderSum(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, e := range entries {
		h.Write([]byte(e.Name()))
		h.Write(fileSum(t, filepath.Join(dir, e.Name())))
	}
	return string(h.Sum(nil))
}
