package search

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// planCase is one query whose EXPLAIN QUERY PLAN is checked.
type planCase struct {
	name string
	sql  string
	args []any
	// mayScan lists tables this query may scan in full on purpose (the
	// client's languages list reads every language); empty for all others.
	mayScan []string
}

// planCases lists the queries package search runs, built by the same code that
// runs them, and the client's query shapes (docs/reader-contract.md, "Query
// shapes").
func planCases(t *testing.T, d *DB) []planCase {
	t.Helper()
	compile := func(f Filter) *plan {
		p, err := d.compile(f)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	none := compile(Filter{})
	allOf3 := compile(Filter{Formats: []string{"danbooru", "e621", "sankaku"}, Mode: AllOf})
	typed := compile(Filter{Formats: []string{"danbooru", "e621"}, Mode: AllOf, Types: []string{"character"}, Language: "ja", MinCount: 10})
	rng := []any{"lo", "lo\xff"}
	prefixDriver := "SELECT tag_id FROM TAGS WHERE tag >= ? COLLATE NOCASE AND tag < ? COLLATE NOCASE"
	prefixPred := "EXISTS (SELECT 1 FROM TAGS t WHERE t.tag_id = {id} AND t.tag >= ? COLLATE NOCASE AND t.tag < ? COLLATE NOCASE)"
	var cases []planCase
	add := func(name, q string, args ...any) { cases = append(cases, planCase{name: name, sql: q, args: args}) }
	batch := `[["long hair","long_hair"],["1girl","1girl"]]`

	add("exact/batch match", matchSQL, batch)
	add("load tags", loadSQL, "[1,2,3]")
	add("load translations", translationsSQL, "[1,2,3]")
	add("translation lookup", byTranslationSQL, "ロングヘア", "ja")
	add("prefix: stored answer", prefixTopSQL, "lo", 10)
	add("prefix: candidate count", "SELECT count(*) FROM (SELECT 1 FROM ("+prefixDriver+") LIMIT ?)", append(rng, 100)...)
	q, args := none.rankAllSQL(prefixDriver, rng, "", nil, 40)
	add("prefix: rank all", q, args...)
	chunk, more, condArgs := none.streamSQL(prefixPred)
	add("prefix: count walk", chunk, append(append([]any{0, 2048, 0}, rng...), condArgs...)...)
	add("count walk: more rows?", more, 0, 2048)
	chunk, _, condArgs = allOf3.streamSQL("")
	add("all of 3: count walk", chunk, append([]any{0, 3200, 0}, condArgs...)...)
	driver, dargs := allOf3.driver()
	q, args = allOf3.rankAllSQL(driver, dargs, "", nil, 400)
	add("all of 3: rank all", q, args...)
	chunk, _, condArgs = typed.streamSQL("")
	add("typed all of 2 with language: count walk", chunk, append([]any{10, 3200, 0}, condArgs...)...)
	driver, dargs = typed.driver()
	q, args = typed.rankAllSQL(driver, dargs, "", nil, 400)
	add("typed all of 2 with language: rank all", q, args...)

	// The client (docs/reader-contract.md, "Query shapes"), as SQLAlchemy
	// emits it. Row 1 ORs
	// two NOCASE comparisons on TAGS: SQLite 3.40 (Debian's sqlite3) answers
	// it with a MULTI-INDEX OR over the two NOCASE indexes, but the SQLite
	// of modernc.org/sqlite (3.5x) does not apply the OR optimisation to
	// COLLATE NOCASE terms and scans TAGS, whatever the indexes. The client's
	// result then depends on its Python's SQLite; the UNION form below, which
	// this package uses, is served by the indexes on both.
	cases = append(cases, planCase{name: "client row 1: exact search (OR: scans on SQLite 3.5x)",
		sql: `SELECT tag_id FROM TAGS WHERE (tag COLLATE NOCASE) = ? OR (source_tag COLLATE NOCASE) = ?
		 UNION SELECT tag_id FROM TAG_TRANSLATIONS WHERE (translation COLLATE NOCASE) = ? ORDER BY tag_id`,
		args: []any{"long hair", "long_hair", "long hair"}, mayScan: []string{"TAGS"}})
	add("client row 1 written as a UNION",
		`SELECT tag_id FROM TAGS WHERE (tag COLLATE NOCASE) = ? UNION SELECT tag_id FROM TAGS WHERE (source_tag COLLATE NOCASE) = ?
		 UNION SELECT tag_id FROM TAG_TRANSLATIONS WHERE (translation COLLATE NOCASE) = ? ORDER BY tag_id`, "long hair", "long_hair", "long hair")
	add("client row 3: bulk exact, TAGS",
		`SELECT tag_id, tag, source_tag FROM TAGS WHERE lower(tag) IN (?, ?, ?) OR lower(source_tag) IN (?, ?, ?)`,
		"1girl", "solo", "long hair", "1girl", "solo", "long_hair")
	add("client row 3: bulk exact, translations",
		`SELECT tag_id, translation FROM TAG_TRANSLATIONS WHERE lower(translation) IN (?, ?)`, "ロングヘア", "長袖")
	add("client row 4: format restriction", `SELECT tag_id FROM TAG_STATUS WHERE format_id = ?`, 1)
	add("client row 5: filter EXISTS",
		`SELECT t.tag_id FROM TAGS t WHERE t.tag_id IN (1, 2, 3) AND EXISTS (SELECT s.tag_id FROM TAG_STATUS s
		   JOIN TAG_TYPE_FORMAT_MAPPING m ON m.format_id = s.format_id AND m.type_id = s.type_id
		   WHERE s.tag_id = t.tag_id AND s.format_id IN (1, 2) AND m.type_name_id IN (1) AND s.alias = 0 AND s.deprecated = 0)
		 AND EXISTS (SELECT tag_id FROM TAG_TRANSLATIONS tr WHERE tr.tag_id = t.tag_id AND tr.language = ?)`, "ja")
	add("client row 11: unknown-type listing", `SELECT tag_id FROM TAG_STATUS WHERE format_id = ? AND type_id = ?`, 17, -1)
	cases = append(cases, planCase{name: "client row 8: languages list", sql: `SELECT DISTINCT language FROM TAG_TRANSLATIONS`,
		mayScan: []string{"TAG_TRANSLATIONS"}})
	if d.hasTagFTS {
		q, args := none.rankAllSQL(ftsDriverSQL, []any{trigramQuery("hair"), trigramQuery("hair")}, substringPred, []any{"%hair%", "%hair%"}, 80)
		add("substring: trigram candidates, ranked", q, args...)
		chunk, _, condArgs := none.streamSQL(substringPred)
		add("substring: count walk", chunk, append([]any{0, 2048, 0, "%hair%", "%hair%"}, condArgs...)...)
	}
	return cases
}

func explain(ctx context.Context, db *sql.DB, q string, args []any) ([]string, error) {
	var lines []string
	err := queryEach(ctx, db, "EXPLAIN QUERY PLAN "+q, args, func(r *sql.Rows) error {
		var id, parent, unused int
		var detail string
		if err := r.Scan(&id, &parent, &unused, &detail); err != nil {
			return err
		}
		lines = append(lines, detail)
		return nil
	})
	return lines, err
}

// checkPlans explains every case on d and returns the plans as text and the
// full scans of TAGS, TAG_STATUS or TAG_TRANSLATIONS it found.
func checkPlans(t *testing.T, d *DB) (plans string, scans []string) {
	t.Helper()
	ctx := context.Background()
	// A plan line "SCAN TAGS" or "SCAN t USING COVERING INDEX ..." reads a
	// whole table or index; a SEARCH is an index lookup or range, and a SCAN
	// of a json_each, a CTE or a subquery reads rows already chosen.
	scanRE := regexp.MustCompile(`\bSCAN (\w+)`)
	// The tables (and the aliases the queries give them) never to read in full.
	forbiddenScan := map[string]string{
		"TAGS": "TAGS", "t": "TAGS", "TAG_STATUS": "TAG_STATUS", "s": "TAG_STATUS",
		"TAG_TRANSLATIONS": "TAG_TRANSLATIONS", "tr": "TAG_TRANSLATIONS",
	}
	var out strings.Builder
	for _, c := range planCases(t, d) {
		lines, err := explain(ctx, d.db, c.sql, c.args)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		fmt.Fprintf(&out, "## %s\n", c.name)
		for _, l := range lines {
			fmt.Fprintf(&out, "%s\n", l)
			for _, m := range scanRE.FindAllStringSubmatch(l, -1) {
				table, bad := forbiddenScan[m[1]]
				if bad && !slices.Contains(c.mayScan, table) {
					scans = append(scans, fmt.Sprintf("%s: full scan of %s: %q\nquery: %s", c.name, table, l, c.sql))
				}
			}
		}
	}
	return out.String(), scans
}

// planDB generates a small synthetic database with the trigram index and
// gives it the statistics of a full-size one (testdata/scale_stat1.tsv): the
// planner then decides as it does on a 2M-tag file, where a small file's own
// statistics would make full scans look cheap. edit, if set, runs on the file
// before it is opened read-only.
func planDB(t *testing.T, edit string) *DB {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "plans.sqlite")
	if err := generateDB(ctx, path, 3000, 5); err != nil {
		t.Fatal(err)
	}
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	err = CreateSubstringIndex(ctx, db)
	if err == nil {
		err = loadStats(ctx, db, filepath.Join("testdata", "scale_stat1.tsv"))
	}
	if err == nil && edit != "" {
		_, err = db.ExecContext(ctx, edit)
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// TestQueryPlans checks that no lookup reads TAGS, TAG_STATUS or
// TAG_TRANSLATIONS in full, and keeps every plan in testdata/plans.golden so
// that a change of index or query shows in review.
func TestQueryPlans(t *testing.T) {
	got, scans := checkPlans(t, planDB(t, ""))
	for _, s := range scans {
		t.Error(s)
	}
	golden.AssertString(t, got, filepath.Join("testdata", "plans.golden"))
}

// TestQueryPlansScale runs the same checks on the file named by
// TAGDB_BENCH_DB (the scale-1.0 database), whose statistics are real.
func TestQueryPlansScale(t *testing.T) {
	path := os.Getenv("TAGDB_BENCH_DB")
	if path == "" {
		t.Skip("TAGDB_BENCH_DB is not set")
	}
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	plans, scans := checkPlans(t, d)
	for _, s := range scans {
		t.Error(s)
	}
	t.Log("\n" + plans)
}

// TestQueryPlansSeeScans makes sure the check can fail: without the NOCASE
// index on TAGS.tag, the exact lookup must show up as a full scan.
func TestQueryPlansSeeScans(t *testing.T) {
	// Replace the index by one Open does not look for, so the file opens.
	_, scans := checkPlans(t, planDB(t, `DROP INDEX ix_tags_tag_nocase; CREATE INDEX ix_tags_tag_nocase ON TAGS (tag_id, tag)`))
	found := false
	for _, s := range scans {
		found = found || strings.HasPrefix(s, "exact/batch match: full scan of TAGS")
	}
	if !found {
		t.Errorf("no full scan reported for the exact match without its index; got %q", scans)
	}
}

// loadStats replaces the sqlite_stat1 rows of the tables named in path (lines
// of tbl, idx, stat) and drops their sqlite_stat4 samples, which would
// contradict them. The statistics take effect on the next connection.
func loadStats(ctx context.Context, db *sql.DB, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var hasStat4 int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat4'`).Scan(&hasStat4); err != nil {
		return err
	}
	cleared := map[string]bool{}
	for n, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return fmt.Errorf("%s line %d: want tbl, idx, stat separated by tabs", path, n+1)
		}
		if !cleared[f[0]] {
			cleared[f[0]] = true
			if _, err := tx.ExecContext(ctx, `DELETE FROM sqlite_stat1 WHERE tbl = ?`, f[0]); err != nil {
				return err
			}
			if hasStat4 > 0 {
				if _, err := tx.ExecContext(ctx, `DELETE FROM sqlite_stat4 WHERE tbl = ?`, f[0]); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, nullif(?, ''), ?)`, f[0], f[1], f[2]); err != nil {
			return fmt.Errorf("%s line %d: %w", path, n+1, err)
		}
	}
	return tx.Commit()
}
