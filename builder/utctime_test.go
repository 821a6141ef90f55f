package builder

import (
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

func TestUTCText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2024-03-10 08:30:00", "2024-03-10 08:30:00"}, // naive: UTC already
		{"2024-03-10 08:30:00.123456", "2024-03-10 08:30:00.123456"},
		{"2024-03-10 08:30:00-04:00", "2024-03-10 12:30:00"},
		{"2024-03-10 08:30:00+09:00", "2024-03-09 23:30:00"}, // back over midnight
		{"2024-03-10T22:30:00.5-05:00", "2024-03-11 03:30:00.500000"},
		{"2024-03-10T08:30:00.353+05:45", "2024-03-10 02:45:00.353000"},
		{"2024-03-10 08:30:00Z", "2024-03-10 08:30:00"},
		{"2024-03-10T08:30:00+00:00", "2024-03-10 08:30:00"},
		{"2024-12-31 23:00:00-01:00", "2025-01-01 00:00:00"},                // over a year
		{"2024-02-28 23:30:00-00:30", "2024-02-29 00:00:00"},                // into a leap day
		{"2024-03-10 08:30:00+05:30:15", "2024-03-10 02:59:45"},             // offset seconds: the slow path
		{"1850-06-01 12:00:00+01:00", "1850-06-01 11:00:00"},                // outside the packed years
		{"2024-03-10 08:30:00.1234567-04:00", "2024-03-10 12:30:00.123456"}, // nanoseconds: kept to µs
		{"1900-01-01 00:30:00+01:00", "1899-12-31 23:30:00"},                // below the packed range
		{"not a time", "not a time"},
		{"2024-02-30 10:00:00+01:00", "2024-02-30 10:00:00+01:00"}, // no such day: left for validation
	} {
		if got := utcText(c.in); got != c.want {
			t.Errorf("utcText(%q) = %q, want %q", c.in, got, c.want)
		}
		// The merge state applies the same rule, packed or interned.
		m := &memState{times: newInterner(nil)}
		if got := m.timeText(m.time(c.in)); got != c.want {
			t.Errorf("memState.time(%q) reads back %q, want %q", c.in, got, c.want)
		}
	}
}

// assertUTCColumns checks that every DATETIME value of the file is in the
// stored form: no zone, no 'T', nothing but 19 or 26 characters.
func assertUTCColumns(t *testing.T, path string) {
	t.Helper()
	db := sqlitetest.OpenRO(t, path)
	cols, err := datetimeColumns(t.Context(), db)
	if err != nil || len(cols) < 8 {
		t.Fatalf("DATETIME columns %v, %v", cols, err)
	}
	for _, c := range cols {
		bad := sqlitetest.Rows(t, db, `SELECT '' || `+c[1]+` FROM `+c[0]+` WHERE `+c[1]+` IS NOT NULL AND `+notStoredForm(c[1]))
		if len(bad) > 0 {
			t.Errorf("%s.%s holds values not in the stored UTC form: %q", c[0], c[1], bad)
		}
	}
}

// TestTimestampsStoredInUTC: source times with site offsets, and the times
// of an older base that kept them, all reach the output in UTC without a
// zone (issue #14, class 8), and the base file is not changed.
func TestTimestampsStoredInUTC(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"sources.yml": "sources:\n  - id: j\n    kind: json\n    path: tags.json\n    license: MIT\n",
		"tags.json": `[{"source_tag": "edt_tag", "format_id": 1, "count": 5, "created_at": "2013-02-28T08:32:36.353-05:00", "updated_at": "2024-07-01 23:30:00-04:00"},
			{"source_tag": "jst_tag", "format_id": 1, "count": 7, "created_at": "2020-01-01T08:00:00+09:00", "updated_at": "2024-07-01T12:00:00Z"},
			{"source_tag": "naive_tag", "format_id": 1, "count": 9, "created_at": "2020-01-01 08:00:00", "updated_at": "2024-07-01 12:00:00.250000"}]`,
	})
	out := filepath.Join(t.TempDir(), "out.sqlite")
	build(t, dir, "mit", out, nil)
	db := sqlitetest.OpenRO(t, out)
	for _, c := range []struct{ q, want string }{
		{`SELECT '' || source_created_at FROM TAG_STATUS JOIN TAGS USING (tag_id) WHERE tag = 'edt tag'`, "2013-02-28 13:32:36.353000"},
		{`SELECT '' || source_created_at FROM TAG_STATUS JOIN TAGS USING (tag_id) WHERE tag = 'jst tag'`, "2019-12-31 23:00:00"},
		{`SELECT '' || source_created_at FROM TAG_STATUS JOIN TAGS USING (tag_id) WHERE tag = 'naive tag'`, "2020-01-01 08:00:00"},
		{`SELECT '' || TAG_USAGE_COUNTS.updated_at FROM TAG_USAGE_COUNTS JOIN TAGS USING (tag_id) WHERE tag = 'edt tag'`, "2024-07-02 03:30:00"},
		{`SELECT '' || TAG_USAGE_COUNTS.updated_at FROM TAG_USAGE_COUNTS JOIN TAGS USING (tag_id) WHERE tag = 'jst tag'`, "2024-07-01 12:00:00"},
		{`SELECT '' || TAG_USAGE_COUNTS.updated_at FROM TAG_USAGE_COUNTS JOIN TAGS USING (tag_id) WHERE tag = 'naive tag'`, "2024-07-01 12:00:00.250000"},
	} {
		if got := sqlitetest.QueryString(t, db, c.q); got != c.want {
			t.Errorf("%s = %q, want %q", c.q, got, c.want)
		}
	}
	assertUTCColumns(t, out)

	// An older base that stored offsets: its rows are converted too, also
	// the ones the build does not otherwise touch.
	base := filepath.Join(t.TempDir(), "base.sqlite")
	copyFile(t, out, base)
	execOn(t, base,
		`UPDATE TAGS SET created_at = '2019-06-01T10:00:00-04:00', updated_at = '2019-06-01 10:00:00.5+02:00' WHERE tag = 'edt tag'`,
		`UPDATE TAG_STATUS SET source_created_at = '2013-02-28T08:32:36.353-05:00', deprecated_at = '2021-01-01 00:00:00+01:00'`,
		`UPDATE TAG_USAGE_COUNTS SET created_at = '2018-01-01 00:00:00-08:00'`,
		`INSERT INTO TAG_TRANSLATIONS (tag_id, language, translation, created_at, updated_at)
			SELECT tag_id, 'ja', '翻訳', '2022-05-05 05:05:05+05:00', '2022-05-05T05:05:05Z' FROM TAGS WHERE tag = 'jst tag'`)
	before := snapshotDir(t, filepath.Dir(base))
	next := filepath.Join(t.TempDir(), "next.sqlite")
	build(t, dir, "mit", next, func(o *Options) { o.Base = base })
	assertSameDir(t, filepath.Dir(base), before)
	assertUTCColumns(t, next)
	db = sqlitetest.OpenRO(t, next)
	for _, c := range []struct{ q, want string }{
		{`SELECT created_at || ' / ' || updated_at FROM TAGS WHERE tag = 'edt tag'`, "2019-06-01 14:00:00 / 2019-06-01 08:00:00.500000"},
		{`SELECT count(*) FROM TAG_STATUS WHERE deprecated_at = '2020-12-31 23:00:00'`, "3"},
		{`SELECT count(*) FROM TAG_USAGE_COUNTS WHERE created_at = '2018-01-01 08:00:00'`, "3"},
		{`SELECT created_at || ' / ' || updated_at FROM TAG_TRANSLATIONS WHERE translation = '翻訳'`, "2022-05-05 00:05:05 / 2022-05-05 05:05:05"},
	} {
		if got := sqlitetest.QueryString(t, db, c.q); got != c.want {
			t.Errorf("%s = %q, want %q", c.q, got, c.want)
		}
	}
}
