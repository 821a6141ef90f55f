package validate

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// maxStructureLines is how many lines of one table's check a report keeps;
// a badly damaged table can produce thousands.
const maxStructureLines = 10

// structureCheck is the b-tree check of one table and its indexes:
// PRAGMA quick_check(T) or integrity_check(T). SQLite checks every page of
// those b-trees (cell layout, key order, overflow chains, depth), that each
// index has as many entries as the table has rows, and every row's record
// format and NOT NULL constraints; integrity_check also looks up every row's
// entry in every index and checks UNIQUE. Checking sqlite_schema also walks
// the free-list. CHECK constraints are not evaluated: SQLite does not even
// parse them on a read-only connection, which is what validation uses.
type structureCheck struct {
	pragma string // "quick_check" or "integrity_check"
	table  string
	trees  map[string]string // root page number -> name, to name "Tree N"
	lines  []string          // what SQLite reported other than "ok"
	more   int               // lines left out past maxStructureLines
	failed error             // the check itself stopped with an error (a damaged file)
}

func (s *structureCheck) run(ctx context.Context, c *sql.Conn) error {
	// The table-valued form takes the table name as a bound argument.
	rows, err := c.QueryContext(ctx, fmt.Sprintf(`SELECT * FROM pragma_%s(?)`, s.pragma), s.table)
	if err != nil {
		return s.damaged(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return s.damaged(ctx, err)
		}
		// One result can hold several lines, headed by the schema name.
		for _, line := range strings.Split(text, "\n") {
			if line == "ok" || line == "" || strings.HasPrefix(line, "*** in database ") {
				continue
			}
			if len(s.lines) < maxStructureLines {
				s.lines = append(s.lines, s.nameTree(line))
			} else {
				s.more++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return s.damaged(ctx, err)
	}
	return nil
}

// damaged records an error of the check as a finding when it is damage:
// SQLite stops with "database disk image is malformed" on some damage
// instead of describing it.
func (s *structureCheck) damaged(ctx context.Context, err error) error {
	if ctx.Err() != nil || !isDamage(err) {
		return err
	}
	s.failed = err
	return nil
}

// nameTree adds the b-tree's name to SQLite's "Tree 5 page 7 ...": the
// number is a root page, which no reader knows.
func (s *structureCheck) nameTree(line string) string {
	rest, ok := strings.CutPrefix(line, "Tree ")
	if !ok {
		return line
	}
	num, after, ok := strings.Cut(rest, " ")
	if name, known := s.trees[num]; ok && known {
		return fmt.Sprintf("Tree %s (%s) %s", num, name, after)
	}
	return line
}

func (s *structureCheck) report(r *Report) {
	name := fmt.Sprintf("%s(%s)", s.pragma, s.table)
	for _, l := range s.lines {
		r.problem("%s: %s", name, l)
	}
	if s.more > 0 {
		r.problem("%s: %d more lines", name, s.more)
	}
	if s.failed != nil {
		r.problem("%s stopped: %v", name, s.failed)
	}
}

// structureTasks lists one check per table of the file, SQLite's own
// included, biggest first. The per-table checks together cover every b-tree
// in the file; what they cannot see is a page no b-tree and no free-list
// entry refers to, which pageAccounting looks for.
func (v *validator) structureTasks() ([]task, []*structureCheck, error) {
	pragma := "integrity_check"
	if v.opts.Quick {
		pragma = "quick_check"
	}
	rows, err := v.conn.QueryContext(v.ctx, `SELECT type, name, tbl_name, rootpage, coalesce(sql, '') FROM sqlite_schema ORDER BY name`)
	if err != nil {
		return nil, nil, fmt.Errorf("list tables: %w", err)
	}
	type table struct {
		name    string
		indexes int
		virtual bool
	}
	tables := []table{{name: "sqlite_schema"}}
	trees := map[string]string{"1": "sqlite_schema"}
	indexes := map[string]int{}
	for rows.Next() {
		var typ, name, tbl, ddl string
		var root sql.NullInt64
		if err := rows.Scan(&typ, &name, &tbl, &root, &ddl); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("list tables: %w", err)
		}
		if root.Valid && root.Int64 > 0 {
			trees[fmt.Sprint(root.Int64)] = name
		}
		switch typ {
		case "table":
			virtual := strings.HasPrefix(strings.ToUpper(strings.Join(strings.Fields(ddl), " ")), "CREATE VIRTUAL TABLE")
			tables = append(tables, table{name: name, virtual: virtual})
		case "index":
			indexes[strings.ToLower(tbl)]++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("list tables: %w", err)
	}
	for i := range tables {
		tables[i].indexes = indexes[strings.ToLower(tables[i].name)]
	}
	var tasks []task
	var checks []*structureCheck
	biggest := 0.0
	for _, t := range tables {
		s := &structureCheck{pragma: pragma, table: t.name, trees: trees}
		checks = append(checks, s)
		// Each index is one more b-tree to walk, and for integrity_check one
		// more lookup per row; a row costs about as much as an index entry.
		cost := 0.0
		if !t.virtual {
			cost = v.rowEstimate(t.name) * float64(1+t.indexes)
			if !v.opts.Quick {
				cost *= 4
			}
			biggest = max(biggest, cost)
		}
		tasks = append(tasks, task{name: pragma + " " + t.name, cost: cost, run: s.run})
	}
	// A virtual table's check is its module's own (FTS5 reads its whole
	// index); max(rowid) could scan it. Start them with the biggest.
	for i, t := range tables {
		if t.virtual {
			tasks[i].cost = biggest
		}
	}
	return tasks, checks, nil
}

// rowEstimate guesses a table's size for scheduling: its largest rowid, a
// b-tree descent. Tables without a rowid, and damaged ones, count as small;
// the estimate only orders the work.
func (v *validator) rowEstimate(table string) float64 {
	var n sql.NullInt64
	if err := v.conn.QueryRowContext(v.ctx, `SELECT max(rowid) FROM `+sqlitedb.QuoteIdent(table)).Scan(&n); err != nil || !n.Valid || n.Int64 < 1 {
		return 1
	}
	return float64(n.Int64)
}

// pageAccounting checks that every page of the file belongs to exactly one
// b-tree or to the free-list, as the whole-file integrity_check does and the
// per-table checks cannot: the pages of all b-trees (dbstat's aggregate rows
// count them, overflow pages included) plus the free-list, the lock-byte page
// and pointer-map pages must add up to the page count. A page two b-trees
// share, or one nothing refers to, breaks the sum.
type pageAccounting struct {
	pages, treePages, freePages, reserved int64
	skipped                               string // why the sum was not checked
	failed                                error
}

func (p *pageAccounting) run(ctx context.Context, c *sql.Conn) error {
	var autoVacuum, pageSize int64
	for _, q := range []struct {
		sql  string
		dest *int64
	}{
		{`PRAGMA page_count`, &p.pages}, {`PRAGMA freelist_count`, &p.freePages},
		{`PRAGMA auto_vacuum`, &autoVacuum}, {`PRAGMA page_size`, &pageSize},
	} {
		if err := c.QueryRowContext(ctx, q.sql).Scan(q.dest); err != nil {
			return p.damaged(ctx, fmt.Errorf("%s: %w", q.sql, err))
		}
	}
	if autoVacuum != 0 {
		// Pointer-map pages sit between b-tree pages; counting them needs
		// the reserved bytes per page too. Such files are not ours.
		p.skipped = "auto_vacuum file"
		return nil
	}
	var sum sql.NullInt64
	if err := c.QueryRowContext(ctx, `SELECT sum(pageno) FROM dbstat WHERE aggregate = TRUE`).Scan(&sum); err != nil {
		if strings.Contains(err.Error(), "no such table: dbstat") {
			p.skipped = "this SQLite has no dbstat table"
			return nil
		}
		return p.damaged(ctx, fmt.Errorf("dbstat: %w", err))
	}
	p.treePages = sum.Int64
	// The page holding byte offset 2^30 (SQLite's lock bytes) is never used.
	if lockPage := int64(1<<30)/pageSize + 1; lockPage <= p.pages {
		p.reserved = 1
	}
	return nil
}

func (p *pageAccounting) damaged(ctx context.Context, err error) error {
	if ctx.Err() != nil || !isDamage(err) {
		return err
	}
	p.failed = err
	return nil
}

func (p *pageAccounting) report(r *Report) {
	switch {
	case p.failed != nil:
		r.problem("page accounting failed: %v", p.failed)
	case p.skipped != "":
		r.note("page accounting skipped: %s", p.skipped)
	case p.treePages+p.freePages+p.reserved != p.pages:
		used := p.treePages + p.freePages + p.reserved
		why := "some pages are used twice"
		if used < p.pages {
			why = "some pages belong to no b-tree and are not free (lost space, or damage)"
		}
		r.problem("page accounting: the file has %d pages, its b-trees use %d, the free-list holds %d and %d are reserved: %s",
			p.pages, p.treePages, p.freePages, p.reserved, why)
	}
}
