package schema

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Class says what a schema change means for the readers and writers of a
// published file.
type Class string

const (
	// Additive changes are safe: readers that do not know about them keep working.
	Additive Class = "additive"
	// Breaking changes keep existing data but can reject rows or queries that
	// worked before: a new NOT NULL without default, a new UNIQUE, CHECK or
	// foreign key, a rename.
	Breaking Class = "breaking"
	// Destructive changes lose data or guarantees: a dropped table or column, a
	// changed type affinity, a dropped primary key, UNIQUE, CHECK or foreign key.
	Destructive Class = "destructive"
)

func (c Class) severity() int {
	switch c {
	case Destructive:
		return 2
	case Breaking:
		return 1
	}
	return 0
}

// worse returns the more severe of two classes.
func worse(a, b Class) Class {
	if b.severity() > a.severity() {
		return b
	}
	return a
}

// Change is one difference between two schemas.
type Change struct {
	Action string `json:"change"` // added, removed, changed or renamed
	Object string `json:"object"` // table, column, primary key, unique, index, foreign key, check
	Table  string `json:"table"`
	Name   string `json:"name"` // what changed, qualified: "TAG_STATUS.alias", "TAGS UNIQUE (tag)"
	Class  Class  `json:"class"`
	Detail string `json:"detail"`
}

// String renders the change on one line.
func (c Change) String() string {
	return fmt.Sprintf("%s: %s %s %s: %s", c.Class, c.Action, c.Object, c.Name, c.Detail)
}

// OnlyAdditive reports whether every change is additive (true for none).
func OnlyAdditive(changes []Change) bool {
	for _, c := range changes {
		if c.Class != Additive {
			return false
		}
	}
	return true
}

// Count returns the number of changes of each class.
func Count(changes []Change) map[Class]int {
	m := map[Class]int{Additive: 0, Breaking: 0, Destructive: 0}
	for _, c := range changes {
		m[c.Class]++
	}
	return m
}

// Diff lists the changes that turn old into cur, most severe first. Tables,
// columns, indexes and constraints are matched by name or by meaning, never by
// position or DDL text.
func Diff(old, cur *Snapshot) []Change {
	var out []Change
	var removed, added []*Table
	for i := range old.Tables {
		if cur.Table(old.Tables[i].Name) == nil {
			removed = append(removed, &old.Tables[i])
		}
	}
	for i := range cur.Tables {
		n := &cur.Tables[i]
		o := old.Table(n.Name)
		if o == nil {
			added = append(added, n)
			continue
		}
		out = append(out, diffTable(o, n)...)
	}

	// A table that disappears while one with exactly its columns appears is a
	// rename: the data survives but every query naming the old table fails.
	renamedTo := map[*Table]bool{}
	for _, o := range removed {
		var match *Table
		count := 0
		for _, n := range added {
			if !renamedTo[n] && sameColumns(o, n) {
				match = n
				count++
			}
		}
		if count == 1 {
			renamedTo[match] = true
			out = append(out, Change{Action: "renamed", Object: "table", Table: o.Name, Name: o.Name, Class: Breaking,
				Detail: fmt.Sprintf("renamed to %s (same columns): queries that name %s fail", match.Name, o.Name)})
			out = append(out, diffTable(o, match)...)
			continue
		}
		out = append(out, Change{Action: "removed", Object: "table", Table: o.Name, Name: o.Name, Class: Destructive,
			Detail: fmt.Sprintf("dropped with its %d columns and all their data", len(o.Columns))})
	}
	for _, n := range added {
		if renamedTo[n] {
			continue
		}
		out = append(out, Change{Action: "added", Object: "table", Table: n.Name, Name: n.Name, Class: Additive,
			Detail: fmt.Sprintf("new table with %d columns", len(n.Columns))})
	}
	sortChanges(out)
	return out
}

var objectOrder = map[string]int{"table": 0, "column": 1, "primary key": 2, "unique": 3, "foreign key": 4, "check": 5, "index": 6}

func sortChanges(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Class.severity() != b.Class.severity() {
			return a.Class.severity() > b.Class.severity()
		}
		if !strings.EqualFold(a.Table, b.Table) {
			return lessFold(a.Table, b.Table)
		}
		if objectOrder[a.Object] != objectOrder[b.Object] {
			return objectOrder[a.Object] < objectOrder[b.Object]
		}
		return lessFold(a.Name, b.Name)
	})
}

func sameColumns(a, b *Table) bool {
	if len(a.Columns) != len(b.Columns) {
		return false
	}
	for _, c := range a.Columns {
		d := b.Column(c.Name)
		if d == nil || !sameDefinition(c, *d) {
			return false
		}
	}
	return true
}

// sameDefinition compares everything about two columns but their names.
func sameDefinition(a, b Column) bool {
	return a.Affinity == b.Affinity && strings.EqualFold(a.Type, b.Type) && a.NotNull == b.NotNull &&
		NormalizeDefault(a.Affinity, a.Default) == NormalizeDefault(b.Affinity, b.Default) &&
		a.PK == b.PK && a.Hidden == b.Hidden
}

func diffTable(o, n *Table) []Change {
	var out []Change
	tbl := n.Name
	add := func(action, object, name string, class Class, format string, a ...any) {
		out = append(out, Change{Action: action, Object: object, Table: tbl, Name: name, Class: class, Detail: fmt.Sprintf(format, a...)})
	}

	if o.Virtual != n.Virtual || o.WithoutRowid != n.WithoutRowid || o.Strict != n.Strict {
		add("changed", "table", tbl, Breaking, "table kind %s → %s", tableKind(o), tableKind(n))
	}

	// Columns.
	var gone, fresh []Column
	for _, c := range o.Columns {
		if n.Column(c.Name) == nil {
			gone = append(gone, c)
		}
	}
	for _, c := range n.Columns {
		oc := o.Column(c.Name)
		if oc == nil {
			fresh = append(fresh, c)
			continue
		}
		if class, detail := diffColumn(*oc, c); detail != "" {
			add("changed", "column", tbl+"."+c.Name, class, "%s", detail)
		}
	}
	if len(gone) == 1 && len(fresh) == 1 && sameDefinition(gone[0], fresh[0]) {
		add("renamed", "column", tbl+"."+gone[0].Name, Breaking,
			"renamed to %s (%s): queries that name %s fail", fresh[0].Name, fresh[0], gone[0].Name)
		gone, fresh = nil, nil
	}
	for _, c := range gone {
		add("removed", "column", tbl+"."+c.Name, Destructive, "dropped (was %s): its data is lost and readers selecting it fail", c)
	}
	for _, c := range fresh {
		if c.NotNull && c.Default == nil && c.Hidden == "" {
			add("added", "column", tbl+"."+c.Name, Breaking, "%s without a default: inserts that omit it fail", c)
		} else {
			add("added", "column", tbl+"."+c.Name, Additive, "new column %s", c)
		}
	}

	// Primary key.
	if !slices.EqualFunc(o.PrimaryKey, n.PrimaryKey, strings.EqualFold) {
		name := tbl + " PRIMARY KEY"
		switch {
		case len(o.PrimaryKey) == 0:
			add("added", "primary key", name, Breaking, "new PRIMARY KEY (%s): existing duplicate rows are rejected", join(n.PrimaryKey))
		case len(n.PrimaryKey) == 0:
			add("removed", "primary key", name, Destructive, "PRIMARY KEY (%s) dropped: rows are no longer unique by it", join(o.PrimaryKey))
		default:
			add("changed", "primary key", name, Destructive, "PRIMARY KEY (%s) → (%s)", join(o.PrimaryKey), join(n.PrimaryKey))
		}
	}

	// UNIQUE constraints, by column set. A constraint that moves to a unique
	// index (or back) keeps its guarantee, so it is additive.
	oldU, newU := uniqueSet(o), uniqueSet(n)
	for _, u := range o.Unique {
		if !hasKey(n.Unique, u) {
			if newU[UniqueKey(u)] {
				add("removed", "unique", fmt.Sprintf("%s UNIQUE (%s)", tbl, join(u)), Additive, "constraint dropped but still enforced by an index or the primary key")
			} else {
				add("removed", "unique", fmt.Sprintf("%s UNIQUE (%s)", tbl, join(u)), Destructive, "uniqueness of (%s) is no longer guaranteed", join(u))
			}
		}
	}
	for _, u := range n.Unique {
		if !hasKey(o.Unique, u) {
			if oldU[UniqueKey(u)] {
				add("added", "unique", fmt.Sprintf("%s UNIQUE (%s)", tbl, join(u)), Additive, "already enforced before by an index or the primary key")
			} else {
				add("added", "unique", fmt.Sprintf("%s UNIQUE (%s)", tbl, join(u)), Breaking, "new UNIQUE: existing duplicates and duplicate inserts are rejected")
			}
		}
	}

	// Foreign keys, by meaning.
	for _, fk := range o.ForeignKeys {
		nf := findFK(n.ForeignKeys, fk)
		switch {
		case nf == nil:
			add("removed", "foreign key", tbl+" "+fk.String(), Destructive, "reference no longer enforced: orphan rows become possible")
		case nf.OnUpdate != fk.OnUpdate || nf.OnDelete != fk.OnDelete:
			add("changed", "foreign key", tbl+" "+fk.String(), Breaking, "actions ON UPDATE %s ON DELETE %s → ON UPDATE %s ON DELETE %s",
				action(fk.OnUpdate), action(fk.OnDelete), action(nf.OnUpdate), action(nf.OnDelete))
		}
	}
	for _, fk := range n.ForeignKeys {
		if findFK(o.ForeignKeys, fk) == nil {
			add("added", "foreign key", tbl+" "+fk.String(), Breaking, "new reference: existing orphan rows violate it")
		}
	}

	// CHECK constraints: by name when named, else by expression.
	for _, c := range o.Checks {
		nc := findCheck(n.Checks, c)
		switch {
		case nc == nil:
			add("removed", "check", tbl+" "+checkLabel(c), Destructive, "CHECK (%s) no longer enforced", c.Expr)
		case nc.Expr != c.Expr:
			add("changed", "check", tbl+" "+checkLabel(c), Breaking, "CHECK (%s) → (%s)", c.Expr, nc.Expr)
		}
	}
	for _, c := range n.Checks {
		if findCheck(o.Checks, c) == nil {
			add("added", "check", tbl+" "+checkLabel(c), Breaking, "new CHECK (%s): existing rows may violate it", c.Expr)
		}
	}

	// Indexes, by name.
	for _, x := range o.Indexes {
		nx := findIndex(n.Indexes, x.Name)
		label := tbl + " index " + x.Name
		switch {
		case nx == nil && x.Unique && !x.Partial && !newU[UniqueKey(x.Columns)]:
			add("removed", "index", label, Destructive, "UNIQUE index on (%s) dropped: uniqueness no longer guaranteed", join(x.Columns))
		case nx == nil:
			add("removed", "index", label, Additive, "index on (%s) dropped: readers still work, queries using it get slower", join(x.Columns))
		case !sameIndex(x, *nx):
			class := Additive
			if nx.Unique && !oldU[UniqueKey(nx.Columns)] {
				class = Breaking
			}
			if x.Unique && !nx.Unique && !newU[UniqueKey(x.Columns)] {
				class = Destructive
			}
			add("changed", "index", label, class, "%s → %s", indexLabel(x), indexLabel(*nx))
		}
	}
	for _, x := range n.Indexes {
		if findIndex(o.Indexes, x.Name) != nil {
			continue
		}
		label := tbl + " index " + x.Name
		if x.Unique && !oldU[UniqueKey(x.Columns)] {
			add("added", "index", label, Breaking, "new %s: existing duplicates and duplicate inserts are rejected", indexLabel(x))
		} else {
			add("added", "index", label, Additive, "new %s", indexLabel(x))
		}
	}
	return out
}

// diffColumn describes how a column changed and how bad that is; detail is ""
// when nothing that matters changed.
func diffColumn(o, n Column) (Class, string) {
	class := Additive
	var parts []string
	if o.Affinity != n.Affinity {
		class = worse(class, Destructive)
		parts = append(parts, fmt.Sprintf("type %s (%s affinity) → %s (%s affinity): stored values and comparisons change", orNone(o.Type), o.Affinity, orNone(n.Type), n.Affinity))
	} else if !strings.EqualFold(o.Type, n.Type) {
		parts = append(parts, fmt.Sprintf("declared type %s → %s (same %s affinity)", orNone(o.Type), orNone(n.Type), n.Affinity))
	}
	switch {
	case !o.NotNull && n.NotNull && n.Default == nil:
		class = worse(class, Breaking)
		parts = append(parts, "now NOT NULL without a default: existing NULLs and inserts that omit it are rejected")
	case !o.NotNull && n.NotNull:
		class = worse(class, Breaking)
		parts = append(parts, "now NOT NULL: existing NULLs are rejected")
	case o.NotNull && !n.NotNull:
		class = worse(class, Breaking)
		parts = append(parts, "now nullable: readers may get NULL where they never did")
	}
	od, nd := NormalizeDefault(o.Affinity, o.Default), NormalizeDefault(n.Affinity, n.Default)
	if od != nd {
		if n.NotNull && n.Default == nil {
			class = worse(class, Breaking)
			parts = append(parts, fmt.Sprintf("default %s removed from a NOT NULL column: inserts that omit it fail", od))
		} else {
			parts = append(parts, fmt.Sprintf("default %s → %s", orNone(od), orNone(nd)))
		}
	}
	if o.Hidden != n.Hidden {
		class = worse(class, Breaking)
		parts = append(parts, fmt.Sprintf("generated/hidden %s → %s", orNone(o.Hidden), orNone(n.Hidden)))
	}
	return class, strings.Join(parts, "; ")
}

func tableKind(t *Table) string {
	var k []string
	if t.Virtual {
		k = append(k, "virtual")
	}
	if t.WithoutRowid {
		k = append(k, "without rowid")
	}
	if t.Strict {
		k = append(k, "strict")
	}
	if len(k) == 0 {
		return "ordinary"
	}
	return strings.Join(k, ", ")
}

// uniqueSet is every column set whose uniqueness the table enforces: the
// primary key, UNIQUE constraints and full unique indexes.
func uniqueSet(t *Table) map[string]bool {
	m := map[string]bool{}
	if len(t.PrimaryKey) > 0 {
		m[UniqueKey(t.PrimaryKey)] = true
	}
	for _, u := range t.Unique {
		m[UniqueKey(u)] = true
	}
	for _, x := range t.Indexes {
		if x.Unique && !x.Partial {
			m[UniqueKey(x.Columns)] = true
		}
	}
	return m
}

func hasKey(list [][]string, cols []string) bool {
	k := UniqueKey(cols)
	for _, u := range list {
		if UniqueKey(u) == k {
			return true
		}
	}
	return false
}

func findFK(list []ForeignKey, fk ForeignKey) *ForeignKey {
	for i := range list {
		if list[i].Key() == fk.Key() {
			return &list[i]
		}
	}
	return nil
}

func findCheck(list []Check, c Check) *Check {
	for i := range list {
		if c.Name != "" && strings.EqualFold(list[i].Name, c.Name) {
			return &list[i]
		}
		if c.Name == "" && list[i].Name == "" && list[i].Expr == c.Expr {
			return &list[i]
		}
	}
	return nil
}

func findIndex(list []Index, name string) *Index {
	for i := range list {
		if strings.EqualFold(list[i].Name, name) {
			return &list[i]
		}
	}
	return nil
}

func sameIndex(a, b Index) bool {
	return a.Unique == b.Unique && a.Partial == b.Partial && strings.EqualFold(join(a.Columns), join(b.Columns))
}

func indexLabel(x Index) string {
	s := "index"
	if x.Unique {
		s = "UNIQUE index"
	}
	if x.Partial {
		s = "partial " + s
	}
	return fmt.Sprintf("%s on (%s)", s, join(x.Columns))
}

func checkLabel(c Check) string {
	if c.Name != "" {
		return "CHECK " + c.Name
	}
	return "CHECK"
}

func join(s []string) string { return strings.Join(s, ", ") }

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func action(s string) string {
	if s == "" {
		return "NO ACTION"
	}
	return s
}
