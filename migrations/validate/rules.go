package validate

import (
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
)

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
}

const (
	boolWhat = "value other than integer 0 or 1"
	boolWhy  = "readers filter with alias IS 1 / = 0"
)

// rules lists the invariants of consumer-contract §1.5 that can be checked
// row by row, plus one datetime rule per DATETIME column of the expected
// schema.
func (v *validator) rules() []rule {
	q := sqlitedb.QuoteIdent
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
		for _, c := range et.Columns {
			up := strings.ToUpper(c.Type)
			if !strings.Contains(up, "DATE") && !strings.Contains(up, "TIME") {
				continue
			}
			rs = append(rs, rule{table: et.Name, label: c.Name, needs: []string{c.Name}, isoCol: c.Name,
				where: fmt.Sprintf(`%[1]s IS NOT NULL AND NOT %[2]s`, q(c.Name), isoFast(q(c.Name))),
				what:  "value neither NULL nor ISO-8601 text", why: "readers parse it with Python's datetime.fromisoformat"})
		}
	}
	return rs
}

// isoFast is true for the common ISO-8601 shapes: YYYY-MM-DD, optionally
// followed by ' ' or 'T', HH:MM:SS, a 1-6 digit fraction and Z or ±HH:MM,
// with a real calendar date (year 1 or later) and hour < 24. Everything else
// is checked by fromISOFormat, so this only has to be cheap and never accept
// a bad value (TestISOFastPathIsSound). The date, the time and the short tail
// after the seconds are tested separately so most values need few GLOBs.
func isoFast(c string) string {
	var tails []string
	for n := 1; n <= 6; n++ {
		for _, tz := range []string{"", "Z", "[+-][01][0-9]:[0-5][0-9]", "[+-]2[0-3]:[0-5][0-9]"} {
			tails = append(tails, fmt.Sprintf(`substr(%s, 20) GLOB '.%s%s'`, c, strings.Repeat("[0-9]", n), tz))
		}
	}
	for _, tz := range []string{"[+-][01][0-9]:[0-5][0-9]", "[+-]2[0-3]:[0-5][0-9]"} {
		tails = append(tails, fmt.Sprintf(`substr(%s, 20) GLOB '%s'`, c, tz))
	}
	return fmt.Sprintf(`(typeof(%[1]s) = 'text' AND date(substr(%[1]s, 1, 10)) IS substr(%[1]s, 1, 10) AND substr(%[1]s, 1, 4) != '0000' AND `+
		`(length(%[1]s) = 10 OR (substr(%[1]s, 11, 9) GLOB '[ T][0-2][0-9]:[0-5][0-9]:[0-5][0-9]' AND substr(%[1]s, 12, 2) < '24' AND `+
		`(substr(%[1]s, 20) IN ('', 'Z') OR %[2]s))))`, c, strings.Join(tails, " OR "))
}

// rowRules runs the rules: one aggregate scan per table counts every rule's
// offenders at once; only failed rules query for examples.
func (v *validator) rowRules() error {
	byTable := map[string][]rule{}
	var tables []string
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
		if _, seen := byTable[r.table]; !seen {
			tables = append(tables, r.table)
		}
		byTable[r.table] = append(byTable[r.table], r)
	}
	sort.Strings(tables)
	// One scan per table, the tables in parallel: on a multi-million-row file
	// the scans are most of validation, and a read-only pool may hold several
	// connections. Examples are fetched afterwards, in order, for failures only.
	type scan struct {
		rs     []rule
		counts []int64
		err    error
	}
	scans := make([]scan, len(tables))
	for i, table := range tables {
		rs := byTable[table]
		for j := range rs {
			if rs[j].isoCol != "" {
				if err := v.skipCommon(&rs[j]); err != nil {
					return err
				}
			}
		}
		scans[i].rs = rs
	}
	var wg sync.WaitGroup
	for i, table := range tables {
		wg.Add(1)
		go func(sc *scan, table string) {
			defer wg.Done()
			parts := make([]string, len(sc.rs))
			var args []any
			for j := range sc.rs {
				parts[j] = fmt.Sprintf("count(*) FILTER (WHERE %s)", sc.rs[j].where)
				args = append(args, sc.rs[j].args...)
			}
			sc.counts = make([]int64, len(sc.rs))
			dest := make([]any, len(sc.rs))
			for j := range sc.counts {
				dest[j] = &sc.counts[j]
			}
			query := fmt.Sprintf("SELECT %s FROM %s", strings.Join(parts, ", "), sqlitedb.QuoteIdent(table))
			if err := v.conn.QueryRowContext(v.ctx, query, args...).Scan(dest...); err != nil {
				sc.err = fmt.Errorf("scan %s: %w", table, err)
			}
		}(&scans[i], table)
	}
	wg.Wait()
	for _, sc := range scans {
		if sc.err != nil {
			return sc.err
		}
		for i, r := range sc.rs {
			if sc.counts[i] == 0 {
				continue
			}
			var err error
			if r.isoCol != "" {
				err = v.isoOffenders(r)
			} else {
				err = v.examples(r, sc.counts[i])
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// skipCommon finds the most common values of a datetime column in its first
// rows, checks them once here, and lets the scan skip rows holding them with a
// cheap comparison. A built file's timestamps are mostly one or two values
// (the build time, CURRENT_TIMESTAMP), so the per-row SQL check then runs on
// few rows.
func (v *validator) skipCommon(r *rule) error {
	c, t := sqlitedb.QuoteIdent(r.isoCol), sqlitedb.QuoteIdent(r.table)
	rows, err := v.conn.QueryContext(v.ctx, fmt.Sprintf(
		`SELECT CAST(%[1]s AS TEXT) FROM (SELECT %[1]s FROM %[2]s LIMIT 1000) WHERE typeof(%[1]s) = 'text' GROUP BY 1 ORDER BY count(*) DESC LIMIT 3`,
		c, t))
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
		skip += fmt.Sprintf(" AND %s IS NOT ?", c)
	}
	r.where = fmt.Sprintf(`%[1]s IS NOT NULL%[2]s AND NOT %[3]s`, c, skip, isoFast(c))
	return nil
}

// rowKey is how a message names a row: its primary key, else its rowid.
func (v *validator) rowKey(table string) []string {
	if t := v.got.Table(table); t != nil && len(t.PrimaryKey) > 0 {
		return t.PrimaryKey
	}
	return []string{"rowid"}
}

func (v *validator) examples(r rule, n int64) error {
	q := sqlitedb.QuoteIdent
	key := v.rowKey(r.table)
	var cols []string
	for _, c := range key {
		cols = append(cols, "quote("+q(c)+")")
	}
	for _, c := range r.show {
		cols = append(cols, "quote("+q(c)+")")
	}
	query := fmt.Sprintf("SELECT %s FROM %s WHERE %s LIMIT %d", strings.Join(cols, ", "), q(r.table), r.where, v.opts.Examples)
	rows, err := v.conn.QueryContext(v.ctx, query, r.args...)
	if err != nil {
		return fmt.Errorf("examples for %s.%s: %w", r.table, r.label, err)
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
			return fmt.Errorf("examples for %s.%s: %w", r.table, r.label, err)
		}
		var k, s []string
		for i, c := range key {
			k = append(k, c+"="+vals[i])
		}
		for i, c := range r.show {
			s = append(s, c+"="+vals[len(key)+i])
		}
		ex = append(ex, "("+strings.Join(k, ", ")+") "+strings.Join(s, " "))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("examples for %s.%s: %w", r.table, r.label, err)
	}
	v.rep.problem("%s.%s: %s in %s (%s): %s", r.table, r.label, r.what, rowsWord(int(n)), r.why, strings.Join(ex, "; "))
	return nil
}

// isoOffenders re-checks the values the SQL fast path did not accept: values
// of another type are always wrong, unusual text goes through fromISOFormat.
// Values are grouped, so a column full of one bad value costs one check.
func (v *validator) isoOffenders(r rule) error {
	c := sqlitedb.QuoteIdent(r.isoCol)
	query := fmt.Sprintf(`SELECT typeof(%[1]s), CAST(%[1]s AS TEXT), quote(%[1]s), count(*) FROM %[2]s WHERE %[3]s GROUP BY 1, 2`,
		c, sqlitedb.QuoteIdent(r.table), r.where)
	rows, err := v.conn.QueryContext(v.ctx, query, r.args...)
	if err != nil {
		return fmt.Errorf("check %s.%s: %w", r.table, r.isoCol, err)
	}
	defer rows.Close()
	var bad int64
	var ex []string
	for rows.Next() {
		var typ, quoted string
		var text sql.NullString
		var n int64
		if err := rows.Scan(&typ, &text, &quoted, &n); err != nil {
			return fmt.Errorf("check %s.%s: %w", r.table, r.isoCol, err)
		}
		if typ == "text" && fromISOFormat(text.String) == nil {
			continue
		}
		bad += n
		if len(ex) < v.opts.Examples {
			e := truncate(quoted, 60)
			if typ != "text" {
				e += " (" + typ + ")"
			}
			ex = append(ex, fmt.Sprintf("%s in %s", e, rowsWord(int(n))))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check %s.%s: %w", r.table, r.isoCol, err)
	}
	if bad > 0 {
		v.rep.problem("%s.%s: %s in %s (%s): %s", r.table, r.isoCol, r.what, rowsWord(int(bad)), r.why, strings.Join(ex, "; "))
	}
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// typeMappings checks that every (format_id, type_id) TAG_STATUS uses exists
// in TAG_TYPE_FORMAT_MAPPING (§1.5.6). The pairs are grouped first (an index
// scan with the 0005 index), so the lookup runs once per pair, not per row.
func (v *validator) typeMappings() error {
	st, m := v.got.Table("TAG_STATUS"), v.got.Table("TAG_TYPE_FORMAT_MAPPING")
	if st == nil || m == nil || st.Column("format_id") == nil || st.Column("type_id") == nil ||
		m.Column("format_id") == nil || m.Column("type_id") == nil {
		return nil
	}
	rows, err := v.conn.QueryContext(v.ctx, `
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
		if len(pairs) < v.opts.Examples {
			pairs = append(pairs, fmt.Sprintf("(format_id=%s, type_id=%s) in %s", f, t, rowsWord(int(n))))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check type mappings: %w", err)
	}
	if total > 0 {
		v.rep.problem("TAG_STATUS.format_id/type_id: (format_id, type_id) missing from TAG_TYPE_FORMAT_MAPPING in %s (readers resolve type names through it): %s",
			rowsWord(int(total)), strings.Join(pairs, "; "))
	}
	return nil
}

// masterData checks that the fixed ids keep their names (§1.5.8): readers and
// user databases refer to them by number.
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

// version checks DATABASE_METADATA's version row (§1.5.9). A file without
// any tags (what `tagdb migrate` creates) may lack it: there is nothing to
// version yet, and a build always writes it.
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
