package schema_test

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

const baseDDL = `
CREATE TABLE TAGS (tag_id INTEGER NOT NULL PRIMARY KEY, tag TEXT NOT NULL, note TEXT, n INTEGER NOT NULL DEFAULT 0, UNIQUE (tag));
CREATE TABLE ST (tag_id INTEGER NOT NULL, format_id INTEGER NOT NULL, alias BOOLEAN NOT NULL,
    PRIMARY KEY (tag_id, format_id), FOREIGN KEY (tag_id) REFERENCES TAGS (tag_id),
    CONSTRAINT ck CHECK (alias IN (0, 1)));
CREATE INDEX ix_note ON TAGS (note);
CREATE TABLE OLDT (a INTEGER, b TEXT);`

// TestDiffClasses applies one edit at a time to baseDDL and checks the change
// Diff reports and its class.
func TestDiffClasses(t *testing.T) {
	tests := []struct {
		name string
		ddl  string // the new schema
		want []string
	}{
		{"identical", baseDDL, nil},
		{"add nullable column", strings.Replace(baseDDL, "note TEXT,", "note TEXT, extra TEXT,", 1),
			[]string{"additive added column TAGS.extra"}},
		{"add NOT NULL column with default", strings.Replace(baseDDL, "note TEXT,", "note TEXT, extra INTEGER NOT NULL DEFAULT 1,", 1),
			[]string{"additive added column TAGS.extra"}},
		{"add NOT NULL column without default", strings.Replace(baseDDL, "note TEXT,", "note TEXT, extra INTEGER NOT NULL,", 1),
			[]string{"breaking added column TAGS.extra"}},
		{"drop column", strings.Replace(baseDDL, "note TEXT, n INTEGER NOT NULL DEFAULT 0,", "note TEXT,", 1),
			[]string{"destructive removed column TAGS.n"}},
		{"rename column", strings.Replace(baseDDL, "n INTEGER NOT NULL DEFAULT 0", "cnt INTEGER NOT NULL DEFAULT 0", 1),
			[]string{"breaking renamed column TAGS.n"}},
		{"change affinity", strings.Replace(baseDDL, "n INTEGER NOT NULL DEFAULT 0", "n TEXT NOT NULL DEFAULT 0", 1),
			[]string{"destructive changed column TAGS.n"}},
		{"same affinity, other spelling", strings.Replace(baseDDL, "tag TEXT NOT NULL", "tag VARCHAR(255) NOT NULL", 1),
			[]string{"additive changed column TAGS.tag"}},
		{"nullable to NOT NULL", strings.Replace(baseDDL, "note TEXT,", "note TEXT NOT NULL,", 1),
			[]string{"breaking changed column TAGS.note"}},
		{"NOT NULL to nullable", strings.Replace(baseDDL, "tag TEXT NOT NULL", "tag TEXT", 1),
			[]string{"breaking changed column TAGS.tag"}},
		{"default changed", strings.Replace(baseDDL, "DEFAULT 0", "DEFAULT 5", 1),
			[]string{"additive changed column TAGS.n"}},
		{"default removed from NOT NULL", strings.Replace(baseDDL, " DEFAULT 0", "", 1),
			[]string{"breaking changed column TAGS.n"}},
		{"default spelled '0'", strings.Replace(baseDDL, "DEFAULT 0", "DEFAULT '0'", 1), nil},
		{"new UNIQUE", strings.Replace(baseDDL, "UNIQUE (tag))", "UNIQUE (tag), UNIQUE (note))", 1),
			[]string{"breaking added unique TAGS UNIQUE (note)"}},
		{"dropped UNIQUE", strings.Replace(baseDDL, ", UNIQUE (tag))", ")", 1),
			[]string{"destructive removed unique TAGS UNIQUE (tag)"}},
		{"UNIQUE moved to a unique index", strings.Replace(baseDDL, ", UNIQUE (tag))", "); CREATE UNIQUE INDEX ux_tag ON TAGS (tag)", 1),
			[]string{"additive added index TAGS index ux_tag", "additive removed unique TAGS UNIQUE (tag)"}},
		{"new index", baseDDL + "CREATE INDEX ix_n ON TAGS (n);", []string{"additive added index TAGS index ix_n"}},
		{"dropped index", strings.Replace(baseDDL, "CREATE INDEX ix_note ON TAGS (note);", "", 1),
			[]string{"additive removed index TAGS index ix_note"}},
		{"new unique index", baseDDL + "CREATE UNIQUE INDEX ux_note ON TAGS (note);",
			[]string{"breaking added index TAGS index ux_note"}},
		{"index made unique", strings.Replace(baseDDL, "CREATE INDEX ix_note", "CREATE UNIQUE INDEX ix_note", 1),
			[]string{"breaking changed index TAGS index ix_note"}},
		{"index columns changed", strings.Replace(baseDDL, "ON TAGS (note)", "ON TAGS (note, n)", 1),
			[]string{"additive changed index TAGS index ix_note"}},
		{"dropped table", strings.Replace(baseDDL, "CREATE TABLE OLDT (a INTEGER, b TEXT);", "", 1),
			[]string{"destructive removed table OLDT"}},
		{"new table", baseDDL + "CREATE TABLE NEWT (x TEXT);", []string{"additive added table NEWT"}},
		{"renamed table", strings.Replace(baseDDL, "OLDT", "NEWT", 1), []string{"breaking renamed table OLDT"}},
		{"dropped foreign key", strings.Replace(baseDDL, ", FOREIGN KEY (tag_id) REFERENCES TAGS (tag_id)", "", 1),
			[]string{"destructive removed foreign key ST FOREIGN KEY (tag_id) REFERENCES TAGS (tag_id)"}},
		{"new foreign key", strings.Replace(baseDDL, "CREATE TABLE OLDT (a INTEGER,", "CREATE TABLE OLDT (a INTEGER REFERENCES TAGS (tag_id),", 1),
			[]string{"breaking added foreign key OLDT FOREIGN KEY (a) REFERENCES TAGS (tag_id)"}},
		{"foreign key action changed", strings.Replace(baseDDL, "REFERENCES TAGS (tag_id),", "REFERENCES TAGS (tag_id) ON DELETE CASCADE,", 1),
			[]string{"breaking changed foreign key ST FOREIGN KEY (tag_id) REFERENCES TAGS (tag_id)"}},
		{"dropped CHECK", strings.Replace(baseDDL, ",\n    CONSTRAINT ck CHECK (alias IN (0, 1))", "", 1),
			[]string{"destructive removed check ST CHECK ck"}},
		{"changed CHECK", strings.Replace(baseDDL, "alias IN (0, 1)", "alias IN (0, 1, 2)", 1),
			[]string{"breaking changed check ST CHECK ck"}},
		{"CHECK respelled", strings.Replace(baseDDL, "CHECK (alias IN (0, 1))", "check(ALIAS in(0,1))", 1), nil},
		{"new CHECK", strings.Replace(baseDDL, "CREATE TABLE OLDT (a INTEGER,", "CREATE TABLE OLDT (a INTEGER CHECK (a > 0),", 1),
			[]string{"breaking added check OLDT CHECK"}},
		{"primary key changed", strings.Replace(baseDDL, "PRIMARY KEY (tag_id, format_id)", "PRIMARY KEY (tag_id)", 1),
			[]string{"destructive changed primary key ST PRIMARY KEY"}},
		{"primary key added", strings.Replace(baseDDL, "OLDT (a INTEGER,", "OLDT (a INTEGER PRIMARY KEY,", 1),
			[]string{"breaking added primary key OLDT PRIMARY KEY"}},
	}
	old := inspect(t, baseDDL)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changes := schema.Diff(old, inspect(t, tt.ddl))
			var got []string
			for _, c := range changes {
				got = append(got, strings.Join([]string{string(c.Class), c.Action, c.Object, c.Name}, " "))
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for _, c := range changes {
				if c.Detail == "" {
					t.Errorf("%v has no detail", c)
				}
			}
			wantAdditive := true
			for _, w := range tt.want {
				wantAdditive = wantAdditive && strings.HasPrefix(w, "additive ")
			}
			if schema.OnlyAdditive(changes) != wantAdditive {
				t.Errorf("OnlyAdditive = %v, want %v", !wantAdditive, wantAdditive)
			}
		})
	}
}

// TestDiffFormats pins the three renderings of one mixed diff: the markdown
// one is what a pull request shows.
func TestDiffFormats(t *testing.T) {
	newDDL := strings.NewReplacer(
		"note TEXT, n INTEGER NOT NULL DEFAULT 0,", "note TEXT, extra TEXT,",
		"alias IN (0, 1)", "alias IN (0, 1, 2)",
		"CREATE INDEX ix_note ON TAGS (note);", "CREATE INDEX ix_note ON TAGS (note); CREATE INDEX ix_tag_nocase ON TAGS (tag COLLATE NOCASE);",
	).Replace(baseDDL)
	changes := schema.Diff(inspect(t, baseDDL), inspect(t, newDDL))
	if schema.OnlyAdditive(changes) {
		t.Fatal("a dropped column passed as additive")
	}
	// Most severe first.
	if changes[0].Class != schema.Destructive || changes[len(changes)-1].Class != schema.Additive {
		t.Errorf("order: %v", changes)
	}

	var text, md, js bytes.Buffer
	if err := schema.WriteText(&text, changes); err != nil {
		t.Fatal(err)
	}
	if err := schema.WriteMarkdown(&md, changes, "base.sqlite", "head|pr.sqlite"); err != nil {
		t.Fatal(err)
	}
	if err := schema.WriteDiffJSON(&js, changes, "base.sqlite", "head.sqlite"); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "diff.txt.golden", text.Bytes())
	golden.Check(t, "diff.md.golden", md.Bytes())
	var rep schema.DiffReport
	if err := json.Unmarshal(js.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.OnlyAdditive || len(rep.Changes) != len(changes) || rep.Counts[schema.Destructive] != 1 {
		t.Errorf("json report = %+v", rep)
	}

	var none bytes.Buffer
	schema.WriteMarkdown(&none, nil, "a", "b")
	if !strings.Contains(none.String(), "No schema changes") {
		t.Errorf("empty markdown = %q", none.String())
	}
	none.Reset()
	schema.WriteDiffJSON(&none, nil, "a", "b")
	if !strings.Contains(none.String(), `"changes": []`) || !strings.Contains(none.String(), `"only_additive": true`) {
		t.Errorf("empty json = %s", none.String())
	}
}
