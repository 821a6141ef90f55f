package validate

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
)

// querier is what the checks read through: the caller's *sql.DB, or one
// *sql.Conn of it while the checks run in parallel.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// rule is one per-row invariant: where is true for an offending row.
type rule struct {
	table  string
	label  string   // what the message names after the table: a column, or columns
	needs  []string // columns the rule reads; it is skipped when one is missing
	where  string
	show   []string // columns shown for each example row
	what   string   // what is wrong, counted: "<what> in N rows"
	why    string   // why readers care, in parentheses after the count
	isoCol string   // set for datetime rules: offenders are re-checked in Go
	args   []any    // bound to the placeholders of where

	// Datetime rules only. sameAs are the table's earlier datetime columns:
	// a row whose value equals one of them is left to that column's rule
	// (updated_at is usually created_at), so each distinct value of a row is
	// checked once. full is where without that shortcut, used whenever this
	// rule or one of those columns' rules found something.
	sameAs []string
	full   string
}

const (
	boolWhat = "value other than integer 0 or 1"
	boolWhy  = "readers filter with alias IS 1 / = 0"
)

// rules lists the invariants of docs/reader-contract.md ("Value rules", "Id
// ranges") that can be checked row by row, plus one datetime rule per DATETIME
// column of the expected schema.
func (v *validator) rules() []rule {
	rs := []rule{
		{table: "TAG_STATUS", label: "alias", needs: []string{"alias"},
			where: `typeof(alias) != 'integer' OR alias NOT IN (0, 1)`, show: []string{"alias"}, what: boolWhat, why: boolWhy},
		{table: "TAG_STATUS", label: "deprecated", needs: []string{"deprecated"},
			where: `typeof(deprecated) != 'integer' OR deprecated NOT IN (0, 1)`, show: []string{"deprecated"}, what: boolWhat, why: boolWhy},
		{table: "TAG_STATUS", label: "alias/preferred_tag_id", needs: []string{"alias", "preferred_tag_id", "tag_id"},
			where: `typeof(alias) = 'integer' AND alias IN (0, 1) AND NOT ((alias = 0 AND preferred_tag_id IS tag_id) OR (alias = 1 AND preferred_tag_id IS NOT tag_id))`,
			show:  []string{"alias", "preferred_tag_id"},
			what:  "alias/preferred_tag_id mismatch", why: "alias=0 needs preferred_tag_id = tag_id, alias=1 a different tag"},
		{table: "TAG_TRANSLATIONS", label: "language", needs: []string{"language"},
			where: `language IS NULL`, show: []string{"language", "translation"},
			what: "NULL", why: "readers sort the languages and fail on NULL"},
		{table: "TAGS", label: "tag_id", needs: []string{"tag_id"},
			where: `tag_id >= 1000000000`, show: []string{"tag"},
			what: "tag_id >= 1000000000", why: "reserved for user tags"},
		{table: "TAG_FORMATS", label: "format_id", needs: []string{"format_id"},
			where: `format_id < 0 OR format_id >= 1000`, show: []string{"format_name"},
			what: "format_id outside 0..999", why: "1000+ is reserved for user databases"},
	}
	for _, et := range v.exp.Tables {
		var earlier []string
		for _, c := range et.Columns {
			up := strings.ToUpper(c.Type)
			if !strings.Contains(up, "DATE") && !strings.Contains(up, "TIME") {
				continue
			}
			rs = append(rs, rule{table: et.Name, label: c.Name, needs: []string{c.Name}, isoCol: c.Name,
				sameAs: append([]string(nil), earlier...),
				what:   "value neither NULL nor ISO-8601 text", why: "readers parse it with Python's datetime.fromisoformat"})
			earlier = append(earlier, c.Name)
		}
	}
	return rs
}

// isoFast is true for the common ISO-8601 shapes: YYYY-MM-DD, optionally
// followed by ' ' or 'T', HH:MM:SS, a 1-6 digit fraction and Z or ±HH:MM,
// with a real calendar date (year 1 or later) and hour < 24. Everything else
// is checked by fromISOFormat, so this only has to be cheap and never accept
// a bad value (TestISOFastPathIsSound).
//
// It runs on every value that is not one of a column's common values, so it
// is built for speed. The value's length selects the one or two GLOB
// patterns its shape can match (a CASE on a number costs next to nothing;
// GLOB character classes are the expensive part, about a sixth of the
// check each). The date is checked by SQLite's calendar: date() gives back
// its argument only for a canonical YYYY-MM-DD of a real day, which also
// proves those ten characters are digits and dashes, so the pattern need
// not test them.
func isoFast(c string) string {
	const (
		date  = "??????????"
		clock = "[ T][0-2][0-9]:[0-5][0-9]:[0-5][0-9]"
	)
	zones := []string{"[+-][01][0-9]:[0-5][0-9]", "[+-]2[0-3]:[0-5][0-9]"}
	digits := func(n int) string { return strings.Repeat("[0-9]", n) }
	glob := func(tail string) string { return fmt.Sprintf("%s GLOB '%s%s%s'", c, date, clock, tail) }
	whens := []string{"WHEN 10 THEN 1", "WHEN 19 THEN " + glob(""), "WHEN 20 THEN " + glob("Z")}
	// n is the length of what follows the seconds.
	for n := 2; n <= 13; n++ {
		var alts []string
		if n <= 7 {
			alts = append(alts, glob("."+digits(n-1)))
		}
		if n >= 3 && n <= 8 {
			alts = append(alts, glob("."+digits(n-2)+"Z"))
		}
		for _, z := range zones {
			if n == 6 {
				alts = append(alts, glob(z))
			}
			if n >= 8 {
				alts = append(alts, glob("."+digits(n-7)+z))
			}
		}
		whens = append(whens, fmt.Sprintf("WHEN %d THEN %s", 19+n, strings.Join(alts, " OR ")))
	}
	// An hour of 24-29 passes the pattern; the comparison rules it out.
	for i := 1; i < len(whens); i++ {
		whens[i] = strings.Replace(whens[i], " THEN ", fmt.Sprintf(" THEN substr(%s, 12, 2) < '24' AND (", c), 1) + ")"
	}
	// '0000' is the only canonical year below '0001'. The unary + strips the
	// column's NUMERIC affinity (DATETIME columns have it), which would
	// otherwise make SQLite try to parse every value as a number before
	// comparing it with the text.
	return fmt.Sprintf(`(typeof(%[1]s) = 'text' AND CASE length(%[1]s) %[2]s ELSE 0 END AND +%[1]s >= '0001' AND `+
		`date(substr(%[1]s, 1, 10)) IS substr(%[1]s, 1, 10))`, c, strings.Join(whens, " "))
}

// ruleScan checks every rule of one table with one pass over it: an
// aggregate with one count(*) FILTER per rule. Only failed rules query again,
// for examples. Scans of different tables run in parallel.
type ruleScan struct {
	v        *validator
	table    string
	rules    []rule
	problems []string
}

// ruleScans groups the rules that apply to the file by table.
func (v *validator) ruleScans() []*ruleScan {
	byTable := map[string]*ruleScan{}
	var scans []*ruleScan
	for _, r := range v.rules() {
		t := v.got.Table(r.table)
		if t == nil {
			continue
		}
		ok := true
		for _, c := range r.needs {
			if t.Column(c) == nil {
				ok = false
			}
		}
		if !ok {
			continue // the schema comparison already reported the column
		}
		var same []string
		for _, c := range r.sameAs {
			if t.Column(c) != nil {
				same = append(same, c)
			}
		}
		r.sameAs = same
		sc := byTable[r.table]
		if sc == nil {
			sc = &ruleScan{v: v, table: r.table}
			byTable[r.table] = sc
			scans = append(scans, sc)
		}
		sc.rules = append(sc.rules, r)
	}
	sort.Slice(scans, func(i, j int) bool { return scans[i].table < scans[j].table })
	return scans
}

// cost weighs a scan for scheduling: datetime rules dominate, each value
// that is not a common one costs a few GLOBs.
func (sc *ruleScan) cost() float64 {
	w := 1.0
	for _, r := range sc.rules {
		if r.isoCol != "" {
			w += 2
		} else {
			w += 0.5
		}
	}
	return sc.v.rowEstimate(sc.table) * w
}

// run scans the table. A damaged page stops the scan with an error, which is
// then the table's finding: the rules could not be checked.
func (sc *ruleScan) run(ctx context.Context, c *sql.Conn) error {
	err := sc.scan(ctx, c)
	if err != nil && ctx.Err() == nil && isDamage(err) {
		sc.problems = append(sc.problems, fmt.Sprintf("%s: row rules not checked: %v", sc.table, err))
		return nil
	}
	return err
}

func (sc *ruleScan) scan(ctx context.Context, c *sql.Conn) error {
	for i := range sc.rules {
		if sc.rules[i].isoCol != "" {
			if err := sc.prepareISO(ctx, c, &sc.rules[i]); err != nil {
				return err
			}
		}
	}
	parts := make([]string, len(sc.rules))
	var args []any
	for i, r := range sc.rules {
		parts[i] = fmt.Sprintf("count(*) FILTER (WHERE %s)", r.where)
		args = append(args, r.args...)
	}
	counts := make([]int64, len(sc.rules))
	dest := make([]any, len(sc.rules))
	for i := range counts {
		dest[i] = &counts[i]
	}
	query := fmt.Sprintf("SELECT %s FROM %s", strings.Join(parts, ", "), sqlitedb.QuoteIdent(sc.table))
	if err := c.QueryRowContext(ctx, query, args...).Scan(dest...); err != nil {
		return fmt.Errorf("scan %s: %w", sc.table, err)
	}
	failed := map[string]bool{}
	for i, r := range sc.rules {
		if r.isoCol != "" && counts[i] > 0 {
			failed[strings.ToLower(r.isoCol)] = true
		}
	}
	for i, r := range sc.rules {
		var p string
		var err error
		switch {
		case r.isoCol != "":
			recheck := counts[i] > 0
			for _, s := range r.sameAs {
				recheck = recheck || failed[strings.ToLower(s)]
			}
			if recheck {
				p, err = sc.isoOffenders(ctx, c, r)
			}
		case counts[i] > 0:
			p, err = sc.examples(ctx, c, r, counts[i])
		}
		if err != nil {
			return err
		}
		if p != "" {
			sc.problems = append(sc.problems, p)
		}
	}
	return nil
}

// sampleRows and sampleWindows bound the look at a column's values: a few
// windows spread over the rowid range, so values common in the base part of
// a built file and in its new part are both found.
const (
	sampleRows    = 1000
	sampleWindows = 4
	maxCommon     = 4
)

// prepareISO builds a datetime rule's condition. It samples the column for
// its most common values, checks them once here, and lets the scan skip rows
// holding them with a cheap comparison; likewise rows whose value equals an
// earlier datetime column's. A built file's timestamps are mostly a few
// values (the build time, the base's time), so the per-row SQL check then
// runs on few rows.
func (sc *ruleScan) prepareISO(ctx context.Context, c *sql.Conn, r *rule) error {
	col, t := sqlitedb.QuoteIdent(r.isoCol), sqlitedb.QuoteIdent(r.table)
	sample, sampleArgs := fmt.Sprintf(`SELECT %s AS v FROM %s LIMIT %d`, col, t, sampleRows), []any(nil)
	var lo, hi sql.NullInt64
	if err := c.QueryRowContext(ctx, fmt.Sprintf(`SELECT (SELECT min(rowid) FROM %[1]s), (SELECT max(rowid) FROM %[1]s)`, t)).Scan(&lo, &hi); err == nil && lo.Valid && hi.Valid {
		var windows []string
		for k := 0; k < sampleWindows; k++ {
			windows = append(windows, fmt.Sprintf(`SELECT * FROM (SELECT %s AS v FROM %s WHERE rowid >= ? LIMIT %d)`, col, t, sampleRows/sampleWindows))
			sampleArgs = append(sampleArgs, lo.Int64+(hi.Int64-lo.Int64)/sampleWindows*int64(k))
		}
		sample = strings.Join(windows, " UNION ALL ")
	} // else a table without rowid: its first rows will do.
	rows, err := c.QueryContext(ctx, fmt.Sprintf(
		`SELECT CAST(v AS TEXT) FROM (%s) WHERE typeof(v) = 'text' GROUP BY 1 HAVING count(*) >= %d ORDER BY count(*) DESC LIMIT %d`,
		sample, sampleRows/20, maxCommon), sampleArgs...)
	if err != nil {
		return fmt.Errorf("sample %s.%s: %w", r.table, r.isoCol, err)
	}
	defer rows.Close()
	for rows.Next() {
		var val string
		if err := rows.Scan(&val); err != nil {
			return fmt.Errorf("sample %s.%s: %w", r.table, r.isoCol, err)
		}
		if fromISOFormat(val) == nil {
			r.args = append(r.args, val)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sample %s.%s: %w", r.table, r.isoCol, err)
	}
	skip := ""
	for range r.args {
		skip += fmt.Sprintf(" AND +%s IS NOT ?", col) // + as in isoFast
	}
	same := ""
	for _, s := range r.sameAs {
		same += fmt.Sprintf(" AND +%s IS NOT +%s", col, sqlitedb.QuoteIdent(s))
	}
	r.full = fmt.Sprintf(`%s IS NOT NULL%s AND NOT %s`, col, skip, isoFast(col))
	r.where = fmt.Sprintf(`%s IS NOT NULL%s%s AND NOT %s`, col, skip, same, isoFast(col))
	return nil
}

// rowKey is how a message names a row: its primary key, else its rowid.
func (v *validator) rowKey(table string) []string {
	if t := v.got.Table(table); t != nil && len(t.PrimaryKey) > 0 {
		return t.PrimaryKey
	}
	return []string{"rowid"}
}

// exampleRows names up to Examples rows of table matching where, by key,
// followed by the show columns: "(tag_id=2, format_id=1) alias=2".
func (v *validator) exampleRows(ctx context.Context, q querier, table, where string, args []any, show []string) ([]string, error) {
	quote := sqlitedb.QuoteIdent
	key := v.rowKey(table)
	var cols []string
	for _, c := range key {
		cols = append(cols, "quote("+quote(c)+")")
	}
	for _, c := range show {
		cols = append(cols, "quote("+quote(c)+")")
	}
	query := fmt.Sprintf("SELECT %s FROM %s WHERE %s LIMIT %d", strings.Join(cols, ", "), quote(table), where, v.opts.Examples)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ex []string
	for rows.Next() {
		vals := make([]string, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		var k, s []string
		for i, c := range key {
			k = append(k, c+"="+vals[i])
		}
		for i, c := range show {
			s = append(s, c+"="+vals[len(key)+i])
		}
		e := "(" + strings.Join(k, ", ") + ")"
		if len(s) > 0 {
			e += " " + strings.Join(s, " ")
		}
		ex = append(ex, e)
	}
	return ex, rows.Err()
}

func (sc *ruleScan) examples(ctx context.Context, q querier, r rule, n int64) (string, error) {
	ex, err := sc.v.exampleRows(ctx, q, r.table, r.where, r.args, r.show)
	if err != nil {
		return "", fmt.Errorf("examples for %s.%s: %w", r.table, r.label, err)
	}
	return fmt.Sprintf("%s.%s: %s in %s (%s): %s", r.table, r.label, r.what, rowsWord(int(n)), r.why, strings.Join(ex, "; ")), nil
}

// isoOffenders re-checks the values the SQL fast path did not accept: values
// of another type are always wrong, unusual text goes through fromISOFormat.
// Values are grouped, so a column full of one bad value costs one check.
func (sc *ruleScan) isoOffenders(ctx context.Context, q querier, r rule) (string, error) {
	c := sqlitedb.QuoteIdent(r.isoCol)
	query := fmt.Sprintf(`SELECT typeof(%[1]s), CAST(%[1]s AS TEXT), quote(%[1]s), count(*) FROM %[2]s WHERE %[3]s GROUP BY 1, 2`,
		c, sqlitedb.QuoteIdent(r.table), r.full)
	rows, err := q.QueryContext(ctx, query, r.args...)
	if err != nil {
		return "", fmt.Errorf("check %s.%s: %w", r.table, r.isoCol, err)
	}
	defer rows.Close()
	var bad int64
	var ex []string
	for rows.Next() {
		var typ, quoted string
		var text sql.NullString
		var n int64
		if err := rows.Scan(&typ, &text, &quoted, &n); err != nil {
			return "", fmt.Errorf("check %s.%s: %w", r.table, r.isoCol, err)
		}
		if typ == "text" && fromISOFormat(text.String) == nil {
			continue
		}
		bad += n
		if len(ex) < sc.v.opts.Examples {
			e := truncate(quoted, 60)
			if typ != "text" {
				e += " (" + typ + ")"
			}
			ex = append(ex, fmt.Sprintf("%s in %s", e, rowsWord(int(n))))
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("check %s.%s: %w", r.table, r.isoCol, err)
	}
	if bad == 0 {
		return "", nil
	}
	return fmt.Sprintf("%s.%s: %s in %s (%s): %s", r.table, r.isoCol, r.what, rowsWord(int(bad)), r.why, strings.Join(ex, "; ")), nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// hasTypeMappings reports whether typeMappingCheck can run: both tables have
// the key's columns.
func (v *validator) hasTypeMappings() bool {
	st, m := v.got.Table("TAG_STATUS"), v.got.Table("TAG_TYPE_FORMAT_MAPPING")
	return st != nil && m != nil && st.Column("format_id") != nil && st.Column("type_id") != nil &&
		m.Column("format_id") != nil && m.Column("type_id") != nil
}

// typeMappingCheck checks that every (format_id, type_id) TAG_STATUS uses
// exists in TAG_TYPE_FORMAT_MAPPING (docs/reader-contract.md, "Value rules").
// The pairs are grouped first (an index scan with the 0005 index), so the
// lookup runs once per pair, not per row. It replaces the foreign-key check of
// that composite key, with a message that names the pairs.
type typeMappingCheck struct {
	v       *validator
	problem string
}

func (tm *typeMappingCheck) run(ctx context.Context, c *sql.Conn) error {
	err := tm.check(ctx, c)
	if err != nil && ctx.Err() == nil && isDamage(err) {
		tm.problem = fmt.Sprintf("TAG_STATUS.format_id/type_id: type mappings not checked: %v", err)
		return nil
	}
	return err
}

func (tm *typeMappingCheck) check(ctx context.Context, c *sql.Conn) error {
	rows, err := c.QueryContext(ctx, `
		WITH used AS (SELECT format_id, type_id, count(*) AS n FROM TAG_STATUS GROUP BY format_id, type_id)
		SELECT quote(u.format_id), quote(u.type_id), u.n FROM used AS u
		WHERE NOT EXISTS (SELECT 1 FROM TAG_TYPE_FORMAT_MAPPING AS m WHERE m.format_id = u.format_id AND m.type_id = u.type_id)
		ORDER BY u.format_id, u.type_id`)
	if err != nil {
		return fmt.Errorf("check type mappings: %w", err)
	}
	defer rows.Close()
	var pairs []string
	var total int64
	for rows.Next() {
		var f, t string
		var n int64
		if err := rows.Scan(&f, &t, &n); err != nil {
			return fmt.Errorf("check type mappings: %w", err)
		}
		total += n
		if len(pairs) < tm.v.opts.Examples {
			pairs = append(pairs, fmt.Sprintf("(format_id=%s, type_id=%s) in %s", f, t, rowsWord(int(n))))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check type mappings: %w", err)
	}
	if total > 0 {
		tm.problem = fmt.Sprintf("TAG_STATUS.format_id/type_id: (format_id, type_id) missing from TAG_TYPE_FORMAT_MAPPING in %s (readers resolve type names through it): %s",
			rowsWord(int(total)), strings.Join(pairs, "; "))
	}
	return nil
}

// masterData checks that the fixed ids keep their names
// (docs/reader-contract.md, "Stable ids"): readers and user databases refer to
// them by number.
func (v *validator) masterData() error {
	need := map[string][]string{
		"TAG_FORMATS":             {"format_id", "format_name"},
		"TAG_TYPE_NAME":           {"type_name_id", "type_name"},
		"TAG_TYPE_FORMAT_MAPPING": {"format_id", "type_id", "type_name_id"},
	}
	for t, cols := range need {
		gt := v.got.Table(t)
		if gt == nil {
			return nil
		}
		for _, c := range cols {
			if gt.Column(c) == nil {
				return nil
			}
		}
	}
	got, err := migrations.ReadMaster(v.ctx, v.conn)
	if err != nil {
		v.rep.problem("master data unreadable: %v", err)
		return nil
	}
	exp := v.opts.Master
	v.compareNames("TAG_FORMATS", "format_id", exp.Formats, got.Formats)
	v.compareNames("TAG_TYPE_NAME", "type_name_id", exp.TypeNames, got.TypeNames)

	keys := make([][2]int64, 0, len(exp.Mappings))
	for k := range exp.Mappings {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	var wrong []string
	for _, k := range keys {
		want := exp.Mappings[k]
		g, ok := got.Mappings[k]
		switch {
		case !ok:
			wrong = append(wrong, fmt.Sprintf("(format_id=%d, type_id=%d) missing, expected type_name_id %d", k[0], k[1], want))
		case g != want:
			wrong = append(wrong, fmt.Sprintf("(format_id=%d, type_id=%d) maps to type_name_id %d, expected %d", k[0], k[1], g, want))
		}
	}
	v.summarise("TAG_TYPE_FORMAT_MAPPING", "master rows", wrong)
	return nil
}

func (v *validator) compareNames(table, idCol string, exp, got map[int64]string) {
	ids := make([]int64, 0, len(exp))
	for id := range exp {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var wrong []string
	for _, id := range ids {
		g, ok := got[id]
		switch {
		case !ok:
			wrong = append(wrong, fmt.Sprintf("%s %d (%s) missing", idCol, id, exp[id]))
		case g != exp[id]:
			wrong = append(wrong, fmt.Sprintf("%s %d is %q, expected %q", idCol, id, g, exp[id]))
		}
	}
	v.summarise(table, "master rows", wrong)
}

// summarise reports up to Examples findings one per line, and more as one
// line with a count, so an empty master table is one problem, not 96.
func (v *validator) summarise(table, what string, wrong []string) {
	if len(wrong) <= v.opts.Examples {
		for _, w := range wrong {
			v.rep.problem("%s: %s", table, w)
		}
		return
	}
	v.rep.problem("%s: %d %s missing or different: %s; ...", table, len(wrong), what, strings.Join(wrong[:v.opts.Examples], "; "))
}

// version checks DATABASE_METADATA's version row (docs/reader-contract.md,
// "Value rules"). A file without any tags (what `tagdb migrate` creates) may
// lack it: there is nothing to version yet, and a build always writes it.
func (v *validator) version() error {
	t := v.got.Table("DATABASE_METADATA")
	if t == nil || t.Column("key") == nil || t.Column("value") == nil {
		return nil
	}
	var value sql.NullString
	err := v.conn.QueryRowContext(v.ctx, `SELECT CAST(value AS TEXT) FROM DATABASE_METADATA WHERE key = 'version'`).Scan(&value)
	switch {
	case err == sql.ErrNoRows:
		empty, err := v.noTags()
		if err != nil {
			return err
		}
		if empty {
			v.rep.note("DATABASE_METADATA has no 'version' row (acceptable only while the database holds no tags)")
		} else {
			v.rep.problem("DATABASE_METADATA: no 'version' row (readers show it; a build must write it)")
		}
	case err != nil:
		return fmt.Errorf("read DATABASE_METADATA: %w", err)
	case strings.TrimSpace(value.String) == "":
		v.rep.problem("DATABASE_METADATA.version: empty value")
	}
	return nil
}

func (v *validator) noTags() (bool, error) {
	if v.got.Table("TAGS") == nil {
		return true, nil
	}
	var one int
	err := v.conn.QueryRowContext(v.ctx, `SELECT 1 FROM TAGS LIMIT 1`).Scan(&one)
	if err == sql.ErrNoRows {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("read TAGS: %w", err)
	}
	return false, nil
}
