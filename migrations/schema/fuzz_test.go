package schema

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fuzzSnapshot turns arbitrary bytes into a schema: each byte picks the next
// table, column, type, default or constraint from small vocabularies, so the
// fuzzer explores what Diff does (matching by name, renames, affinity and key
// changes) rather than JSON syntax, which ParseJSON rejects almost always.
// Names are unique case-insensitively, as in any schema SQLite can hold.
func fuzzSnapshot(b []byte) *Snapshot {
	next := func() int {
		if len(b) == 0 {
			return 0
		}
		c := b[0]
		b = b[1:]
		return int(c)
	}
	tables := []string{"TAGS", "tags_old", "TAG_STATUS", "T", "U", "v"}
	cols := []string{"tag_id", "tag", "a", "b", "C", "d"}
	types := []string{"INTEGER", "TEXT", "", "REAL", "BLOB", "NUMERIC", "INT", "VARCHAR(10)", "DATETIME", "BOOLEAN"}
	defaults := []string{"", "0", "'x'", "CURRENT_TIMESTAMP", "(0)", "NULL", "1", "0.0"}
	actions := []string{"", "CASCADE", "SET NULL", "RESTRICT"}
	checks := []string{"a > 0", "tag <> ''", "(a>0)", "length(tag) < 100"}
	s := &Snapshot{Format: FormatID}
	for nt := next() % 4; nt > 0; nt-- {
		tb := Table{Name: tables[next()%len(tables)]}
		if s.Table(tb.Name) != nil {
			continue
		}
		flags := next()
		tb.Virtual, tb.WithoutRowid, tb.Strict = flags&1 != 0, flags&2 != 0, flags&4 != 0
		for nc := next() % 5; nc > 0; nc-- {
			c := Column{Name: cols[next()%len(cols)], Type: types[next()%len(types)]}
			if tb.Column(c.Name) != nil {
				continue
			}
			c.Affinity = Affinity(c.Type)
			f := next()
			c.NotNull = f&1 != 0
			if d := defaults[(f>>1)%len(defaults)]; d != "" {
				c.Default = &d
			}
			if f&0x80 != 0 {
				c.Hidden = "stored"
			}
			tb.Columns = append(tb.Columns, c)
		}
		pick := func() []string { // up to 2 distinct columns of the table
			var out []string
			for n := next() % 3; n > 0 && len(tb.Columns) > 0; n-- {
				name := tb.Columns[next()%len(tb.Columns)].Name
				if len(out) == 0 || out[0] != name {
					out = append(out, name)
				}
			}
			return out
		}
		tb.PrimaryKey = pick()
		for i, name := range tb.PrimaryKey {
			tb.Column(name).PK = i + 1
		}
		for nu := next() % 3; nu > 0; nu-- {
			if u := pick(); len(u) > 0 {
				tb.Unique = append(tb.Unique, u)
			}
		}
		for ni := next() % 3; ni > 0; ni-- {
			ix := Index{Name: fmt.Sprintf("ix_%s_%d", tb.Name, next()%3), Columns: pick(), Unique: next()&1 != 0}
			ix.Partial = next()&1 != 0
			dup := false
			for _, other := range tb.Indexes {
				dup = dup || other.Name == ix.Name
			}
			if !dup && len(ix.Columns) > 0 {
				tb.Indexes = append(tb.Indexes, ix)
			}
		}
		for nf := next() % 2; nf > 0; nf-- {
			if fc := pick(); len(fc) > 0 {
				tb.ForeignKeys = append(tb.ForeignKeys, ForeignKey{Columns: fc, RefTable: tables[next()%len(tables)],
					RefColumns: []string{cols[next()%len(cols)]}, OnDelete: actions[next()%len(actions)]})
			}
		}
		for nk := next() % 2; nk > 0; nk-- {
			tb.Checks = append(tb.Checks, Check{Expr: checks[next()%len(checks)]})
		}
		s.Tables = append(s.Tables, tb)
	}
	s.sort()
	return s
}

// FuzzDiff feeds two schema dumps (the JSON that `tagdb schema dump` writes
// and the pull-request check reads from an untrusted base) to ParseJSON and
// Diff. Neither may panic; a schema compared with itself, or with anything of
// the same canonical form, has no changes; Diff is deterministic; and every
// report format renders the changes.
func FuzzDiff(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("..", "testdata", "schema.golden.json"))
	if err != nil {
		f.Fatalf("seed: %v", err)
	}
	small := []byte(`{"format": "tagdb-schema/1", "tables": [{"name": "T", "columns": [{"name": "a", "type": "INTEGER", "affinity": "INTEGER", "pk": 1}]}]}`)
	f.Add(golden, golden)
	f.Add(golden, small)
	f.Add(small, golden)
	f.Add(small, []byte(`{"format": "tagdb-schema/1", "tables": [{"name": "U", "columns": [{"name": "a", "type": "INTEGER", "affinity": "INTEGER", "pk": 1}]}]}`))
	f.Add([]byte("\x03\x00\x00\x04\x00\x00\x05\x01\x01\x02"), []byte("\x03\x00\x00\x04\x00\x01\x05\x01\x01\x02"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		// A valid dump is read as one; anything else is a recipe for fuzzSnapshot.
		old, err := ParseJSON("old.json", bytes.NewReader(a))
		if err != nil {
			old = fuzzSnapshot(a)
		}
		cur, err := ParseJSON("new.json", bytes.NewReader(b))
		if err != nil {
			cur = fuzzSnapshot(b)
		}
		if hasDuplicateNames(old) || hasDuplicateNames(cur) {
			return // see TestParseJSONRejectsDuplicateNames
		}
		for _, s := range []*Snapshot{old, cur} {
			if ch := Diff(s, s); len(ch) != 0 {
				t.Fatalf("Diff(s, s) = %v, want no changes", ch)
			}
		}
		changes := Diff(old, cur)
		if again := Diff(old, cur); !reflect.DeepEqual(changes, again) {
			t.Fatalf("Diff is not deterministic:\n%v\n%v", changes, again)
		}
		var ja, jb bytes.Buffer
		if err := old.WriteJSON(&ja); err != nil {
			t.Fatal(err)
		}
		if err := cur.WriteJSON(&jb); err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(ja.Bytes(), jb.Bytes()) && len(changes) != 0 {
			t.Fatalf("same canonical schema, yet changes: %v", changes)
		}
		// The dump must read back as the same schema.
		back, err := ParseJSON("again.json", bytes.NewReader(ja.Bytes()))
		if err != nil {
			t.Fatalf("a written dump does not parse: %v", err)
		}
		if ch := Diff(old, back); len(ch) != 0 {
			t.Fatalf("schema changed by a write and read: %v", ch)
		}
		OnlyAdditive(changes)
		Count(changes)
		var w bytes.Buffer
		if err := WriteText(&w, changes); err != nil {
			t.Fatal(err)
		}
		if err := WriteMarkdown(&w, changes, "old", "new"); err != nil {
			t.Fatal(err)
		}
		if err := WriteDiffJSON(&w, changes, "old", "new"); err != nil {
			t.Fatal(err)
		}
	})
}

func hasDuplicateNames(s *Snapshot) bool {
	tables := map[string]bool{}
	for _, t := range s.Tables {
		if tables[strings.ToLower(t.Name)] {
			return true
		}
		tables[strings.ToLower(t.Name)] = true
		cols := map[string]bool{}
		for _, c := range t.Columns {
			if cols[strings.ToLower(c.Name)] {
				return true
			}
			cols[strings.ToLower(c.Name)] = true
		}
	}
	return false
}

// SQLite cannot hold two tables, or two columns of a table, whose names differ
// only in case, so a dump listing them is corrupt or hand-edited (the base
// side of the pull-request check is not ours). ParseJSON accepts it, and Diff
// then reports destructive changes between a schema and itself (FuzzDiff's
// Diff(s, s) property, checked by hand; the fuzz target skips such input).
func TestParseJSONRejectsDuplicateNames(t *testing.T) {
	for _, doc := range []string{
		`{"format": "tagdb-schema/1", "tables": [{"name": "T", "columns": [{"name": "a", "type": "INTEGER", "affinity": "INTEGER"}]}, {"name": "t", "columns": [{"name": "b", "type": "TEXT", "affinity": "TEXT"}]}]}`,
		`{"format": "tagdb-schema/1", "tables": [{"name": "T", "columns": [{"name": "a", "type": "INTEGER", "affinity": "INTEGER"}, {"name": "A", "type": "TEXT", "affinity": "TEXT"}]}]}`,
	} {
		s, err := ParseJSON("dup.json", strings.NewReader(doc))
		if err == nil {
			t.Errorf("accepted a dump with duplicate names; Diff(s, s) = %v", Diff(s, s))
		} else if !strings.Contains(err.Error(), "dup.json: ") {
			t.Errorf("error does not name the file: %v", err)
		}
	}
}
