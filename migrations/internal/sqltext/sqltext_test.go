package sqltext

import (
	"errors"
	"strings"
	"testing"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []string
		lines []int
	}{
		{"simple", "CREATE TABLE a(x);\nCREATE TABLE b(y);", []string{"CREATE TABLE a(x);", "CREATE TABLE b(y);"}, []int{1, 2}},
		{"no final semicolon", "SELECT 1;\n\nSELECT 2", []string{"SELECT 1;", "SELECT 2"}, []int{1, 3}},
		{"semicolons in comments and strings",
			"-- a; comment\nINSERT INTO t VALUES ('a;b', \"c;d\"); /* x; y */ SELECT [e;f];",
			[]string{"INSERT INTO t VALUES ('a;b', \"c;d\");", "SELECT [e;f];"}, []int{2, 2}},
		{"escaped quotes", "SELECT 'it''s; fine'; SELECT 2;", []string{"SELECT 'it''s; fine';", "SELECT 2;"}, []int{1, 1}},
		{"empty statements", ";;\n;SELECT 1;;", []string{"SELECT 1;"}, []int{2}},
		{"trigger body",
			"CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET x = CASE WHEN 1 THEN 2 END;\n  DELETE FROM u;\nEND;\nSELECT 1;",
			[]string{"CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET x = CASE WHEN 1 THEN 2 END;\n  DELETE FROM u;\nEND;", "SELECT 1;"}, []int{1, 5}},
		{"temp trigger", "create temp trigger tr before delete on t begin select 1; end; select 2;",
			[]string{"create temp trigger tr before delete on t begin select 1; end;", "select 2;"}, []int{1, 1}},
		{"multi-line comment counts lines", "/* one\ntwo\nthree */ SELECT 1;", []string{"SELECT 1;"}, []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d statements %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if got[i].SQL != tt.want[i] || got[i].Line != tt.lines[i] {
					t.Errorf("statement %d = %q (line %d), want %q (line %d)", i, got[i].SQL, got[i].Line, tt.want[i], tt.lines[i])
				}
			}
		})
	}
}

func TestSplitErrors(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 1;\nSELECT 'open": "line 2: unterminated ' quote",
		"SELECT \"x":              "unterminated \" quote",
		"/* never closed":         "line 1: unterminated /* comment",
		"SELECT [x":               "unterminated [identifier",
		"CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;": "CREATE TRIGGER without END",
	} {
		_, err := Split(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Split(%q) error = %v, want %q", in, err, want)
		}
	}
}

func TestAddColumn(t *testing.T) {
	tests := []struct {
		in            string
		table, column string
		ok            bool
	}{
		{"ALTER TABLE TAG_STATUS ADD COLUMN deprecated BOOLEAN NOT NULL DEFAULT 0;", "TAG_STATUS", "deprecated", true},
		{"alter table t add c text", "t", "c", true},
		{`ALTER TABLE main."My Table" ADD COLUMN [odd col] INT`, "My Table", "odd col", true},
		{"ALTER TABLE `t` ADD `c` INT", "t", "c", true},
		{"ALTER TABLE /* why */ t -- not here\n ADD COLUMN c", "t", "c", true},
		{"ALTER TABLE t RENAME TO u", "", "", false},
		{"ALTER TABLE t DROP COLUMN c", "", "", false},
		{"CREATE TABLE t(x)", "", "", false},
	}
	for _, tt := range tests {
		sts, err := Split(tt.in)
		if err != nil || len(sts) != 1 {
			t.Fatalf("Split(%q) = %+v, %v", tt.in, sts, err)
		}
		table, column, ok := AddColumn(sts[0])
		if table != tt.table || column != tt.column || ok != tt.ok {
			t.Errorf("AddColumn(%q) = %q, %q, %v; want %q, %q, %v", tt.in, table, column, ok, tt.table, tt.column, tt.ok)
		}
	}
}

func TestChecks(t *testing.T) {
	const want = "(alias = false and preferred_tag_id = tag_id) or (alias = true and preferred_tag_id != tag_id)"
	// The same constraint as the Python builder, the migrations and a
	// hand-edited file would write it: spacing, case, quoting and <> vs !=.
	for _, ddl := range []string{
		`CREATE TABLE TAG_STATUS (alias BOOLEAN, CONSTRAINT ck_preferred_tag_consistency CHECK ((alias = false AND preferred_tag_id = tag_id) OR (alias = true AND preferred_tag_id != tag_id)))`,
		"CREATE TABLE TAG_STATUS (alias BOOLEAN,\n  constraint \"ck_preferred_tag_consistency\"\n  check(\n (ALIAS=FALSE and PREFERRED_TAG_ID=TAG_ID)\n   or (alias=TRUE AND \"preferred_tag_id\"<>tag_id)\n  ))",
	} {
		cs, err := Checks(ddl)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Name != "ck_preferred_tag_consistency" || cs[0].Expr != want {
			t.Errorf("Checks(%q) = %+v, want one named check %q", ddl, cs, want)
		}
	}

	cs, err := Checks(`CREATE TABLE t (a INT CHECK (a IN (0, 1)), b TEXT CHECK(length(b) > 0), "check" INT, c TEXT DEFAULT 'CHECK (x)')`)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, c := range cs {
		got = append(got, c.Name+"|"+c.Expr)
	}
	if strings.Join(got, ";") != "|a in (0, 1);|length(b) > 0" {
		t.Errorf("unnamed column checks = %q", got)
	}
}

func TestSyntaxErrorLine(t *testing.T) {
	_, err := Split("SELECT 1;\n\nSELECT 'open")
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 3 {
		t.Fatalf("error = %v, want a *SyntaxError on line 3", err)
	}
}

func TestMentions(t *testing.T) {
	for _, tt := range []struct {
		sql, name string
		want      int
	}{
		{"ALTER TABLE TAGS\n  DROP COLUMN\n  source_tag", "source_tag", 3},
		{`ALTER TABLE "tags" DROP COLUMN [Source_Tag]`, "SOURCE_TAG", 1},
		{"SELECT 'source_tag' /* source_tag */ -- source_tag\n FROM x", "source_tag", 0},
		{"DROP INDEX ix_tags_source_tag_nocase", "source_tag", 0},
		{"CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  DELETE FROM b;\nEND;", "b", 2},
		{"SELECT 1", "", 0},
	} {
		sts, err := Split(tt.sql)
		if err != nil || len(sts) != 1 {
			t.Fatalf("Split(%q) = %+v, %v", tt.sql, sts, err)
		}
		if got := sts[0].Mentions(tt.name); got != tt.want {
			t.Errorf("Mentions(%q) in %q = %d, want %d", tt.name, tt.sql, got, tt.want)
		}
	}
}
