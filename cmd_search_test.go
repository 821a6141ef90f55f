package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// searchDB is a migrated database holding search/testdata/fixture.sql.
func searchDB(t *testing.T) string {
	t.Helper()
	fixture, err := os.ReadFile(filepath.Join("search", "testdata", "fixture.sql"))
	if err != nil {
		t.Fatal(err)
	}
	return migratedDB(t, string(fixture))
}

func searchJSON(t *testing.T, wantCode int, args ...string) searchOutput {
	t.Helper()
	code, out, errOut := runTagdb(t, nil, append([]string{"search", "--json"}, args...)...)
	if code != wantCode {
		t.Fatalf("search %v: exit %d, want %d\n%s%s", args, code, wantCode, out, errOut)
	}
	var got searchOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("search %v: %v\n%s", args, err, out)
	}
	return got
}

func TestCmdSearchAcceptance(t *testing.T) {
	db := searchDB(t)

	// Any case, any spelling.
	for _, q := range []string{"long hair", "LONG_HAIR", "Long Hair"} {
		got := searchJSON(t, 0, "--db", db, q)
		if got.Mode != "resolve" || len(got.Matches) != 1 || got.Matches[0].Tag == nil || got.Matches[0].Tag.Tag != "long hair" {
			t.Errorf("%q: %+v", q, got)
		}
	}

	// An alias resolves to its canonical tag.
	got := searchJSON(t, 0, "--db", db, "longhair")
	m := got.Matches[0]
	if m.Tag.Tag != "long hair" || m.Input == nil || m.Input.Tag != "longhair" || !slices.Equal(m.AliasIn, []string{"danbooru", "e621"}) {
		t.Errorf("alias: %+v", m)
	}

	// By Japanese translation.
	got = searchJSON(t, 0, "--db", db, "--lang", "ja", "ロングヘア")
	if got.Mode != "translation" || len(got.Matches) != 1 || got.Matches[0].Tag.Tag != "long hair" {
		t.Errorf("translation: %+v", got)
	}

	// Only tags with a (canonical) status row in both formats.
	got = searchJSON(t, 0, "--db", db, "--all", "--format", "danbooru", "--format", "e621")
	var tags []string
	for _, tag := range got.Tags {
		tags = append(tags, tag.Tag)
		for _, f := range []string{"danbooru", "e621"} {
			ok := false
			for _, s := range tag.Formats {
				ok = ok || s.Format == f && s.HasStatus && !s.Alias
			}
			if !ok {
				t.Errorf("%q has no canonical status row in %s", tag.Tag, f)
			}
		}
	}
	want := []string{"1girl", "solo", "long hair", "long sleeves", "cat ears", "hatsune miku"}
	if got.Mode != "find" || !slices.Equal(tags, want) {
		t.Errorf("--all danbooru e621: %v, want %v", tags, want)
	}
}

func TestCmdSearchModes(t *testing.T) {
	db := searchDB(t)

	// A comma-separated prompt; one tag is unknown: exit 1, named on stderr.
	code, out, errOut := runTagdb(t, nil, "search", "--db", db, "1girl, Long_Hair,nekomimi, no such tag")
	if code != 1 || !strings.Contains(errOut, "1 of 4 not found: no such tag") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"QUERY", "1girl", "long hair", "nekomimi → cat ears (danbooru)", "(not found)", "ja:ロングヘア", "danbooru:general 4.3M"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}

	// Several words without commas are several tags.
	got := searchJSON(t, 0, "--db", db, "1girl", "solo")
	if len(got.Matches) != 2 || got.Matches[1].Tag.Tag != "solo" {
		t.Errorf("two words: %+v", got.Matches)
	}

	got = searchJSON(t, 0, "--db", db, "--prefix", "long", "--limit", "2")
	if got.Mode != "prefix" || len(got.Tags) != 2 || got.Tags[0].Tag != "long hair" || got.Filter.Limit != 2 {
		t.Errorf("prefix: %+v", got)
	}

	got = searchJSON(t, 0, "--db", db, "--substring", "hair")
	if got.Mode != "substring" || got.Path != "scan" || len(got.Tags) != 1 {
		t.Errorf("substring: %+v", got)
	}
	code, out, _ = runTagdb(t, nil, "search", "--db", db, "--substring", "sleeve")
	if code != 0 || !strings.Contains(out, "long sleeves") || !strings.Contains(out, "full scan") {
		t.Errorf("substring table: exit %d\n%s", code, out)
	}

	got = searchJSON(t, 0, "--db", db, "--type", "character", "--format", "anime-pictures")
	if len(got.Tags) != 1 || got.Tags[0].Tag != "hatsune miku" {
		t.Errorf("type filter: %+v", got.Tags)
	}

	// A translation nobody has: exit 1.
	if code, _, errOut := runTagdb(t, nil, "search", "--db", db, "--lang", "*", "存在しない"); code != 1 || !strings.Contains(errOut, "存在しない") {
		t.Errorf("missing translation: exit %d %q", code, errOut)
	}
}

func TestCmdSearchUsage(t *testing.T) {
	db := searchDB(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"1girl"}, "--db PATH is required"},
		{[]string{"--db", db}, "give a QUERY"},
		{[]string{"--db", db, "--all"}, "--all needs at least one --format"},
		{[]string{"--db", db, "--all", "--any", "--format", "e621"}, "exclude each other"},
		{[]string{"--db", db, "--prefix"}, "need a QUERY"},
		{[]string{"--db", db, "--substring", "x", "--format", "e621"}, "--substring takes no"},
		{[]string{"--db", db, "--limit", "-1", "x"}, "must not be negative"},
	} {
		code, _, errOut := runTagdb(t, nil, append([]string{"search"}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	// Errors from the package name the input.
	code, _, errOut := runTagdb(t, nil, "search", "--db", db, "--format", "e612")
	if code != 1 || !strings.Contains(errOut, `unknown format "e612"`) {
		t.Errorf("unknown format: exit %d %q", code, errOut)
	}
	code, _, errOut = runTagdb(t, nil, "search", "--db", filepath.Join(t.TempDir(), "none.sqlite"), "x")
	if code != 1 || !strings.Contains(errOut, "none.sqlite") {
		t.Errorf("missing file: exit %d %q", code, errOut)
	}
}

// TestCmdSearchOnSample is issue 7's acceptance on the database that
// `tagdb build` makes from the bundled sample: any case, an alias to its
// canonical, a Japanese translation, and --all over danbooru and e621. The
// inputs are read from the built file, so the test follows the sample.
func TestCmdSearchOnSample(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sample.sqlite")
	if code, stdout, stderr := runTagdb(t, nil, "build", "--out", out, "--quiet", "--build-time", "2025-01-01T00:00:00Z"); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
	}
	db, err := sqlitedb.Open(context.Background(), out, sqlitedb.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	one := func(q string, dest ...any) {
		t.Helper()
		if err := db.QueryRow(q).Scan(dest...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	var tag string
	one(`SELECT t.tag FROM TAGS t JOIN TAG_USAGE_COUNTS u USING (tag_id) WHERE t.tag GLOB '[a-z]*[a-z] [a-z]*'
		AND NOT EXISTS (SELECT 1 FROM TAG_STATUS s WHERE s.tag_id = t.tag_id AND s.alias = 1) ORDER BY u.count DESC LIMIT 1`, &tag)
	typed := strings.ToUpper(strings.ReplaceAll(tag, " ", "_"))
	if got := searchJSON(t, 0, "--db", out, typed); got.Matches[0].Tag.Tag != tag {
		t.Errorf("%q found %+v, want %q", typed, got.Matches[0].Tag, tag)
	}

	var alias, canonical string
	one(`SELECT a.tag, p.tag FROM TAG_STATUS s JOIN TAGS a ON a.tag_id = s.tag_id JOIN TAGS p ON p.tag_id = s.preferred_tag_id
		WHERE s.alias = 1 AND NOT EXISTS (SELECT 1 FROM TAG_STATUS o WHERE o.tag_id = s.tag_id AND o.alias = 1 AND o.preferred_tag_id != s.preferred_tag_id)
		ORDER BY a.tag LIMIT 1`, &alias, &canonical)
	if got := searchJSON(t, 0, "--db", out, alias); got.Matches[0].Tag.Tag != canonical || got.Matches[0].Input.Tag != alias {
		t.Errorf("alias %q: %+v, want %q", alias, got.Matches[0], canonical)
	}

	var ja, jaTag string
	one(`SELECT tr.translation, min(t.tag) FROM TAG_TRANSLATIONS tr JOIN TAGS t USING (tag_id) WHERE tr.language = 'ja'
		GROUP BY tr.translation HAVING count(DISTINCT tr.tag_id) = 1 ORDER BY tr.translation LIMIT 1`, &ja, &jaTag)
	if got := searchJSON(t, 0, "--db", out, "--lang", "ja", ja); len(got.Matches) != 1 || got.Matches[0].Tag.Tag != jaTag {
		t.Errorf("ja %q: %+v, want %q", ja, got.Matches, jaTag)
	}

	var want []int64
	rows, err := db.Query(`SELECT t.tag_id FROM TAGS t WHERE
		EXISTS (SELECT 1 FROM TAG_STATUS s WHERE s.tag_id = t.tag_id AND s.format_id = 1 AND s.alias = 0) AND
		EXISTS (SELECT 1 FROM TAG_STATUS s WHERE s.tag_id = t.tag_id AND s.format_id = 2 AND s.alias = 0) ORDER BY t.tag_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		want = append(want, id)
	}
	rows.Close()
	got := searchJSON(t, 0, "--db", out, "--all", "--format", "danbooru", "--format", "e621", "--limit", "100000")
	var ids []int64
	for _, tag := range got.Tags {
		ids = append(ids, tag.ID)
	}
	slices.Sort(ids)
	if len(want) == 0 || !slices.Equal(ids, want) {
		t.Errorf("--all danbooru e621: %v, want %v", ids, want)
	}
}
