package check

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/internal/textfmt"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

// Comparing the published rows with the migrated ones. A migration can lose
// data without changing the schema (DELETE, UPDATE, DROP TABLE and the same
// CREATE), so the check reads every table both sides have, in key order on
// both, and merges the two streams: memory stays constant and the counts are
// exact. Rows are matched by the old primary key (rowid when there is none)
// and compared on the columns both sides have, so an added or dropped column
// is the schema diff's business, not a rewrite of every row.

// TableData is what the migrations did to the rows of one table.
type TableData struct {
	Table   string `json:"table"`
	Key     string `json:"key"` // what rows are matched by: "rowid" or the primary key's columns
	Before  int64  `json:"rows_before"`
	After   int64  `json:"rows_after"`
	Lost    int64  `json:"rows_lost"`    // rows whose key is gone
	Changed int64  `json:"rows_changed"` // rows whose key is kept but whose values are not
	Added   int64  `json:"rows_added"`
}

// Destructive reports whether published rows were lost or rewritten.
func (d TableData) Destructive() bool { return d.Lost > 0 || d.Changed > 0 }

// Summary says it in one phrase: "2 rows → 1: 1 lost, 0 rewritten, 0 added".
func (d TableData) Summary() string {
	return fmt.Sprintf("rows %d → %d: %d lost, %d rewritten, %d added (matched by %s)", d.Before, d.After, d.Lost, d.Changed, d.Added, d.Key)
}

// compareData compares the published database at path (opened read-only
// and immutable: nothing is written next to it) with the migrated copy and
// records the tables whose rows changed. v is the base version.
func (c *checker) compareData(path string, migrated *sql.DB, old, cur *schema.Snapshot, v int) error {
	base, err := sql.Open("sqlite", sqlitedb.DSN(path, sqlitedb.ReadOnly)+"&immutable=1")
	if err != nil {
		return fmt.Errorf("base database %s: %w", path, err)
	}
	defer base.Close()
	var compared int
	var lost, added int64
	var problems []string
	for i := range old.Tables {
		o := &old.Tables[i]
		n := cur.Table(o.Name)
		if n == nil || o.Virtual || n.Virtual || strings.EqualFold(o.Name, "schema_migrations") {
			// A dropped or renamed table is a schema change already.
			continue
		}
		d, err := compareTable(c.ctx, base, migrated, o, n)
		if err != nil {
			return fmt.Errorf("compare the rows of %s: %w", o.Name, err)
		}
		compared++
		added += d.Added
		if d.Lost+d.Changed+d.Added == 0 {
			continue
		}
		c.res.Data = append(c.res.Data, d)
		if !d.Destructive() {
			continue
		}
		lost += d.Lost + d.Changed
		problems = append(problems, d.Table+": "+d.Summary())
		c.annotateData(d, v)
	}
	name := "the published rows are kept"
	s := Step{Name: name, Status: StepOK, Problems: problems,
		Detail: fmt.Sprintf("%d tables compared: no row lost or rewritten", compared)}
	if added > 0 {
		s.Detail += fmt.Sprintf(", %d added", added)
	}
	if len(problems) > 0 {
		s.Detail = fmt.Sprintf("%d of %d tables lose or rewrite rows (%s)", len(problems), compared, textfmt.Plural(int(lost), "row"))
		if c.opts.AllowDestructive {
			s.Detail += ", allowed by allow-destructive"
		} else {
			s.Status = StepFailed
			c.fail("rows lost or rewritten in " + textfmt.Plural(len(problems), "table"))
		}
	}
	c.step(s)
	return nil
}

// annotateData pins a destructive data change to the statement that most
// likely made it.
func (c *checker) annotateData(d TableData, v int) {
	file, line := c.locateData(d.Table, v)
	level, msg := "error", d.Summary()+". If it is intended, set allow-destructive and say so in the release notes."
	if c.opts.AllowDestructive {
		level, msg = "warning", d.Summary()+". Allowed by allow-destructive: say so in the release notes."
	}
	c.annotate(file, line, level, "destructive data change: rows lost or rewritten in "+d.Table, msg)
}

// compareTable merges o's rows in before with n's rows in after, both in key
// order.
func compareTable(ctx context.Context, before, after *sql.DB, o, n *schema.Table) (TableData, error) {
	d := TableData{Table: o.Name, Key: "rowid"}
	keys := o.PrimaryKey // nil: the rowid
	for _, k := range keys {
		if n.Column(k) == nil {
			keys = nil // the key is gone: match by rowid
			break
		}
	}
	if keys == nil && (o.WithoutRowid || n.WithoutRowid) {
		// No key both sides have: only the counts can be compared.
		return countOnly(ctx, before, after, o.Name, n.Name)
	}
	if keys != nil {
		d.Key = strings.Join(keys, ", ")
	}
	var cols []string
	for _, c := range o.Columns {
		if c.Hidden != "" || n.Column(c.Name) == nil || n.Column(c.Name).Hidden != "" || slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, c.Name) }) {
			continue
		}
		cols = append(cols, c.Name)
	}
	a, err := openStream(ctx, before, o.Name, keys, cols)
	if err != nil {
		return d, fmt.Errorf("published: %w", err)
	}
	defer a.close()
	b, err := openStream(ctx, after, n.Name, keys, cols)
	if err != nil {
		return d, fmt.Errorf("migrated: %w", err)
	}
	defer b.close()
	nk := max(len(keys), 1)
	ra, rb := a.next(), b.next()
	for ra != nil || rb != nil {
		switch cmp := compareKeys(ra, rb, nk); {
		case cmp < 0:
			d.Lost++
			d.Before++
			ra = a.next()
		case cmp > 0:
			d.Added++
			d.After++
			rb = b.next()
		default:
			if !sameValues(ra[nk:], rb[nk:]) {
				d.Changed++
			}
			d.Before++
			d.After++
			ra, rb = a.next(), b.next()
		}
	}
	if err := a.err(); err != nil {
		return d, fmt.Errorf("published: %w", err)
	}
	if err := b.err(); err != nil {
		return d, fmt.Errorf("migrated: %w", err)
	}
	return d, nil
}

// countOnly compares the row counts of a table whose rows cannot be matched.
func countOnly(ctx context.Context, before, after *sql.DB, oldName, newName string) (TableData, error) {
	d := TableData{Table: oldName, Key: "nothing (the key changed): counts only"}
	if err := before.QueryRowContext(ctx, "SELECT count(*) FROM "+sqlitedb.QuoteIdent(oldName)).Scan(&d.Before); err != nil {
		return d, fmt.Errorf("published: %w", err)
	}
	if err := after.QueryRowContext(ctx, "SELECT count(*) FROM "+sqlitedb.QuoteIdent(newName)).Scan(&d.After); err != nil {
		return d, fmt.Errorf("migrated: %w", err)
	}
	d.Lost, d.Added = max(d.Before-d.After, 0), max(d.After-d.Before, 0)
	return d, nil
}

// stream reads one table's rows in key order, the key first.
type stream struct {
	rows *sql.Rows
	vals []any
	ptrs []any
	e    error
}

func openStream(ctx context.Context, db *sql.DB, table string, keys, cols []string) (*stream, error) {
	var sel, order []string
	if keys == nil {
		sel, order = []string{"rowid"}, []string{"rowid"}
	}
	for _, k := range keys {
		sel = append(sel, sqlitedb.QuoteIdent(k))
		// Go compares text byte by byte: so must the order.
		order = append(order, sqlitedb.QuoteIdent(k)+" COLLATE BINARY")
	}
	for _, c := range cols {
		sel = append(sel, sqlitedb.QuoteIdent(c))
	}
	q := fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", strings.Join(sel, ", "), sqlitedb.QuoteIdent(table), strings.Join(order, ", "))
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	s := &stream{rows: rows, vals: make([]any, len(sel)), ptrs: make([]any, len(sel))}
	for i := range s.vals {
		s.ptrs[i] = &s.vals[i]
	}
	return s, nil
}

// next returns the next row (valid until the following call), nil at the end.
func (s *stream) next() []any {
	if s.e != nil || !s.rows.Next() {
		return nil
	}
	if err := s.rows.Scan(s.ptrs...); err != nil {
		s.e = err
		return nil
	}
	row := make([]any, len(s.vals))
	for i, v := range s.vals {
		if b, ok := v.([]byte); ok {
			v = bytes.Clone(b)
		}
		row[i] = v
	}
	return row
}

func (s *stream) err() error {
	if s.e != nil {
		return s.e
	}
	return s.rows.Err()
}

func (s *stream) close() { s.rows.Close() }

// compareKeys orders two rows by their first nk values as SQLite's ORDER BY
// does; a nil row (an ended stream) comes after every row.
func compareKeys(a, b []any, nk int) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	for i := range nk {
		if c := compareValues(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// compareValues orders values as SQLite does with BINARY collation: NULL,
// then numbers, then text, then blobs.
func compareValues(a, b any) int {
	ca, cb := class(a), class(b)
	if ca != cb {
		return ca - cb
	}
	switch x := a.(type) {
	case nil:
		return 0
	case int64, float64:
		fa, fb := number(a), number(b)
		if ia, ok := a.(int64); ok {
			if ib, ok := b.(int64); ok {
				return cmp3(ia, ib)
			}
		}
		return cmp3(fa, fb)
	case string:
		return strings.Compare(x, b.(string))
	case []byte:
		return bytes.Compare(x, b.([]byte))
	case time.Time:
		return x.Compare(b.(time.Time))
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func class(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case int64, float64:
		return 1
	case string:
		return 2
	case []byte:
		return 3
	}
	return 4 // time.Time: the driver's reading of a DATE or TIMESTAMP column
}

func number(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

func cmp3[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sameValues reports whether two rows hold the same values, type included
// (1 and '1' differ: a migration that turns one into the other rewrote it).
func sameValues(a, b []any) bool {
	for i := range a {
		if class(a[i]) != class(b[i]) || compareValues(a[i], b[i]) != 0 {
			return false
		}
		if _, ok := a[i].(int64); ok {
			if _, ok := b[i].(int64); !ok {
				return false
			}
		}
	}
	return true
}
