package search

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/prefixtop"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// withPrefixTop rewrites the TAG_PREFIX_TOP of the file at path: "filled"
// stores every prefix of minTags tags or more, "empty" leaves the table the
// migrations made, "absent" drops it (a file from before migration 0006).
func withPrefixTop(t testing.TB, path, mode string, minTags int) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	switch mode {
	case "filled":
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		rows, _, err := prefixtop.Compute(ctx, tx, prefixtop.Depth, func(_ string, n int) bool { return n >= minTags })
		if err == nil {
			err = prefixtop.Write(ctx, tx, rows)
		}
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			t.Fatal(err)
		}
	case "absent":
		if _, err := db.ExecContext(ctx, `DROP TABLE `+prefixtop.Table); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPrefixTable runs TestPrefix's cases on the fixture with the table
// filled for every prefix, empty, and absent: the answers must not change.
func TestPrefixTable(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []string{"filled", "empty", "absent"} {
		t.Run(mode, func(t *testing.T) {
			path := fixtureDB(t, false)
			withPrefixTop(t, path, mode, 1)
			d, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if want := map[string]int{"filled": prefixtop.Depth}[mode]; mode != "filled" && d.prefixDepth != 0 || mode == "filled" && d.prefixDepth == 0 {
				t.Fatalf("prefixDepth %d, want %d", d.prefixDepth, want)
			}
			for _, tc := range prefixCases {
				got, err := d.Prefix(ctx, tc.prefix, tc.limit, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ids(got), tc.want) {
					t.Errorf("%s/%d/%+v: got %v, want %v", tc.prefix, tc.limit, tc.f, ids(got), tc.want)
				}
			}
		})
	}
}

// TestPrefixTableSameAnswers compares, on a generated file, every answer read
// from the table with the answer ranked from TAGS: tags, order and counts.
func TestPrefixTableSameAnswers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gen.sqlite")
	if err := generateDB(ctx, path, 20000, 3); err != nil {
		t.Fatal(err)
	}
	withPrefixTop(t, path, "filled", 40)
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var tags []string
	err = d.query(ctx, `SELECT tag FROM TAGS ORDER BY tag_id`, nil, func(r *sql.Rows) error {
		var s string
		err := r.Scan(&s)
		tags = append(tags, s)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Prefixes of 1 to 4 characters of random tags, typed in upper case or
	// with a trailing underscore now and then.
	r := rand.New(rand.NewPCG(7, 7))
	var prefixes []string
	for range 300 {
		rs := []rune(tags[r.IntN(len(tags))])
		p := string(rs[:min(len(rs), 1+r.IntN(4))])
		switch r.IntN(5) {
		case 0:
			p = strings.ToUpper(p)
		case 1:
			p += "_"
		}
		prefixes = append(prefixes, p)
	}
	stored := 0
	for i, p := range prefixes {
		limit := []int{1, 10, 20, 25}[i%4]
		f := Filter{}
		if i%3 == 0 {
			f.MinCount = int64(r.IntN(2000))
		}
		want, err := func() ([]Tag, error) {
			d.strategy = forceAll
			defer func() { d.strategy = auto }()
			return d.Prefix(ctx, p, limit, f)
		}()
		if err != nil {
			t.Fatal(err)
		}
		pl, _ := d.compile(f)
		if d.usesPrefixTop(pl, limit) {
			if _, ok, err := d.prefixTop(ctx, prefixtop.Fold(normalizePrefix(p)), limit, f.MinCount); err != nil {
				t.Fatal(err)
			} else if ok {
				stored++
			}
		}
		got, err := d.Prefix(ctx, p, limit, f)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := jsonText(t, got), jsonText(t, want); a != b {
			t.Errorf("Prefix(%q, %d, %+v) from the table:\n%s\nranked from TAGS:\n%s", p, limit, f, a, b)
		}
	}
	if stored < len(prefixes)/4 {
		t.Errorf("only %d of %d questions were answered from the table", stored, len(prefixes))
	}
	t.Logf("%d of %d questions answered from the table", stored, len(prefixes))
}
