package builder

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// Every timestamp the output holds is UTC in one form,
//
//	YYYY-MM-DD HH:MM:SS[.ffffff]
//
// with no zone (docs/reader-contract.md, "Datetimes"). Sources write their
// times with site offsets (danbooru's -05:00 and -04:00 within one file) or
// none, and the build stamps its own rows with the naive UTC build time; a
// column mixing "+HH:MM" values with naive ones makes Python's
// datetime.fromisoformat return aware and naive datetimes side by side, which
// cannot even be compared. So a time with an offset (or Z) is converted to UTC
// and written without the zone, a 'T' separator becomes a space and
// milliseconds become microseconds. A time without a zone is taken to be UTC
// already and kept. utcCode and utcText are the one rule: memState.time runs
// every source's and the base's timestamps through it, and normaliseBaseTimes
// the base rows the build does not rewrite. Text that is no timestamp is left
// alone for validation to judge.

// utcCode converts a packed time code (timecode.go) to the stored form;
// ok is false when the UTC time falls outside what a code can hold.
func utcCode(code uint64) (uint64, bool) {
	sep, frac, zone := code>>63, code>>tcFracShift&3, code>>tcZoneShift&3
	if sep == 0 && frac != 1 && zone == 0 {
		return code, true
	}
	secs := int64(code>>tcSecShift&(1<<33-1)) - 1
	off := int64(code&63) * 15 * 60
	switch zone {
	case 2:
		secs -= off
	case 3:
		secs += off
	}
	if secs < 0 || secs > tcMaxSecs {
		return 0, false
	}
	val := code >> tcValShift & (1<<20 - 1)
	if frac == 1 {
		frac, val = 2, val*1000
	}
	return frac<<tcFracShift | uint64(secs+1)<<tcSecShift | val<<tcValShift, true
}

// utcLayouts are the timestamp shapes that packTime cannot hold (years
// outside 1900-2171, offsets that are not quarter hours or carry seconds,
// fractions of other lengths). Go reads any fraction after the seconds.
var utcLayouts = []string{
	"2006-01-02 15:04:05Z07:00", "2006-01-02T15:04:05Z07:00",
	"2006-01-02 15:04:05Z07:00:00", "2006-01-02T15:04:05Z07:00:00",
	"2006-01-02 15:04:05", "2006-01-02T15:04:05",
}

// utcText is the stored form of any timestamp text: the packed path when
// the shape allows, time.Parse otherwise, s itself when it is no timestamp.
func utcText(s string) string {
	if code, ok := packTime(s); ok {
		if c, ok := utcCode(code); ok {
			return unpackTime(c)
		}
	}
	for _, l := range utcLayouts {
		t, err := time.Parse(l, s)
		if err != nil {
			continue
		}
		t = t.UTC()
		if t.Year() < 1 || t.Year() > 9999 {
			return s
		}
		out := t.Format("2006-01-02 15:04:05")
		if us := t.Nanosecond() / 1000; us != 0 || strings.Contains(s, ".") {
			out += fmt.Sprintf(".%06d", us)
		}
		return out
	}
	return s
}

// normaliseBaseTimes rewrites, in the copy of the base, every DATETIME value
// that is not in the stored form yet (an older file, or a Python-builder
// file with offsets), so that the rows the build keeps as they are follow
// the same rule as the rows it writes. The SQL filter passes only values
// that are not already 'YYYY-MM-DD HH:MM:SS' or that with six fraction
// digits, so a base in the stored form costs one scan per column. (The
// CAST keeps the driver from turning a DATETIME value into a time.Time.)
func normaliseBaseTimes(ctx context.Context, db *sql.DB) (int64, error) {
	cols, err := datetimeColumns(ctx, db)
	if err != nil {
		return 0, err
	}
	var changed int64
	for _, c := range cols {
		t, col := sqlitedb.QuoteIdent(c[0]), sqlitedb.QuoteIdent(c[1])
		rows, err := db.QueryContext(ctx, `SELECT rowid, CAST(`+col+` AS TEXT) FROM main.`+t+` WHERE typeof(`+col+`) = 'text' AND `+notStoredForm(col))
		if err != nil {
			return changed, fmt.Errorf("base %s.%s: %w", c[0], c[1], err)
		}
		type fix struct {
			rowid int64
			val   string
		}
		var fixes []fix
		for rows.Next() {
			var f fix
			var s string
			if err := rows.Scan(&f.rowid, &s); err != nil {
				rows.Close()
				return changed, fmt.Errorf("base %s.%s: %w", c[0], c[1], err)
			}
			if f.val = utcText(s); f.val != s {
				fixes = append(fixes, f)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return changed, fmt.Errorf("base %s.%s: %w", c[0], c[1], err)
		}
		if err := inTx(ctx, db, func(tx *sql.Tx) error {
			for _, f := range fixes {
				if _, err := tx.ExecContext(ctx, `UPDATE main.`+t+` SET `+col+` = ? WHERE rowid = ?`, f.val, f.rowid); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return changed, fmt.Errorf("base %s.%s: %w", c[0], c[1], err)
		}
		changed += int64(len(fixes))
	}
	return changed, nil
}

// notStoredForm is an SQL condition on the quoted column col: true for
// text that is not of the stored form's shape, 19 characters with a space
// after the date, or 26 with six fraction digits.
func notStoredForm(col string) string {
	return `NOT (substr(` + col + `, 11, 1) = ' ' AND (length(` + col + `) = 19 OR (length(` + col + `) = 26 AND substr(` + col + `, 20) GLOB '.[0-9][0-9][0-9][0-9][0-9][0-9]')))`
}

// datetimeColumns lists (table, column) of every DATETIME column.
func datetimeColumns(ctx context.Context, db *sql.DB) ([][2]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT m.name, p.name FROM main.sqlite_schema AS m, pragma_table_info(m.name) AS p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND upper(p.type) = 'DATETIME' ORDER BY m.name, p.cid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

func inTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
