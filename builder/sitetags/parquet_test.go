package sitetags

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

// writeParquet writes rows of T to dir/name.
func writeParquet[T any](t testing.TB, dir, name string, rows []T) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := parquet.NewGenericWriter[T](f, parquet.MaxRowsPerRowGroup(2)) // several row groups
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func strp(s string) *string { return &s }

// danbooruRow is a row of the danbooru layout as a Parquet file holds it.
type danbooruRow struct {
	Index        int64      `parquet:"index"`
	ID           int64      `parquet:"id"`
	Name         *string    `parquet:"name,optional"`
	PostCount    int64      `parquet:"post_count"`
	Category     int64      `parquet:"category"`
	CreatedAt    time.Time  `parquet:"created_at,timestamp(microsecond)"`
	UpdatedAt    *time.Time `parquet:"updated_at,optional,timestamp(millisecond)"`
	IsDeprecated bool       `parquet:"is_deprecated"`
	Words        string     `parquet:"words"`
}

// TestParquetFallback: a site folder with tags.parquet and no tags.sqlite is
// read with the same layouts; aliases come from tag_aliases.parquet.
func TestParquetFallback(t *testing.T) {
	type aliasRow struct {
		Index int64   `parquet:"index"`
		Alias *string `parquet:"alias,optional"`
		Tag   string  `parquet:"tag"`
	}
	type gelbooruRow struct {
		Name  string `parquet:"name"`
		Count int64  `parquet:"count"`
		Type  string `parquet:"type"`
	}
	type animeRow struct {
		ID    int64   `parquet:"id"`
		Tag   string  `parquet:"tag"`
		TagJP *string `parquet:"tag_jp,optional"`
		Num   int32   `parquet:"num"`
		Type  int32   `parquet:"type"`
		Alias int64   `parquet:"alias"`
	}
	created := time.Date(2013, 2, 27, 20, 57, 15, 63000000, time.UTC)
	updated := time.Date(2024, 4, 11, 7, 12, 0, 0, time.UTC)

	root := t.TempDir()
	dan := filepath.Join(root, "danbooru.donmai.us")
	writeParquet(t, dan, parquetFile, []danbooruRow{
		{0, 1, strp("1girl"), 6543210, 0, created, &updated, false, "[]"},
		{1, 2, strp("long_hair"), 4321098, 0, created, nil, false, "[]"},
		{2, 3, strp("longhair"), 12, 0, created, nil, true, "[]"},
		{3, 4, nil, 1, 0, created, nil, false, "[]"},
		{4, 5, strp("tagme"), -5, 5, created, nil, true, "[]"},
	})
	writeParquet(t, dan, aliasParquetFile, []aliasRow{
		{0, strp("longhair"), "long_hair"},
		{1, strp("1_girl"), "1girl"},
		{2, nil, "1girl"},
		{3, strp("junk"), "invalid_tag"},
	})
	writeParquet(t, filepath.Join(root, "gelbooru.com"), parquetFile, []gelbooruRow{
		{"1girl", 7000000, "general"}, {"tagme", 40000, "deprecated"}, {"ke-ta", 3000, "artist"},
	})
	writeParquet(t, filepath.Join(root, "anime-pictures.net"), parquetFile, []animeRow{
		{1, "witch", strp("魔女､まじょ"), 10, 0, 0},
		{2, "sorceress", strp("女魔法使い"), 5, 0, 1},
		{3, "ghost", nil, 1, 2, 42},
	})

	sites, err := Discover(root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		rule         int
		rows, events []string
	}{
		"danbooru.donmai.us": {2, []string{
			`tags.parquet row 1 "1girl" f1 t0 c6543210 aliases=["1_girl"] created="2013-02-27 20:57:15.063000+00:00" updated="2024-04-11 07:12:00+00:00"`,
			`tags.parquet row 2 "long_hair" f1 t0 c4321098 aliases=["longhair"] created="2013-02-27 20:57:15.063000+00:00"`,
			`tags.parquet row 5 "tagme" f1 t5 dep created="2013-02-27 20:57:15.063000+00:00"`,
			`tag_aliases.parquet row 4 "junk" f1 dep`,
		}, []string{
			`skip tag_aliases.parquet row 3: empty alias`,
			`skip tags.parquet row 4: empty tag`,
		}},
		"gelbooru.com": {8, []string{
			`tags.parquet row 1 "1girl" f7 t0 c7000000`,
			`tags.parquet row 2 "tagme" f7 t6 c40000 dep`,
			`tags.parquet row 3 "ke-ta" f7 t1 c3000`,
		}, nil},
		"anime-pictures.net": {4, []string{
			`tags.parquet row 1 "witch" f14 t0 c10 aliases=["sorceress"] ja="魔女､まじょ"`,
			`tags.parquet row 2 "sorceress" nofmt ja="女魔法使い"`,
			`tags.parquet row 3 "ghost" f14 t2 c1`,
		}, []string{`skip tags.parquet row 3: alias id 42 has no tags row`}},
	}
	if len(sites) != len(want) {
		t.Fatalf("Discover found %d sites, want %d: %+v", len(sites), len(want), sites)
	}
	for _, s := range sites {
		if filepath.Base(s.Path) != parquetFile {
			t.Fatalf("%s: path %s, want the parquet file", s.Domain, s.Path)
		}
		res, err := readSite(t, s, nil, 2)
		if err != nil {
			t.Fatalf("%s: %v", s.Domain, err)
		}
		w := want[s.Domain]
		if res.rule != w.rule {
			t.Errorf("%s: rule %d, want %d", s.Domain, res.rule, w.rule)
		}
		recordtest.DiffLines(t, s.Domain+" rows", res.rows, w.rows)
		recordtest.DiffLines(t, s.Domain+" events", res.events, w.events)
	}
}

func TestParquetNotParquet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "e621.net")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, parquetFile)
	if err := os.WriteFile(path, []byte("PAR1 but not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := readSite(t, Site{Domain: "e621.net", Format: 2, Path: path}, nil, 0)
	if err == nil || !containsAll(err.Error(), path, "not a readable Parquet file") {
		t.Errorf("err = %v", err)
	}
}
