package builder

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

var fixedTime = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// writeTree writes files (path → content) under a new temp dir and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// testOptions are the options of a test build of dir/sources.yml; mod
// adjusts them.
func testOptions(t *testing.T, dir, profile, out string, mod func(*Options)) Options {
	t.Helper()
	m, err := LoadManifest(filepath.Join(dir, "sources.yml"))
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Manifest: m, Profile: profile, Out: out, Version: "v-test", BuildTime: fixedTime,
		MaxBadRows: -1, ProgramVersion: "test"}
	if mod != nil {
		mod(&o)
	}
	return o
}

func build(t *testing.T, dir, profile, out string, mod func(*Options)) *Result {
	t.Helper()
	res, err := Build(context.Background(), testOptions(t, dir, profile, out, mod))
	if err != nil {
		t.Fatalf("build %s: %v", profile, err)
	}
	return res
}

// tagIDs maps every tag of a database to its id.
func tagIDs(t *testing.T, db *sql.DB) map[string]int64 {
	t.Helper()
	rows, err := db.Query(`SELECT tag, tag_id FROM TAGS`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var tag string
		var id int64
		rows.Scan(&tag, &id)
		m[tag] = id
	}
	return m
}

const miniManifest = `sources:
  - id: dan
    kind: tagcomplete_csv
    path: dan.csv
    format: danbooru
    license: MIT
    url: https://example.org/dan
  - id: e6
    kind: tagcomplete_csv
    path: e6.csv
    format: e621
    license: CC-BY-4.0
  - id: ja
    kind: translation_csv
    path: ja.csv
    language: ja
    license: CC0-1.0
  - id: free
    kind: tagcomplete_csv
    path: free.csv
    format: danbooru
    license: CC0-1.0
profiles:
  all: [CC0-1.0, MIT, CC-BY-4.0]
`

func miniTree(t *testing.T) string {
	return writeTree(t, map[string]string{
		"sources.yml": miniManifest,
		"dan.csv":     "1girl,0,600,\"1girls,sole_female\"\nlong_hair,0,400,longhair\ncat_ears,0,50,nekomimi\nbow_(weapon),0,9,\n",
		"e6.csv":      "female,0,900,\"1girl,girl\"\nzebra,5,12,\n",
		"ja.csv":      "1girl,一人の女の子\ncat_ears,猫耳、ねこみみ\nzebra,シマウマ\nlong_hair,abc\n",
		"free.csv":    "solo,0,300,\nlong_hair,0,100,\n",
	})
}

func TestBuildMergeRules(t *testing.T) {
	dir := miniTree(t)
	out := filepath.Join(t.TempDir(), "cc4.sqlite")
	res := build(t, dir, "all", out, func(o *Options) { o.ReportDir = filepath.Join(filepath.Dir(out), "report") })
	db := sqlitetest.OpenRO(t, out)

	for _, tc := range []struct {
		name string
		q    string
		args []any
		want int64
	}{
		{"1girl danbooru canonical", `SELECT alias FROM TAG_STATUS s JOIN TAGS t USING (tag_id) WHERE t.tag='1girl' AND format_id=1`, nil, 0},
		{"1girl danbooru count (max of sources)", `SELECT count FROM TAG_USAGE_COUNTS u JOIN TAGS t USING (tag_id) WHERE t.tag='1girl' AND format_id=1`, nil, 600},
		{"long hair count max-merged", `SELECT count FROM TAG_USAGE_COUNTS u JOIN TAGS t USING (tag_id) WHERE t.tag='long hair' AND format_id=1`, nil, 400},
		{"1girl is an e621 alias of female", `SELECT p.tag='female' FROM TAG_STATUS s JOIN TAGS t USING (tag_id) JOIN TAGS p ON p.tag_id=s.preferred_tag_id WHERE t.tag='1girl' AND s.format_id=2 AND s.alias=1`, nil, 1},
		{"1girls alias of 1girl, deprecated", `SELECT s.deprecated FROM TAG_STATUS s JOIN TAGS t USING (tag_id) JOIN TAGS p ON p.tag_id=s.preferred_tag_id WHERE t.tag='1girls' AND s.format_id=1 AND s.alias=1 AND p.tag='1girl'`, nil, 1},
		{"source_tag keeps the spelling", `SELECT count(*) FROM TAGS WHERE tag='bow \(weapon\)' AND source_tag='bow_(weapon)'`, nil, 1},
		{"ja translations split on 、", `SELECT count(*) FROM TAG_TRANSLATIONS tr JOIN TAGS t USING (tag_id) WHERE t.tag='cat ears' AND language='ja'`, nil, 2},
		{"ascii-only ja dropped", `SELECT count(*) FROM TAG_TRANSLATIONS tr JOIN TAGS t USING (tag_id) WHERE t.tag='long hair'`, nil, 0},
		{"translation attached to a tag from a later source (W4)", `SELECT count(*) FROM TAG_TRANSLATIONS tr JOIN TAGS t USING (tag_id) WHERE t.tag='zebra'`, nil, 1}, // docs/python-differences.md, W4
		{"e621 type 5 mapped", `SELECT type_name_id FROM TAG_TYPE_FORMAT_MAPPING WHERE format_id=2 AND type_id=5`, nil, 5},
		{"no CURRENT_TIMESTAMP rows", `SELECT count(*) FROM TAGS WHERE created_at != '2026-11-01 12:00:00'`, nil, 0},
	} {
		if got := sqlitetest.QueryInt(t, db, tc.q, tc.args...); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, got, tc.want)
		}
	}
	if v := sqlitetest.QueryString(t, db, `SELECT value FROM DATABASE_METADATA WHERE key='version'`); v != "v-test" {
		t.Errorf("version = %q", v)
	}
	if v := sqlitetest.QueryString(t, db, `SELECT value FROM DATABASE_METADATA WHERE key='build.license'`); v != "CC-BY-4.0, CC0-1.0, MIT" {
		t.Errorf("build.license = %q", v)
	}
	if v := sqlitetest.QueryString(t, db, `PRAGMA journal_mode`); v != "delete" {
		t.Errorf("journal_mode = %q, want delete", v)
	}
	if lic := sqlitetest.QueryString(t, db, `SELECT license FROM TAG_FORMATS WHERE format_id=2`); lic != "CC-BY-4.0" {
		t.Errorf("TAG_FORMATS e621 license = %q", lic)
	}
	if !res.Validation.OK() {
		t.Errorf("validation: %v", res.Validation.Problems)
	}
	for _, name := range []string{"source_effects.tsv", "skipped_rows.tsv", "alias_conflicts.tsv", "type_mapping_repairs.tsv",
		"prefix_repairs.tsv", "build_manifest.json", "README.md"} {
		if _, err := os.Stat(filepath.Join(filepath.Dir(out), "report", name)); err != nil {
			t.Errorf("report %s: %v", name, err)
		}
	}
	card, _ := os.ReadFile(filepath.Join(filepath.Dir(out), "report", "README.md"))
	for _, want := range []string{"**dan** (MIT) https://example.org/dan", "**e6** (CC-BY-4.0)", "**free** (CC0-1.0)", "**ja** (CC0-1.0)", "license: cc-by-4.0"} {
		if !strings.Contains(string(card), want) {
			t.Errorf("dataset card lacks %q", want)
		}
	}
	// The cc4 edition's card must not credit the MIT source it does not contain.
	cc4 := filepath.Join(t.TempDir(), "cc4.sqlite")
	rep := filepath.Join(filepath.Dir(cc4), "report")
	build(t, dir, "cc4", cc4, func(o *Options) { o.ReportDir = rep })
	card, _ = os.ReadFile(filepath.Join(rep, "README.md"))
	if strings.Contains(string(card), "**dan**") || !strings.Contains(string(card), "**e6**") {
		t.Errorf("cc4 card attribution wrong:\n%s", card)
	}
}

func TestEditionsLicenceSplitAndStableIDs(t *testing.T) {
	dir := miniTree(t)
	outs := map[string]string{}
	ids := map[string]map[string]int64{}
	for _, p := range []string{"cc0", "mit", "cc4"} {
		outs[p] = filepath.Join(t.TempDir(), p+".sqlite")
		build(t, dir, p, outs[p], nil)
		ids[p] = tagIDs(t, sqlitetest.OpenRO(t, outs[p]))
	}
	cc0 := sqlitetest.OpenRO(t, outs["cc0"])
	// CC0 holds only the CC0 source's tags: nothing that only MIT or CC-BY rows bring.
	for _, tag := range []string{"1girl", "1girls", "female", "zebra", "cat ears"} {
		if _, ok := ids["cc0"][tag]; ok {
			t.Errorf("cc0 edition contains %q, which only MIT/CC-BY sources have", tag)
		}
	}
	if n := sqlitetest.QueryInt(t, cc0, `SELECT count(*) FROM TAG_STATUS WHERE format_id = 2`); n != 0 {
		t.Errorf("cc0 has %d e621 (CC-BY) statuses", n)
	}
	if n := sqlitetest.QueryInt(t, cc0, `SELECT count(*) FROM TAG_USAGE_COUNTS u JOIN TAGS t USING (tag_id) WHERE t.tag='long hair' AND u.count != 100`); n != 0 {
		t.Errorf("cc0 long hair count came from the MIT source")
	}
	if _, ok := ids["mit"]["zebra"]; ok {
		t.Errorf("mit edition contains the CC-BY-only tag zebra")
	}
	for a, am := range ids {
		for b, bm := range ids {
			for tag, id := range am {
				if other, ok := bm[tag]; ok && other != id {
					t.Errorf("tag %q: id %d in %s but %d in %s", tag, id, a, other, b)
				}
			}
		}
	}
}

func TestReproducible(t *testing.T) {
	dir := miniTree(t)
	a := build(t, dir, "cc4", filepath.Join(t.TempDir(), "a.sqlite"), nil)
	b := build(t, dir, "cc4", filepath.Join(t.TempDir(), "b.sqlite"), nil)
	if a.SHA256 != b.SHA256 {
		t.Fatalf("two builds of the same inputs differ: %s vs %s", a.SHA256, b.SHA256)
	}
	if a.Fingerprint != b.Fingerprint {
		t.Fatalf("fingerprints differ")
	}
}

func TestBuildOnBaseKeepsIDs(t *testing.T) {
	dir := miniTree(t)
	base := filepath.Join(t.TempDir(), "base.sqlite")
	build(t, dir, "cc4", base, nil)
	before, _ := os.ReadFile(base)
	baseIDs := tagIDs(t, sqlitetest.OpenRO(t, base))

	// A new source brings new tags that sort before existing ones.
	os.WriteFile(filepath.Join(dir, "more.csv"), []byte("aaa_first,0,5,\nzzz_last,0,5,\nsolo,0,999,\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "sources.yml"), []byte(strings.Replace(miniManifest, "profiles:", `  - id: more
    kind: tagcomplete_csv
    path: more.csv
    format: danbooru
    license: CC0-1.0
profiles:`, 1)), 0o644)
	out := filepath.Join(t.TempDir(), "next.sqlite")
	build(t, dir, "cc4", out, func(o *Options) { o.Base = base })
	after, _ := os.ReadFile(base)
	if string(before) != string(after) {
		t.Fatal("the base file was modified")
	}
	db := sqlitetest.OpenRO(t, out)
	next := tagIDs(t, db)
	var max int64
	for tag, id := range baseIDs {
		if next[tag] != id {
			t.Errorf("tag %q renumbered: %d → %d", tag, id, next[tag])
		}
		if id > max {
			max = id
		}
	}
	if next["aaa first"] <= max || next["zzz last"] <= max {
		t.Errorf("new tags got ids %d, %d, not after the base's %d", next["aaa first"], next["zzz last"], max)
	}
	if c := sqlitetest.QueryInt(t, db, `SELECT count FROM TAG_USAGE_COUNTS u JOIN TAGS t USING (tag_id) WHERE t.tag='solo' AND format_id=1`); c != 999 {
		t.Errorf("solo count = %d, want the larger 999", c)
	}
}

func TestOpensReadOnlyWithSQLite3(t *testing.T) {
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 CLI not installed")
	}
	dir := miniTree(t)
	outDir := t.TempDir()
	out := filepath.Join(outDir, "x.sqlite")
	build(t, dir, "cc4", out, nil)
	os.Chmod(outDir, 0o555) // no -wal/-shm/-journal can be created beside it
	defer os.Chmod(outDir, 0o755)
	got, err := exec.Command(bin, "-readonly", out, "SELECT count(*) > 0 FROM TAGS; PRAGMA journal_mode;").CombinedOutput()
	if err != nil || strings.TrimSpace(string(got)) != "1\ndelete" {
		t.Fatalf("sqlite3 -readonly: %v: %s", err, got)
	}
}

// TestMemoryLimit: a budget changes how memory is shared, never the bytes;
// Go's own limit is back where it was afterwards; a budget too small to work
// with is refused before anything is written.
func TestMemoryLimit(t *testing.T) {
	dir := miniTree(t)
	before := debug.SetMemoryLimit(-1)
	plain := build(t, dir, "cc4", filepath.Join(t.TempDir(), "a.sqlite"), nil)
	limited := build(t, dir, "cc4", filepath.Join(t.TempDir(), "b.sqlite"), func(o *Options) { o.MemoryLimit = 1 << 30 })
	if plain.SHA256 != limited.SHA256 {
		t.Errorf("a memory limit changed the output: %s vs %s", plain.SHA256, limited.SHA256)
	}
	if after := debug.SetMemoryLimit(-1); after != before {
		t.Errorf("Go's memory limit is %d after the build, was %d", after, before)
	}
	m, err := LoadManifest(filepath.Join(dir, "sources.yml"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "c.sqlite")
	_, err = Build(context.Background(), Options{Manifest: m, Profile: "cc4", Out: out, MemoryLimit: 100 << 20, BuildTime: fixedTime})
	if err == nil || !strings.Contains(err.Error(), "memory limit 100 MiB is too small") {
		t.Fatalf("a 100 MiB budget: err = %v", err)
	}
	if _, serr := os.Stat(out); serr == nil {
		t.Error("a refused build left an output file")
	}
}
