package schema

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// FormatID marks a schema dump. Load refuses other formats instead of guessing.
const FormatID = "tagdb-schema/1"

// Snapshot is the schema of one database: its ordinary and virtual tables,
// sorted by name. SQLite's own tables (sqlite_*) and the shadow tables of
// virtual tables are left out: no one writes a migration for them.
type Snapshot struct {
	Format string  `json:"format"`
	Tables []Table `json:"tables"`
}

// Table is one table. Columns are sorted by name: their order in the file is
// not part of the contract (ALTER TABLE appends, CREATE TABLE does not).
type Table struct {
	Name         string       `json:"name"`
	Virtual      bool         `json:"virtual,omitempty"`
	WithoutRowid bool         `json:"without_rowid,omitempty"`
	Strict       bool         `json:"strict,omitempty"`
	Columns      []Column     `json:"columns"`
	PrimaryKey   []string     `json:"primary_key,omitempty"` // in key order
	Unique       [][]string   `json:"unique,omitempty"`      // UNIQUE constraints (not the primary key)
	Indexes      []Index      `json:"indexes,omitempty"`     // CREATE INDEX, by name
	ForeignKeys  []ForeignKey `json:"foreign_keys,omitempty"`
	Checks       []Check      `json:"checks,omitempty"`
}

// Column is one column as PRAGMA table_xinfo reports it.
type Column struct {
	Name     string  `json:"name"`
	Type     string  `json:"type"`     // declared type, as written
	Affinity string  `json:"affinity"` // INTEGER, TEXT, BLOB, REAL or NUMERIC
	NotNull  bool    `json:"not_null,omitempty"`
	Default  *string `json:"default,omitempty"` // SQL text of the default, nil when none
	PK       int     `json:"pk,omitempty"`      // 1-based position in the primary key
	Hidden   string  `json:"hidden,omitempty"`  // "hidden", "virtual" or "stored" (generated)
}

// Index is a CREATE INDEX index. Columns read "name", "name DESC" or
// "name COLLATE NOCASE"; an expression column reads "<expression>".
type Index struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Unique  bool     `json:"unique,omitempty"`
	Partial bool     `json:"partial,omitempty"`
}

// ForeignKey is one (possibly composite) foreign key. RefColumns is filled in
// from the parent's primary key when the DDL leaves it implicit.
type ForeignKey struct {
	Columns    []string `json:"columns"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
	OnUpdate   string   `json:"on_update,omitempty"` // omitted when NO ACTION
	OnDelete   string   `json:"on_delete,omitempty"`
}

// Check is a CHECK constraint; Expr is normalised (see sqltext.Normalize).
type Check struct {
	Name string `json:"name,omitempty"`
	Expr string `json:"expr"`
}

// Table returns the table with the given name (case-insensitive, as SQLite
// treats names), or nil.
func (s *Snapshot) Table(name string) *Table {
	for i := range s.Tables {
		if strings.EqualFold(s.Tables[i].Name, name) {
			return &s.Tables[i]
		}
	}
	return nil
}

// Column returns the named column (case-insensitive), or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return &t.Columns[i]
		}
	}
	return nil
}

// String renders a column definition the way a reader of a diff wants it:
// "BOOLEAN NOT NULL DEFAULT 0".
func (c Column) String() string {
	s := c.Type
	if s == "" {
		s = "(no type)"
	}
	if c.NotNull {
		s += " NOT NULL"
	}
	if c.Default != nil {
		s += " DEFAULT " + *c.Default
	}
	return s
}

// String renders the key as SQL: FOREIGN KEY (a, b) REFERENCES T (x, y).
func (f ForeignKey) String() string {
	if len(f.RefColumns) == 0 {
		return fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s", strings.Join(f.Columns, ", "), f.RefTable)
	}
	return fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s (%s)",
		strings.Join(f.Columns, ", "), f.RefTable, strings.Join(f.RefColumns, ", "))
}

// Key identifies a foreign key by meaning, for matching across databases.
func (f ForeignKey) Key() string {
	return strings.ToLower(strings.Join(f.Columns, ",") + ">" + f.RefTable + "(" + strings.Join(f.RefColumns, ",") + ")")
}

// String renders a check as SQL.
func (c Check) String() string {
	if c.Name != "" {
		return fmt.Sprintf("CONSTRAINT %s CHECK (%s)", c.Name, c.Expr)
	}
	return fmt.Sprintf("CHECK (%s)", c.Expr)
}

// UniqueKey identifies a unique constraint by its column set: UNIQUE(a, b) and
// UNIQUE(b, a) forbid the same rows.
func UniqueKey(cols []string) string {
	c := make([]string, len(cols))
	for i, s := range cols {
		c[i] = strings.ToLower(s)
	}
	sort.Strings(c)
	return strings.Join(c, ",")
}

// Affinity applies SQLite's column-affinity rules (datatype3.html §3.1) to a
// declared type. Readers see values through affinity, so it, not the spelling
// (TEXT vs VARCHAR), is what must match.
func Affinity(declared string) string {
	t := strings.ToUpper(declared)
	switch {
	case strings.Contains(t, "INT"):
		return "INTEGER"
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"):
		return "TEXT"
	case strings.Contains(t, "BLOB"), strings.TrimSpace(t) == "":
		return "BLOB"
	case strings.Contains(t, "REAL"), strings.Contains(t, "FLOA"), strings.Contains(t, "DOUB"):
		return "REAL"
	}
	return "NUMERIC"
}

// NormalizeDefault folds default spellings that store the same value: outer
// parentheses, keyword case, and a quoted number in a numeric column ('0' and 0
// both store integer 0 under NUMERIC affinity). nil means no default.
func NormalizeDefault(affinity string, d *string) string {
	if d == nil {
		return ""
	}
	s := strings.TrimSpace(*d)
	for len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && balanced(s[1:len(s)-1]) {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	up := strings.ToUpper(s)
	switch up {
	case "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "NULL":
		return up
	case "TRUE", "FALSE":
		if affinity != "TEXT" && affinity != "BLOB" {
			if up == "TRUE" {
				return "1"
			}
			return "0"
		}
		return up
	}
	if affinity == "INTEGER" || affinity == "NUMERIC" || affinity == "REAL" {
		if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' && isNumber(s[1:len(s)-1]) {
			return s[1 : len(s)-1]
		}
	}
	return s
}

func balanced(s string) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
		case s[i] == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return s != "" && s != "."
}

// sort puts every list of the snapshot in its canonical order, so that the
// same schema always serialises to the same bytes.
func (s *Snapshot) sort() {
	sort.Slice(s.Tables, func(i, j int) bool { return lessFold(s.Tables[i].Name, s.Tables[j].Name) })
	for i := range s.Tables {
		s.Tables[i].sortLists()
	}
}

// sortLists puts the table's lists in their canonical order.
func (t *Table) sortLists() {
	sort.Slice(t.Columns, func(a, b int) bool { return lessFold(t.Columns[a].Name, t.Columns[b].Name) })
	sort.Slice(t.Unique, func(a, b int) bool { return UniqueKey(t.Unique[a]) < UniqueKey(t.Unique[b]) })
	sort.Slice(t.Indexes, func(a, b int) bool { return lessFold(t.Indexes[a].Name, t.Indexes[b].Name) })
	sort.Slice(t.ForeignKeys, func(a, b int) bool { return t.ForeignKeys[a].Key() < t.ForeignKeys[b].Key() })
	sort.Slice(t.Checks, func(a, b int) bool {
		if t.Checks[a].Name != t.Checks[b].Name {
			return t.Checks[a].Name < t.Checks[b].Name
		}
		return t.Checks[a].Expr < t.Checks[b].Expr
	})
}

// Subset is the snapshot restricted to the named tables (case-insensitive),
// for diffing only what one migration changed.
func (s *Snapshot) Subset(names []string) *Snapshot {
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[strings.ToLower(n)] = true
	}
	out := &Snapshot{Format: s.Format}
	for _, t := range s.Tables {
		if want[strings.ToLower(t.Name)] {
			out.Tables = append(out.Tables, t)
		}
	}
	return out
}

// lessFold orders names case-insensitively, ties broken by byte order so the
// order is total.
func lessFold(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return a < b
}

// WriteJSON writes the snapshot as indented JSON with a trailing newline. The
// output is stable: the same schema gives the same bytes.
func (s *Snapshot) WriteJSON(w io.Writer) error {
	c := *s
	c.Format = FormatID
	c.Tables = append([]Table(nil), s.Tables...)
	c.sort()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(&c)
}

// ParseJSON reads a snapshot written by WriteJSON. name is used in errors.
func ParseJSON(name string, r io.Reader) (*Snapshot, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s Snapshot
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: not a schema dump: %w", name, err)
	}
	if s.Format != FormatID {
		return nil, fmt.Errorf("%s: schema dump format %q, want %q", name, s.Format, FormatID)
	}
	// SQLite names are case-insensitive: a dump with "T" and "t", or a table
	// with columns "a" and "A", cannot come from a real database, and Diff
	// (which matches by folded name) would report changes between a dump and
	// itself.
	tables := map[string]bool{}
	for i, t := range s.Tables {
		if t.Name == "" {
			return nil, fmt.Errorf("%s: table %d has no name", name, i+1)
		}
		k := strings.ToLower(t.Name)
		if tables[k] {
			return nil, fmt.Errorf("%s: table %q appears twice (names are case-insensitive)", name, t.Name)
		}
		tables[k] = true
		cols := map[string]bool{}
		for _, c := range t.Columns {
			k := strings.ToLower(c.Name)
			if cols[k] {
				return nil, fmt.Errorf("%s: table %q: column %q appears twice (names are case-insensitive)", name, t.Name, c.Name)
			}
			cols[k] = true
		}
	}
	s.sort()
	return &s, nil
}
