package validate

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

// fkCheck checks one foreign key with an anti-join:
//
//	SELECT count(*) FROM child WHERE (c1, ...) NOT IN (SELECT p1, ... FROM parent)
//
// which finds the rows PRAGMA foreign_key_check reports (a row with a NULL
// in the key is exempt: NOT IN is then NULL, not true) at a fraction of its
// cost. SQLite answers NOT IN on a parent primary key with one search of the
// parent b-tree per row, and reads the child through an index on the key
// when there is one (there is for every key to TAGS), so the searches come
// in key order and hit the pages the previous one loaded; foreign_key_check
// walks the child in rowid order and searches the parent at random.
type fkCheck struct {
	v      *validator
	table  string
	fk     schema.ForeignKey
	refs   []string // the parent columns, RefColumns or the parent's primary key
	n      int64
	ex     []string
	broken string // why the key cannot be checked, reported as a problem
	orphan bool   // the parent table is missing: every complete key violates
}

// fkChecks lists every foreign key of every table of the file, in table
// order. TAG_STATUS's key to TAG_TYPE_FORMAT_MAPPING is left to
// typeMappingCheck, which reports the missing pairs by value.
func (v *validator) fkChecks() []*fkCheck {
	var out []*fkCheck
	for _, t := range v.got.Tables {
		for _, fk := range t.ForeignKeys {
			if isTypeMappingFK(t.Name, fk.RefTable) && v.hasTypeMappings() {
				continue
			}
			f := &fkCheck{v: v, table: t.Name, fk: fk, refs: fk.RefColumns}
			parent := v.got.Table(fk.RefTable)
			switch {
			case parent == nil:
				f.orphan = true // as in foreign_key_check
			case len(f.refs) == 0 && len(parent.PrimaryKey) == 0:
				f.broken = "the parent has no primary key"
			case len(f.refs) == 0:
				f.refs = parent.PrimaryKey
			}
			if !f.orphan && f.broken == "" && len(f.refs) != len(fk.Columns) {
				f.broken = fmt.Sprintf("%d columns refer to %d", len(fk.Columns), len(f.refs))
			}
			out = append(out, f)
		}
	}
	return out
}

// isTypeMappingFK is the TAG_STATUS -> TAG_TYPE_FORMAT_MAPPING key.
func isTypeMappingFK(table, parent string) bool {
	return strings.EqualFold(table, "TAG_STATUS") && strings.EqualFold(parent, "TAG_TYPE_FORMAT_MAPPING")
}

// condition is true for a child row whose key has no parent row.
func (f *fkCheck) condition() string {
	q := sqlitedb.QuoteIdent
	child := make([]string, len(f.fk.Columns))
	for i, c := range f.fk.Columns {
		child[i] = q(c)
	}
	if f.orphan {
		return strings.Join(child, " IS NOT NULL AND ") + " IS NOT NULL"
	}
	parent := make([]string, len(f.refs))
	var nullable []string
	for i, c := range f.refs {
		parent[i] = q(c)
		if !f.notNull(c) {
			nullable = append(nullable, q(c)+" IS NOT NULL")
		}
	}
	lhs := strings.Join(child, ", ")
	if len(child) > 1 {
		lhs = "(" + lhs + ")"
	}
	// A NULL in the parent list would make NOT IN NULL for every row that
	// has no match; the filter is left out when it cannot apply, because it
	// keeps SQLite from searching the parent's own b-tree.
	where := ""
	if len(nullable) > 0 {
		where = " WHERE " + strings.Join(nullable, " AND ")
	}
	return fmt.Sprintf("%s NOT IN (SELECT %s FROM %s%s)", lhs, strings.Join(parent, ", "), q(f.fk.RefTable), where)
}

// notNull reports whether a parent column cannot hold NULL: declared NOT
// NULL, or the INTEGER PRIMARY KEY that is the rowid.
func (f *fkCheck) notNull(col string) bool {
	p := f.v.got.Table(f.fk.RefTable)
	c := p.Column(col)
	if c == nil {
		return false
	}
	rowid := !p.WithoutRowid && len(p.PrimaryKey) == 1 && strings.EqualFold(p.PrimaryKey[0], col) && strings.EqualFold(c.Type, "INTEGER")
	return c.NotNull || rowid
}

func (f *fkCheck) run(ctx context.Context, c *sql.Conn) error {
	if f.broken != "" {
		return nil
	}
	cond := f.condition()
	err := c.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", sqlitedb.QuoteIdent(f.table), cond)).Scan(&f.n)
	if err == nil && f.n > 0 {
		f.ex, err = f.v.exampleRows(ctx, c, f.table, cond, nil, nil)
	}
	if err != nil {
		// A parent column that does not exist (an SQL error) or a damaged
		// page: the key cannot be checked, which is itself a finding.
		if ctx.Err() != nil || !(isDamage(err) || isSQLError(err)) {
			return err
		}
		f.broken = err.Error()
	}
	return nil
}

func (f *fkCheck) report(r *Report) {
	switch {
	case f.broken != "":
		r.problem("%s: %s cannot be checked: %s", f.table, f.fk, f.broken)
	case f.n > 0 && f.orphan:
		r.problem("%s: %s violated in %s (the parent table is missing): %s", f.table, f.fk, rowsWord(int(f.n)), strings.Join(f.ex, "; "))
	case f.n > 0:
		r.problem("%s: %s violated in %s: %s", f.table, f.fk, rowsWord(int(f.n)), strings.Join(f.ex, "; "))
	}
}

func rowsWord(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}
