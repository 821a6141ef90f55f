package check

import (
	"strings"

	"github.com/tagdb/tagdb-action/migrations/internal/sqltext"
	"github.com/tagdb/tagdb-action/migrations/schema"
)

// Finding the statement behind a change. The migrations' own tokenizer cuts
// the SQL into statements (trigger bodies included) and skips comments and
// string literals; identifiers compare case-insensitively, quoted or not, as
// SQLite does.

// changeNames returns the table and the specific object (column, index or
// named check) a change is about, as they would be written in SQL.
func changeNames(ch schema.Change) (table, specific string) {
	table = ch.Table
	switch ch.Object {
	case "column":
		if i := strings.Index(ch.Name, "."); i >= 0 {
			specific = ch.Name[i+1:]
		}
	case "index":
		if i := strings.LastIndex(ch.Name, " index "); i >= 0 {
			specific = ch.Name[i+len(" index "):]
		}
	case "check":
		if i := strings.LastIndex(ch.Name, " CHECK "); i >= 0 {
			specific = ch.Name[i+len(" CHECK "):]
		}
	}
	return table, specific
}

// bestStatement scores the statements of src by how surely they cause ch and
// returns the line of the best one's most specific mention and its score (0:
// none mentions it, or src cannot be split). Statements that alter or drop
// win ties over those that only read the table.
func bestStatement(src string, ch schema.Change) (int, int) {
	sts, err := sqltext.Split(src)
	if err != nil {
		// Not reached for a listed migration: List splits every file.
		return 0, 0
	}
	table, specific := changeNames(ch)
	bestLine, bestScore := 0, 0
	for _, st := range sts {
		tl, sl := st.Mentions(table), st.Mentions(specific)
		score, line := 0, 0
		switch {
		case sl > 0 && tl > 0:
			score, line = 6, sl
		case sl > 0:
			score, line = 4, sl
		case tl > 0:
			score, line = 2, tl
		}
		if score > 0 && (st.Tokens[0].Is("ALTER") || st.Tokens[0].Is("DROP")) {
			score++
		}
		if score > bestScore {
			bestLine, bestScore = line, score
		}
	}
	return bestLine, bestScore
}

// findLine is the line of the statement in src that best matches ch, 0 if none.
func findLine(src string, ch schema.Change) int {
	line, _ := bestStatement(src, ch)
	return line
}

// locateData finds the statement that most likely lost or rewrote rows of
// table: among the files after base version v, last first, one that deletes,
// updates, replaces or drops in it beats one that alters or inserts into it,
// which beats one that only mentions it. Line 1 of the last new file when
// none mentions it.
func (c *checker) locateData(table string, v int) (string, int) {
	from := max(v, 0) + 1
	best, bestLine, bestScore := -1, 0, 0
	for k := len(c.migs); k >= from; k-- {
		sts, err := sqltext.Split(c.migs[k-1].SQL)
		if err != nil {
			continue
		}
		for _, st := range sts {
			line := st.Mentions(table)
			if line == 0 {
				continue
			}
			score := 1
			switch first := st.Tokens[0]; {
			case first.Is("DELETE"), first.Is("UPDATE"), first.Is("REPLACE"), first.Is("DROP"):
				score = 3
			case first.Is("ALTER"), first.Is("INSERT"):
				score = 2
			}
			if score > bestScore {
				best, bestLine, bestScore = k, line, score
			}
		}
	}
	if best > 0 {
		return c.path(c.migs[best-1].File), bestLine
	}
	if from <= len(c.migs) {
		return c.path(c.migs[len(c.migs)-1].File), 1
	}
	return "", 0
}
