package synthetic

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"gopkg.in/yaml.v3"

	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

// tiny generates (once per test binary) the scale-0.001 set used by several
// tests, and a second copy for the determinism check.
var tinyOnce struct {
	sync.Once
	dirs [2]string
	sums [2]*Summary
	err  error
}

const tinyScale = 0.001

func tiny(t *testing.T) (string, *Summary) {
	t.Helper()
	tinyOnce.Do(func() {
		root, err := os.MkdirTemp("", "synthetic-tiny-")
		if err != nil {
			tinyOnce.err = err
			return
		}
		for i := range tinyOnce.dirs {
			dir := filepath.Join(root, fmt.Sprint(i))
			// Run 0 uses one worker and run 1 three: the bytes must not
			// depend on scheduling.
			s, err := Generate(context.Background(), Options{Out: dir, Scale: tinyScale, Seed: 1, Workers: 1 + 2*i})
			if err != nil {
				tinyOnce.err = err
				return
			}
			tinyOnce.dirs[i], tinyOnce.sums[i] = dir, s
		}
	})
	if tinyOnce.err != nil {
		t.Fatal(tinyOnce.err)
	}
	return tinyOnce.dirs[0], tinyOnce.sums[0]
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if tinyOnce.dirs[0] != "" {
		os.RemoveAll(filepath.Dir(tinyOnce.dirs[0]))
	}
	os.Exit(code)
}

type sqlCol struct{ name, decl string }

func tableColumns(t *testing.T, db *sql.DB, table string) []sqlCol {
	t.Helper()
	rows, err := db.Query(`SELECT name, type FROM pragma_table_info(?)`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []sqlCol
	for rows.Next() {
		var c sqlCol
		if err := rows.Scan(&c.name, &c.decl); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// detectRule is the schema detection of docs/site-tags.md, "Schema detection",
// restated from that table (not from the builder's code): the first rule whose
// columns are present wins.
func detectRule(cols []sqlCol) int {
	has := map[string]string{}
	trans := false
	for _, c := range cols {
		has[c.name] = strings.ToUpper(c.decl)
		trans = trans || strings.HasPrefix(c.name, "trans_")
	}
	all := func(names ...string) bool {
		for _, n := range names {
			if _, ok := has[n]; !ok {
				return false
			}
		}
		return true
	}
	switch {
	case all("name", "post_count", "pool_count", "series_count", "type") && trans:
		return 1
	case all("name", "post_count", "category", "is_deprecated"):
		return 2
	case all("name", "post_count", "category"):
		return 3
	case all("tag", "num", "type", "alias"):
		return 4
	case all("name", "posts", "updated_at", "wiki_url"):
		return 5
	case all("name", "posts", "category_id", "category_name"):
		return 6
	case all("tag", "type", "total"):
		return 7
	case all("name", "count", "type") && has["type"] == "TEXT":
		return 8
	case all("name", "count", "type") && (has["type"] == "INTEGER" || has["type"] == "INT"):
		return 9
	case all("name", "count", "type"):
		return 10
	case all("name", "post_count", "tag_type"):
		return 11
	}
	return 0
}

// The real per-site layouts (docs/site-tags.md, "Schema detection" and
// "Snapshot figures"), written out independently of siteGen.columns.
func expectedLayouts() map[string]struct {
	rule    int
	cols    string
	aliases bool
} {
	danbooru := "index id name post_count category created_at updated_at is_deprecated words"
	moeA := "index type count name ambiguous id"
	moeB := "index id name count type ambiguous"
	flags := "is_anime is_manga is_novel is_game is_figure is_music is_vtuber is_vocaloid is_cosplay is_original is_character is_work is_person is_group is_doujin"
	pixiv := "index name wiki_url updated_at views posts checklists " + flags
	type L = struct {
		rule    int
		cols    string
		aliases bool
	}
	return map[string]L{
		"anime-pictures.net":     {4, "index id tag tag_ru tag_jp num num_pub type description_en description_ru description_jp alias parent views", false},
		"booru.allthefallen.moe": {2, danbooru, true},
		"chan.sankakucomplex.com": {1, "index id name type post_count pool_count series_count rating version parent_ids child_ids related_ids " +
			"trans_en trans_ja trans_ru trans_pt trans_zh-CN trans_fr trans_it trans_ko trans_vi trans_zh-HK trans_de trans_es trans_th", false},
		"danbooru.donmai.us":  {2, danbooru, true},
		"e621.net":            {3, "index id name post_count related_tags related_tags_updated_at category is_locked created_at updated_at", true},
		"en.pixiv.net":        {5, pixiv + " trans_ja trans_ja_wiki_url", false},
		"gelbooru.com":        {8, "index name count type is_ambiguous", true},
		"hypnohub.net":        {9, moeA, true},
		"konachan.com":        {9, moeB, true},
		"konachan.net":        {9, moeB, true},
		"lolibooru.moe":       {11, "index id name post_count cached_related cached_related_expires_on tag_type is_ambiguous", true},
		"pixiv.net":           {5, pixiv, false},
		"rule34.xxx":          {9, moeA, true},
		"safebooru.donmai.us": {2, danbooru, true},
		"wallhaven.cc":        {6, "index name id category_name category_id posts views subscriptions", false},
		"xbooru.com":          {9, moeA, true},
		"yande.re":            {9, moeB, true},
		"zerochan.net":        {7, "index tag type parent total strict children_count parent_count", true},
	}
}

// realCounts are the row counts of docs/site-tags.md, "Snapshot figures".
func realCounts() map[string][2]int {
	return map[string][2]int{
		"anime-pictures.net": {149065, 0}, "booru.allthefallen.moe": {296356, 11386},
		"chan.sankakucomplex.com": {1656904, 0}, "danbooru.donmai.us": {1593780, 52496},
		"e621.net": {665127, 70547}, "en.pixiv.net": {14679, 0}, "gelbooru.com": {19986, 19090},
		"hypnohub.net": {58633, 631}, "konachan.com": {93713, 678}, "konachan.net": {93713, 678},
		"lolibooru.moe": {157149, 2907}, "pixiv.net": {103039, 0}, "rule34.xxx": {1400492, 8836},
		"safebooru.donmai.us": {1593782, 52496}, "wallhaven.cc": {100446, 0}, "xbooru.com": {25266, 100},
		"yande.re": {132180, 6203}, "zerochan.net": {459731, 507454},
	}
}

func TestSiteLayoutsAndCounts(t *testing.T) {
	dir, sum := tiny(t)
	layouts := expectedLayouts()
	counts := realCounts()
	domains, err := os.ReadDir(filepath.Join(dir, SiteTagsDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(domains) != 18 || len(sum.Sites) != 18 {
		t.Fatalf("%d site folders, %d summaries; want 18", len(domains), len(sum.Sites))
	}
	for _, d := range domains {
		domain := d.Name()
		t.Run(domain, func(t *testing.T) {
			want, ok := layouts[domain]
			if !ok {
				t.Fatalf("unexpected site folder %q", domain)
			}
			db := sqlitetest.OpenRO(t, filepath.Join(dir, SiteTagsDir, domain, "tags.sqlite"))
			cols := tableColumns(t, db, "tags")
			var names []string
			for _, c := range cols {
				names = append(names, c.name)
			}
			if got := strings.Join(names, " "); got != want.cols {
				t.Errorf("tags columns\n got %s\nwant %s", got, want.cols)
			}
			if got := detectRule(cols); got != want.rule {
				t.Errorf("detection rule %d, want %d", got, want.rule)
			}
			for _, c := range cols {
				if c.name == "index" && c.decl != "INTEGER" {
					t.Errorf("index column declared %q", c.decl)
				}
			}
			real := counts[domain]
			tags := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tags`)
			if math.Abs(float64(tags)-float64(real[0])*tinyScale) > 1 {
				t.Errorf("%d tags rows, want %d × %g", tags, real[0], tinyScale)
			}
			aliasCols := tableColumns(t, db, "tag_aliases")
			if want.aliases {
				if got := fmt.Sprint(aliasCols); got != "[{index INTEGER} {alias TEXT} {tag TEXT}]" {
					t.Errorf("tag_aliases columns %s", got)
				}
				aliases := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tag_aliases`)
				if math.Abs(float64(aliases)-float64(real[1])*tinyScale) > 1 {
					t.Errorf("%d tag_aliases rows, want %d × %g", aliases, real[1], tinyScale)
				}
				if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tag_aliases WHERE alias = tag`); n != 0 {
					t.Errorf("%d self-aliases", n)
				}
			} else if len(aliasCols) != 0 {
				t.Errorf("site has a tag_aliases table; the real one has none")
			}
			tagCol := "name"
			if detectRule(cols) == 4 || detectRule(cols) == 7 {
				tagCol = "tag"
			}
			if n := sqlitetest.QueryInt(t, db, `SELECT count(*) - count(DISTINCT `+tagCol+`) FROM tags`); n != 0 {
				t.Errorf("%d duplicate tag names", n)
			}
			if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM tags WHERE "index" IS NULL OR "index" < 0`); n != 0 {
				t.Errorf("%d rows without a pandas index", n)
			}
			if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_tags_index'`); n != 1 {
				t.Errorf("no ix_tags_index")
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	tiny(t)
	hashes := func(dir string) map[string]string {
		out := map[string]string{}
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			out[rel] = hex.EncodeToString(h.Sum(nil))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := hashes(tinyOnce.dirs[0]), hashes(tinyOnce.dirs[1])
	if len(a) != 18+3 {
		t.Errorf("%d files, want 21 (18 sites, base, parquet, sources.yml): %v", len(a), a)
	}
	for p, h := range a {
		if strings.Contains(p, ".tmp-") { // files.Atomic's temporary names
			t.Errorf("leftover %s", p)
		}
		if b[p] != h {
			t.Errorf("%s differs between two runs with the same seed", p)
		}
	}
	// A different seed must give different data.
	other := t.TempDir()
	if _, err := Generate(context.Background(), Options{Out: other, Scale: tinyScale, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	c := hashes(other)
	if c["site_tags/danbooru.donmai.us/tags.sqlite"] == a["site_tags/danbooru.donmai.us/tags.sqlite"] {
		t.Error("seed 2 wrote the same danbooru file as seed 1")
	}
}

func TestBaseDB(t *testing.T) {
	dir, sum := tiny(t)
	db := sqlitetest.OpenRO(t, filepath.Join(dir, BasePath))
	if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM pragma_foreign_key_check`); n != 0 {
		t.Errorf("foreign_key_check: %d violations", n)
	}
	var ic string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ic); err != nil || ic != "ok" {
		t.Errorf("integrity_check: %q %v", ic, err)
	}
	tags := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM TAGS`)
	if math.Abs(float64(tags)-baseRealTags*tinyScale) > 1 || tags != sum.Base.Tags {
		t.Errorf("%d TAGS rows (summary %d), want %d × %g", tags, sum.Base.Tags, baseRealTags, tinyScale)
	}
	if n := sqlitetest.QueryInt(t, db, `SELECT max(tag_id) - min(tag_id) + 1 - count(*) FROM TAGS`); n != 0 {
		t.Errorf("tag ids have %d gaps", n)
	}
	checks := map[string]string{
		"CHECK ck_preferred_tag_consistency": `SELECT count(*) FROM TAG_STATUS WHERE NOT ((alias = 0 AND preferred_tag_id = tag_id) OR (alias = 1 AND preferred_tag_id != tag_id))`,
		"booleans are 0/1":                   `SELECT count(*) FROM TAG_STATUS WHERE alias NOT IN (0, 1) OR deprecated NOT IN (0, 1)`,
		"mapping pairs exist":                `SELECT count(*) FROM TAG_STATUS s LEFT JOIN TAG_TYPE_FORMAT_MAPPING m USING (format_id, type_id) WHERE m.type_name_id IS NULL`,
		"aliases point at canonical rows":    `SELECT count(*) FROM TAG_STATUS a JOIN TAG_STATUS p ON p.tag_id = a.preferred_tag_id AND p.format_id = a.format_id WHERE a.alias = 1 AND p.alias = 1`,
		"alias targets have a status":        `SELECT count(*) FROM TAG_STATUS a LEFT JOIN TAG_STATUS p ON p.tag_id = a.preferred_tag_id AND p.format_id = a.format_id WHERE a.alias = 1 AND p.tag_id IS NULL`,
		"every tag has a status":             `SELECT count(*) FROM TAGS t WHERE NOT EXISTS (SELECT 1 FROM TAG_STATUS s WHERE s.tag_id = t.tag_id)`,
		"counts only on canonical rows":      `SELECT count(*) FROM TAG_USAGE_COUNTS u JOIN TAG_STATUS s USING (tag_id, format_id) WHERE s.alias = 1`,
		"language never NULL":                `SELECT count(*) FROM TAG_TRANSLATIONS WHERE language IS NULL OR translation IS NULL OR translation = ''`,
		"no clock timestamps":                `SELECT count(*) FROM TAGS WHERE created_at != '` + baseStamp + `'`,
		"only danbooru and e621":             `SELECT count(*) FROM TAG_STATUS WHERE format_id NOT IN (1, 2)`,
		"tags are normalised":                `SELECT count(*) FROM TAGS WHERE instr(tag, '_') > 0 AND replace(replace(tag, '\(', '('), '\)', ')') != source_tag`,
	}
	for what, q := range checks {
		if n := sqlitetest.QueryInt(t, db, q); n != 0 {
			t.Errorf("%s: %d rows violate it (%s)", what, n, q)
		}
	}
	var version string
	if err := db.QueryRow(`SELECT value FROM DATABASE_METADATA WHERE key = 'version'`).Scan(&version); err != nil || version == "" {
		t.Errorf("DATABASE_METADATA version: %q %v", version, err)
	}
	for what, q := range map[string]string{
		"aliases":              `SELECT count(*) FROM TAG_STATUS WHERE alias = 1`,
		"e621 statuses":        `SELECT count(*) FROM TAG_STATUS WHERE format_id = 2`,
		"danbooru statuses":    `SELECT count(*) FROM TAG_STATUS WHERE format_id = 1`,
		"usage counts":         `SELECT count(*) FROM TAG_USAGE_COUNTS`,
		"ja translations":      `SELECT count(*) FROM TAG_TRANSLATIONS WHERE language = 'ja'`,
		"zh translations":      `SELECT count(*) FROM TAG_TRANSLATIONS WHERE language = 'zh'`,
		"reader indexes built": `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_tags_tag_nocase'`,
	} {
		if n := sqlitetest.QueryInt(t, db, q); n == 0 {
			t.Errorf("base has no %s", what)
		}
	}
	// The base overlaps the site vocabulary: most of its danbooru tags are
	// danbooru site tags.
	site := sqlitetest.OpenRO(t, filepath.Join(dir, SiteTagsDir, danbooruDomain, "tags.sqlite"))
	rows, err := site.Query(`SELECT name FROM tags`)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names[strings.ToLower(n)] = true
	}
	rows.Close()
	var in, all int
	rows, err = db.Query(`SELECT t.source_tag FROM TAGS t JOIN TAG_STATUS s USING (tag_id) WHERE s.format_id = 1 AND s.alias = 0`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		all++
		if names[n] {
			in++
		}
	}
	rows.Close()
	if all == 0 || float64(in)/float64(all) < 0.6 {
		t.Errorf("only %d of %d base danbooru tags are on the danbooru site", in, all)
	}
}

func TestParquet(t *testing.T) {
	dir, sum := tiny(t)
	path := filepath.Join(dir, ParquetPath)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, field := range pf.Schema().Fields() {
		cols = append(cols, field.Name())
	}
	if got := strings.Join(cols, " "); got != "id title other_names is_deleted type" {
		t.Errorf("parquet columns %q", got)
	}
	for _, rg := range pf.Metadata().RowGroups {
		for _, cc := range rg.Columns {
			if cc.MetaData.Codec != format.Zstd {
				t.Errorf("column %v compressed with %v, want zstd", cc.MetaData.PathInSchema, cc.MetaData.Codec)
			}
		}
	}
	rows, err := parquet.Read[p1atdevRow](f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(rows)) != sum.Parquet.Rows || math.Abs(float64(len(rows))-parquetRealRows*tinyScale) > 1 {
		t.Fatalf("%d rows (summary %d), want %d × %g", len(rows), sum.Parquet.Rows, parquetRealRows, tinyScale)
	}
	types := map[string]int{}
	prev := int64(0)
	for _, r := range rows {
		if r.ID <= prev || r.Title == "" || len(r.OtherNames) < 1 || len(r.OtherNames) > 11 {
			t.Fatalf("bad row %+v", r)
		}
		prev = r.ID
		types[r.Type]++
	}
	if len(types) != 3 {
		t.Errorf("types %v, want 3 classes", types)
	}
}

func TestManifest(t *testing.T) {
	dir, _ := tiny(t)
	b, err := os.ReadFile(filepath.Join(dir, ManifestPath))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Sources []map[string]string `yaml:"sources"`
	}
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{
		"site-tags":  {"site_tags", "site_tags", "CC-BY-4.0"},
		"p1atdev-ja": {"parquet", "translations/p1atdev.parquet", "CC0-1.0"},
	}
	if len(m.Sources) != len(want) {
		t.Fatalf("sources %v", m.Sources)
	}
	for _, s := range m.Sources {
		w, ok := want[s["id"]]
		if !ok || s["kind"] != w[0] || s["path"] != w[1] || s["license"] != w[2] {
			t.Errorf("source %v, want %v", s, w)
		}
		if _, err := os.Stat(filepath.Join(dir, s["path"])); err != nil {
			t.Errorf("source %s: %v", s["id"], err)
		}
	}
}

func TestGenerateOptions(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opt  Options
		want string
	}{
		{"no out", Options{}, "no output folder"},
		{"negative scale", Options{Out: t.TempDir(), Scale: -1}, "out of range"},
		{"too big", Options{Out: t.TempDir(), Scale: MaxScale + 1}, "out of range"},
		{"schema fails", Options{Out: t.TempDir(), Scale: tinyScale, Schema: func(context.Context, *sql.DB) error {
			return errors.New("boom")
		}}, "base: "},
	} {
		if _, err := Generate(ctx, tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Generate(cctx, Options{Out: t.TempDir(), Scale: tinyScale}); err == nil {
		t.Error("a cancelled context did not stop Generate")
	}
}

// TestGolden pins the generated data: the schema of every file, its row
// counts and its first rows at seed 1. An intended change to the generator
// shows up in review as a diff of testdata/tiny.golden (go test -update).
func TestGolden(t *testing.T) {
	dir, _ := tiny(t)
	var out bytes.Buffer
	dump := func(db *sql.DB, title, q string) {
		fmt.Fprintf(&out, "  %s\n", title)
		for _, row := range sqlitetest.Rows(t, db, q) {
			fmt.Fprintf(&out, "    %s\n", row)
		}
	}
	domains, _ := os.ReadDir(filepath.Join(dir, SiteTagsDir))
	for _, d := range domains {
		db := sqlitetest.OpenRO(t, filepath.Join(dir, SiteTagsDir, d.Name(), "tags.sqlite"))
		fmt.Fprintf(&out, "%s\n", d.Name())
		dump(db, "schema", `SELECT sql FROM sqlite_master ORDER BY name`)
		for _, table := range []string{"tags", "tag_aliases", "parents", "children", "relations"} {
			if sqlitetest.QueryInt(t, db, `SELECT count(*) FROM sqlite_master WHERE name = ?`, table) == 1 {
				fmt.Fprintf(&out, "  %s rows: %d\n", table, sqlitetest.QueryInt(t, db, `SELECT count(*) FROM `+table))
			}
		}
		dump(db, "first rows", `SELECT * FROM tags ORDER BY "index" LIMIT 3`)
		if sqlitetest.QueryInt(t, db, `SELECT count(*) FROM sqlite_master WHERE name = 'tag_aliases'`) == 1 {
			dump(db, "first aliases", `SELECT * FROM tag_aliases ORDER BY "index" LIMIT 3`)
		}
	}
	base := sqlitetest.OpenRO(t, filepath.Join(dir, BasePath))
	fmt.Fprintf(&out, "base\n")
	dump(base, "counts", `SELECT 'TAGS', count(*) FROM TAGS UNION ALL SELECT 'TAG_STATUS', count(*) FROM TAG_STATUS
		UNION ALL SELECT 'TAG_USAGE_COUNTS', count(*) FROM TAG_USAGE_COUNTS UNION ALL SELECT 'TAG_TRANSLATIONS', count(*) FROM TAG_TRANSLATIONS`)
	dump(base, "first tags", `SELECT tag_id, source_tag, tag FROM TAGS ORDER BY tag_id LIMIT 5`)
	dump(base, "first statuses", `SELECT tag_id, format_id, type_id, alias, preferred_tag_id, deprecated FROM TAG_STATUS ORDER BY tag_id, format_id LIMIT 5`)
	dump(base, "first translations", `SELECT tag_id, language, translation FROM TAG_TRANSLATIONS ORDER BY translation_id LIMIT 5`)
	golden.Assert(t, out.Bytes(), filepath.Join("testdata", "tiny.golden"))
}
