package main

// Failure behaviour of `tagdb build` (issue 6): every bad input, at manifest,
// source, base and row level, must end in one clear message naming the file
// and the cause, exit code 1, no output file, no temporary file beside --out
// and a byte-identical base. The fault cases that need a real process (full
// disk, SIGKILL, SIGINT/SIGTERM) are in reliability_faults_test.go.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/tagdb/tagdb-action/builder/record/recordtest"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/internal/sqlitetest"
	"github.com/tagdb/tagdb-action/migrations"
)

// relEpoch fixes the build time so that two builds of the same inputs are
// byte-identical.
const relEpoch = "1790000000"

// relVars is the environment of every build here: only the fixed build time.
func relVars() map[string]string { return map[string]string{"SOURCE_DATE_EPOCH": relEpoch} }

// relTree is one case's folders:
//
//	root/secret.csv          a valid tag list outside the manifest folder
//	root/m/sources.yml       the manifest, beside copies of good.csv and other.csv
//	root/out/base.sqlite     the --base (a healthy earlier build unless the case breaks it)
//	root/out/tagdb.sqlite    --out (absent before and, on failure, after)
//	root/reports/            --report-dir
type relTree struct {
	root, m, outDir, out, base, reports string
}

func newRelTree(t *testing.T, base []byte) *relTree {
	t.Helper()
	root := t.TempDir()
	tr := &relTree{
		root: root, m: filepath.Join(root, "m"), outDir: filepath.Join(root, "out"),
		reports: filepath.Join(root, "reports"),
	}
	tr.out = filepath.Join(tr.outDir, "tagdb.sqlite")
	tr.base = filepath.Join(tr.outDir, "base.sqlite")
	for _, d := range []string{tr.m, tr.outDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	relCopy(t, "good.csv", filepath.Join(tr.m, "good.csv"))
	relCopy(t, "other.csv", filepath.Join(tr.m, "other.csv"))
	relCopy(t, "good.csv", filepath.Join(root, "secret.csv"))
	if base != nil {
		relWrite(t, tr.base, base)
	}
	return tr
}

// args is a build into the tree's --out with its manifest, base and report dir.
func (tr *relTree) args(extra ...string) []string {
	a := []string{"build", "--quiet", "--sources", filepath.Join(tr.m, "sources.yml"), "--profile", "mit",
		"--out", tr.out, "--report-dir", tr.reports}
	if _, err := os.Stat(tr.base); err == nil {
		a = append(a, "--base", tr.base)
	}
	return append(a, extra...)
}

// manifest writes sources.yml: the healthy source first (so that a failing
// source fails midway, with the temporary files already there), then entries.
func (tr *relTree) manifest(t *testing.T, entries ...string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("sources:\n  - id: good\n    kind: tagcomplete_csv\n    path: good.csv\n    format: danbooru\n    license: MIT\n")
	for _, e := range entries {
		b.WriteString(e)
	}
	relWrite(t, filepath.Join(tr.m, "sources.yml"), []byte(b.String()))
}

// relSource is one manifest entry.
func relSource(id, kind, path, extra string) string {
	s := fmt.Sprintf("  - id: %s\n    kind: %s\n    path: %q\n    license: MIT\n", id, kind, path)
	if extra != "" {
		s += "    " + extra + "\n"
	}
	return s
}

// assertUnharmed checks what a failed build must leave: no --out, nothing
// but the base in the output folder (no .tmp-/.stage- files), the base
// byte-identical and no reports.
func (tr *relTree) assertUnharmed(t *testing.T, base []byte) {
	t.Helper()
	if _, err := os.Stat(tr.out); !os.IsNotExist(err) {
		t.Errorf("failed build left %s (stat: %v)", tr.out, err)
	}
	var want []string
	if base != nil {
		want = []string{"base.sqlite"}
	}
	if got := relList(t, tr.outDir); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("output folder after a failed build holds %q, want %q", got, want)
	}
	if base != nil {
		got, err := os.ReadFile(tr.base)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, base) {
			t.Errorf("the base %s was modified by a failed build", tr.base)
		}
	}
	if got := relList(t, tr.reports); len(got) > 0 {
		t.Errorf("failed build wrote reports: %q", got)
	}
}

func relList(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func relFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "bad", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func relCopy(t *testing.T, fixture, dst string) {
	t.Helper()
	relWrite(t, dst, relFixture(t, fixture))
}

func relWrite(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// relSQLite creates an SQLite file from SQL statements.
func relSQLite(t *testing.T, path string, stmts ...string) {
	t.Helper()
	sqlitetest.Exec(t, path, stmts...)
}

// relGoodBuild builds good.csv (MIT) as profile mit, the base every failing
// case must leave untouched, and returns its bytes.
func relGoodBuild(t *testing.T) []byte {
	t.Helper()
	tr := newRelTree(t, nil)
	tr.manifest(t)
	if code, _, errOut := runTagdb(t, relVars(), tr.args()...); code != 0 {
		t.Fatalf("healthy build: exit %d\n%s", code, errOut)
	}
	b, err := os.ReadFile(tr.out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// relCase is one build that must fail. setup writes the manifest and inputs
// (and may replace the base); want are substrings of stderr, which together
// name the file and the cause.
type relCase struct {
	name  string
	setup func(t *testing.T, tr *relTree)
	want  []string
}

func runRelCases(t *testing.T, base []byte, cases []relCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := newRelTree(t, base)
			c.setup(t, tr)
			before, err := os.ReadFile(tr.base)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			inputs := recordtest.Snapshot(t, tr.m)
			code, stdout, stderr := runTagdb(t, relVars(), tr.args()...)
			// Inputs are only read: none changed, and none appeared (an
			// SQLite -shm, -wal or -journal beside an input).
			recordtest.CheckUnchanged(t, inputs, recordtest.Snapshot(t, tr.m))
			// The temporary folder's name holds the test's name; hide it so that
			// only the message itself can match.
			stderr = strings.ReplaceAll(stderr, tr.root, "<tmp>")
			if code != 1 {
				t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			t.Logf("exit %d: %s", code, stderr) // -v shows what the user sees
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 3 {
				t.Errorf("want one clear error, got %d lines:\n%s", n+1, stderr)
			}
			tr.assertUnharmed(t, before)
		})
	}
}

func TestBuildRejectsBadManifest(t *testing.T) {
	base := relGoodBuild(t)
	fixture := func(name string, more func(t *testing.T, tr *relTree)) func(*testing.T, *relTree) {
		return func(t *testing.T, tr *relTree) {
			relCopy(t, "manifests/"+name, filepath.Join(tr.m, "sources.yml"))
			if more != nil {
				more(t, tr)
			}
		}
	}
	runRelCases(t, base, []relCase{
		{"unknown kind", fixture("unknown_kind.yml", nil),
			[]string{`sources.yml: source "weird": unknown kind "xml_dump"`}},
		{"duplicate id", fixture("duplicate_id.yml", nil),
			[]string{`sources.yml: source "good": duplicate id (also source #1)`}},
		{"missing licence", fixture("missing_license.yml", nil),
			[]string{`sources.yml: source "nolicence": missing license`}},
		{"unknown licence", fixture("unknown_license.yml", nil),
			[]string{`sources.yml: source "typo": unknown license "CC-BY 4.0"`}},
		{"path with ..", fixture("dotdot.yml", nil),
			[]string{`sources.yml: source "escape": path "sub/../../secret.csv" escapes the manifest folder`}},
		{"absolute path", fixture("absolute.yml", nil),
			[]string{`sources.yml: source "absolute": path "/etc/passwd" is absolute`}},
		{"symlink out of the folder", fixture("symlink_out.yml", func(t *testing.T, tr *relTree) {
			if err := os.Symlink(filepath.Join("..", "secret.csv"), filepath.Join(tr.m, "link.csv")); err != nil {
				t.Fatal(err)
			}
		}), []string{`sources.yml: source "linked": path "*.csv" escapes the manifest folder (<tmp>/m/link.csv resolves to <tmp>/secret.csv)`}},
		{"glob matching nothing", fixture("glob_nothing.yml", nil),
			[]string{`sources.yml: source "empty-glob": path "lists/*.csv" matches no file`}},
		{"yaml syntax error", fixture("yaml_syntax.yml", nil),
			[]string{"sources.yml: yaml: line 10:"}},
		{"profile with an unknown licence", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "sources.yml"), append(relFixture(t, "manifests/bom.yml"),
				"profiles:\n  mit: [MIT]\n  bad: [CC-BY 4.0]\n"...))
		}, []string{`sources.yml: profile "bad": unknown licence "CC-BY 4.0"`}},
	})

	t.Run("BOM accepted", func(t *testing.T) {
		tr := newRelTree(t, base)
		relCopy(t, "manifests/bom.yml", filepath.Join(tr.m, "sources.yml"))
		code, stdout, stderr := runTagdb(t, relVars(), tr.args()...)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		if !strings.Contains(stdout, "built "+tr.out) {
			t.Errorf("stdout lacks the built line:\n%s", stdout)
		}
		db := sqlitetest.OpenRO(t, tr.out)
		if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM TAGS WHERE source_tag IN ('cat_ears', '1girl')`); n != 2 {
			t.Errorf("tags from both sources: got %d of 2", n)
		}
	})
}

func TestBuildRejectsBadSource(t *testing.T) {
	base := relGoodBuild(t)
	sample := func(t *testing.T, name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("testdata", "sample", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// A real site_tags file of the danbooru layout, to be placed outside the
	// manifest folder by the symlink cases.
	danbooruSite := func(t *testing.T, path string) {
		relSQLite(t, path,
			`CREATE TABLE tags (id INTEGER, name TEXT, post_count INTEGER, category INTEGER, is_deprecated INTEGER)`,
			`INSERT INTO tags VALUES (1, 'secret_tag', 10, 0, 0)`)
	}
	siteManifest := func(t *testing.T, tr *relTree) {
		tr.manifest(t, relSource("site-tags", "site_tags", "site_tags", ""))
	}
	runRelCases(t, base, []relCase{
		{"json not an array", func(t *testing.T, tr *relTree) {
			relCopy(t, "not_array.json", filepath.Join(tr.m, "not_array.json"))
			tr.manifest(t, relSource("bad-json", "json", "not_array.json", ""))
		}, []string{`source "bad-json": <tmp>/m/not_array.json: not a JSON array of objects (found an object at byte offset 0)`}},
		{"json truncated", func(t *testing.T, tr *relTree) {
			relCopy(t, "truncated.json", filepath.Join(tr.m, "truncated.json"))
			tr.manifest(t, relSource("cut-json", "json", "truncated.json", ""))
		}, []string{`source "cut-json": <tmp>/m/truncated.json: truncated JSON at byte offset 98`}},
		{"parquet wrong column type", func(t *testing.T, tr *relTree) {
			type row struct {
				SourceTag string `parquet:"source_tag"`
				FormatID  int32  `parquet:"format_id"`
				Count     bool   `parquet:"count"`
			}
			f, err := os.Create(filepath.Join(tr.m, "typed.parquet"))
			if err != nil {
				t.Fatal(err)
			}
			if err := parquet.Write(f, []row{{"1girl", 1, true}}); err != nil {
				t.Fatal(err)
			}
			f.Close()
			tr.manifest(t, relSource("typed", "parquet", "typed.parquet", ""))
		}, []string{`source "typed": <tmp>/m/typed.parquet: column "count" has type BOOLEAN, want an integer`}},
		{"parquet truncated footer", func(t *testing.T, tr *relTree) {
			b := sample(t, "tabular/p1atdev.parquet")
			relWrite(t, filepath.Join(tr.m, "cut.parquet"), b[:len(b)-10])
			tr.manifest(t, relSource("cut-parquet", "parquet", "cut.parquet", ""))
		}, []string{`source "cut-parquet": <tmp>/m/cut.parquet: not a valid Parquet file`}},
		{"tags.sqlite not SQLite", func(t *testing.T, tr *relTree) {
			relCopy(t, "not_sqlite.sqlite", filepath.Join(tr.m, "tags.sqlite"))
			tr.manifest(t, relSource("v4", "tags_db", "tags.sqlite", ""))
		}, []string{`source "v4": open <tmp>/m/tags.sqlite: file is not a database`}},
		{"tags.sqlite truncated", func(t *testing.T, tr *relTree) {
			b := sample(t, "tagsdb/tags_v4_sample.sqlite")
			relWrite(t, filepath.Join(tr.m, "tags.sqlite"), b[:len(b)/2])
			tr.manifest(t, relSource("v4", "tags_db", "tags.sqlite", ""))
		}, []string{`source "v4": open <tmp>/m/tags.sqlite: database disk image is malformed`}},
		{"tags.sqlite unknown schema", func(t *testing.T, tr *relTree) {
			relSQLite(t, filepath.Join(tr.m, "tags.sqlite"), string(relFixture(t, "unknown_schema.sql")))
			tr.manifest(t, relSource("v4", "tags_db", "tags.sqlite", ""))
		}, []string{`source "v4": <tmp>/m/tags.sqlite: not a tag database: missing table(s) TAG_STATUS, TAG_TRANSLATIONS, TAG_USAGE_COUNTS`}},
		{"unknown site folder", func(t *testing.T, tr *relTree) {
			danbooruSite(t, filepath.Join(tr.m, "site_tags", "example.com", "tags.sqlite"))
			siteManifest(t, tr)
		}, []string{`sources.yml: source "site-tags": site_tags: <tmp>/m/site_tags/example.com: unknown site folder "example.com"`}},
		{"tags_db table is an endless recursive view", func(t *testing.T, tr *relTree) {
			relSQLite(t, filepath.Join(tr.m, "tags.sqlite"),
				`CREATE TABLE TAGS (tag_id INTEGER PRIMARY KEY, tag TEXT, source_tag TEXT)`,
				`CREATE TABLE st (tag_id INTEGER, format_id INTEGER, type_id INTEGER, alias INTEGER, preferred_tag_id INTEGER)`,
				`CREATE VIEW TAG_STATUS AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT st.* FROM c, st`,
				`CREATE TABLE TAG_TRANSLATIONS (tag_id INTEGER, language TEXT, translation TEXT)`,
				`CREATE TABLE TAG_USAGE_COUNTS (tag_id INTEGER, format_id INTEGER, count INTEGER)`)
			tr.manifest(t, relSource("v4", "tags_db", "tags.sqlite", ""))
		}, []string{`source "v4": <tmp>/m/tags.sqlite: TAG_STATUS is a view, not a table: only tables are read from input files`}},
		{"tags_db with a -wal beside it", func(t *testing.T, tr *relTree) {
			relCopy(t, "not_sqlite.sqlite", filepath.Join(tr.m, "tags.sqlite"))
			relWrite(t, filepath.Join(tr.m, "tags.sqlite-wal"), []byte("uncheckpointed"))
			tr.manifest(t, relSource("v4", "tags_db", "tags.sqlite", ""))
		}, []string{`source "v4": <tmp>/m/tags.sqlite: has a -wal file beside it (<tmp>/m/tags.sqlite-wal) with changes not yet in the database`}},
		{"site tags is an endless recursive view", func(t *testing.T, tr *relTree) {
			relSQLite(t, filepath.Join(tr.m, "site_tags", "danbooru.donmai.us", "tags.sqlite"),
				`CREATE TABLE t (id INTEGER, name TEXT, post_count INTEGER, category INTEGER, is_deprecated INTEGER)`,
				`INSERT INTO t VALUES (1, 'a', 1, 0, 0)`,
				`CREATE VIEW tags AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT t.* FROM c, t`)
			siteManifest(t, tr)
		}, []string{`source "site-tags/danbooru.donmai.us": <tmp>/m/site_tags/danbooru.donmai.us/tags.sqlite: tags is a view, not a table`}},
		{"parquet footer claims 2^31 list elements", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "huge.parquet"), []byte("PAR1\x29\xfc\xff\xff\xff\xff\x07\x00\x08\x00\x00\x00PAR1"))
			tr.manifest(t, relSource("huge", "parquet", "huge.parquet", ""))
		}, []string{`source "huge": <tmp>/m/huge.parquet: not a valid Parquet file: footer metadata: at byte 7: a length of 2147483647, but only 1 bytes follow`}},
		{"parquet footer length 0xFFFFFFFF", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "long.parquet"), []byte("PAR1\x00\xff\xff\xff\xffPAR1"))
			tr.manifest(t, relSource("long", "parquet", "long.parquet", ""))
		}, []string{`source "long": <tmp>/m/long.parquet: not a valid Parquet file: footer length 4294967295 does not fit in the file (13 bytes)`}},
		{"site tags.parquet footer claims 2^31 list elements", func(t *testing.T, tr *relTree) {
			relWrite(t, filepath.Join(tr.m, "site_tags", "danbooru.donmai.us", "tags.parquet"), []byte("PAR1\x29\xfc\xff\xff\xff\xff\x07\x00\x08\x00\x00\x00PAR1"))
			siteManifest(t, tr)
		}, []string{`source "site-tags/danbooru.donmai.us": <tmp>/m/site_tags/danbooru.donmai.us/tags.parquet: not a readable Parquet file: footer metadata: at byte 7: a length of 2147483647`}},
		{"named pipe as a source", func(t *testing.T, tr *relTree) {
			if err := syscall.Mkfifo(filepath.Join(tr.m, "pipe.csv"), 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
			tr.manifest(t, relSource("pipe", "tagcomplete_csv", "pipe.csv", "format: danbooru"))
		}, []string{`sources.yml: source "pipe": path "pipe.csv": <tmp>/m/pipe.csv: not a regular file (a named pipe): only regular files are read`}},
		{"site tags.sqlite not SQLite", func(t *testing.T, tr *relTree) {
			relCopy(t, "not_sqlite.sqlite", filepath.Join(tr.m, "site_tags", "danbooru.donmai.us", "tags.sqlite"))
			siteManifest(t, tr)
		}, []string{`source "site-tags/danbooru.donmai.us": <tmp>/m/site_tags/danbooru.donmai.us/tags.sqlite: not an SQLite database`}},
		{"site tags.sqlite truncated", func(t *testing.T, tr *relTree) {
			b := sample(t, "tagsdb/tags_v4_sample.sqlite")
			relWrite(t, filepath.Join(tr.m, "site_tags", "danbooru.donmai.us", "tags.sqlite"), b[:len(b)/2])
			siteManifest(t, tr)
		}, []string{`source "site-tags/danbooru.donmai.us": <tmp>/m/site_tags/danbooru.donmai.us/tags.sqlite: truncated SQLite database`}},
		{"site tags.sqlite unknown schema", func(t *testing.T, tr *relTree) {
			relSQLite(t, filepath.Join(tr.m, "site_tags", "danbooru.donmai.us", "tags.sqlite"), string(relFixture(t, "unknown_schema.sql")))
			siteManifest(t, tr)
		}, []string{`source "site-tags/danbooru.donmai.us": <tmp>/m/site_tags/danbooru.donmai.us/tags.sqlite: unknown site_tags schema: table tags has columns ("id" INTEGER, "label" TEXT, "weight" REAL)`}},
		{"site file symlinked out of the folder", func(t *testing.T, tr *relTree) {
			outside := filepath.Join(tr.root, "outside.sqlite")
			danbooruSite(t, outside)
			dir := filepath.Join(tr.m, "site_tags", "danbooru.donmai.us")
			os.MkdirAll(dir, 0o755)
			if err := os.Symlink(outside, filepath.Join(dir, "tags.sqlite")); err != nil {
				t.Fatal(err)
			}
			siteManifest(t, tr)
		}, []string{`sources.yml: source "site-tags": site_tags/danbooru.donmai.us/tags.sqlite escapes the manifest folder (resolves to <tmp>/outside.sqlite)`}},
		{"site folder symlinked out of the folder", func(t *testing.T, tr *relTree) {
			danbooruSite(t, filepath.Join(tr.root, "elsewhere", "tags.sqlite"))
			os.MkdirAll(filepath.Join(tr.m, "site_tags"), 0o755)
			if err := os.Symlink(filepath.Join(tr.root, "elsewhere"), filepath.Join(tr.m, "site_tags", "danbooru.donmai.us")); err != nil {
				t.Fatal(err)
			}
			siteManifest(t, tr)
		}, []string{`sources.yml: source "site-tags": site_tags/danbooru.donmai.us escapes the manifest folder (resolves to <tmp>/elsewhere)`}},
	})
}

func TestBuildRejectsBadBase(t *testing.T) {
	good := relGoodBuild(t)
	edit := func(stmts ...string) func(*testing.T, *relTree) {
		return func(t *testing.T, tr *relTree) {
			tr.manifest(t)
			relSQLite(t, tr.base, stmts...)
		}
	}
	runRelCases(t, good, []relCase{
		{"newer schema version", edit(fmt.Sprintf("PRAGMA user_version = %d", migrations.LatestVersion()+1)),
			[]string{"base <tmp>/out/base.sqlite: schema version", fmt.Sprintf("newer than this tagdb knows (%d)", migrations.LatestVersion())}},
		{"failed quick_check", func(t *testing.T, tr *relTree) {
			tr.manifest(t)
			relCorruptPage(t, tr.base, "TAGS")
		}, []string{"base <tmp>/out/base.sqlite: integrity check failed: *** in database main ***", "btreeInitPage() returns error code 11"}},
		{"not SQLite", func(t *testing.T, tr *relTree) {
			tr.manifest(t)
			relCopy(t, "not_sqlite.sqlite", tr.base)
		}, []string{"base: open <tmp>/out/base.sqlite: file is not a database"}},
		{"licence outside the profile", func(t *testing.T, tr *relTree) {
			// The base is a cc4 edition: CC-BY-4.0 rows must not leak into an
			// MIT edition built on it.
			tr.manifest(t, "  - id: ccby\n    kind: tagcomplete_csv\n    path: other.csv\n    format: danbooru\n    license: CC-BY-4.0\n")
			os.Remove(tr.base)
			code, _, stderr := runTagdb(t, relVars(), "build", "--quiet", "--sources", filepath.Join(tr.m, "sources.yml"), "--profile", "cc4", "--out", tr.base)
			if code != 0 {
				t.Fatalf("cc4 base build: exit %d\n%s", code, stderr)
			}
		}, []string{`base <tmp>/out/base.sqlite: contains CC-BY-4.0 data (build.license "CC-BY-4.0, CC0-1.0"), which profile "mit" (CC0-1.0, MIT) does not allow`}},
		// Issue #14, class 6: whatever a base holds besides tagdb's schema
		// would be published, and a trigger would run during the build.
		{"a trigger", edit(`CREATE TRIGGER zero_new_counts AFTER INSERT ON TAG_USAGE_COUNTS BEGIN UPDATE TAG_USAGE_COUNTS SET count = 0 WHERE rowid = new.rowid; END`),
			[]string{`base <tmp>/out/base.sqlite: holds 1 schema object(s) that tagdb does not create`, `trigger "zero_new_counts"`}},
		{"a foreign table, a view and a hostile index", edit(`CREATE TABLE private_notes (x)`, `CREATE VIEW v AS SELECT tag FROM TAGS`,
			`CREATE INDEX """; DROP TABLE TAGS; --" ON TAGS (tag_id, tag)`),
			[]string{`base <tmp>/out/base.sqlite: holds 3 schema object(s)`, `index "\"; DROP TABLE TAGS; --", table "private_notes", view "v"`}},
	})
}

// relCorruptPage overwrites the b-tree header of the root page of table with
// garbage, so the file opens but PRAGMA quick_check fails.
func relCorruptPage(t *testing.T, path, table string) {
	t.Helper()
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	err = db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&root)
	if err == nil {
		err = db.QueryRow(`PRAGMA page_size`).Scan(&pageSize)
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, 16), (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
}

// relBadRows is rows.csv plus the faults that cannot be written as text: a
// NUL byte, invalid UTF-8 and a 1 MB line. Returns the file and, per line
// number, the reason skipped_rows.tsv must give.
func relBadRows(t *testing.T) ([]byte, map[int]string) {
	t.Helper()
	b := relFixture(t, "rows.csv")
	n := bytes.Count(b, []byte("\n")) // rows.csv ends with a newline
	b = append(b, "nul\x00byte,0,5\n"...)
	b = append(b, "bad\xff\xfeutf8,0,5\n"...)
	b = append(b, "huge_line,0,5,"...)
	b = append(b, bytes.Repeat([]byte("x"), 1<<20)...)
	b = append(b, "\nafter_huge,0,7\n"...) // the reader must resynchronise after the long line
	return b, map[int]string{
		3:     "expected 3 or 4 fields, got 2",
		4:     "expected 3 or 4 fields, got 6",
		5:     "unbalanced quote",
		7:     `count is not a number: "many"`,
		8:     `count is negative: "-5"`,
		9:     `count is out of range: "99999999999999999999"`,
		10:    "empty tag",
		n + 1: "NUL byte",
		n + 2: "invalid UTF-8",
		n + 3: "line longer than 65536 bytes",
	}
}

func TestBuildSkipsBadRows(t *testing.T) {
	rows, want := relBadRows(t)
	tr := newRelTree(t, nil)
	relWrite(t, filepath.Join(tr.m, "rows.csv"), rows)
	tr.manifest(t, relSource("rows", "tagcomplete_csv", "rows.csv", "format: danbooru"))
	code, stdout, stderr := runTagdb(t, relVars(), tr.args("--max-bad-rows", "-1")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	rep, err := os.ReadFile(filepath.Join(tr.reports, "skipped_rows.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(rep)), "\n")
	if lines[0] != "source\tposition\treason" {
		t.Errorf("skipped_rows.tsv header %q", lines[0])
	}
	got := map[string]bool{}
	for _, l := range lines[1:] {
		got[l] = true
	}
	for n, reason := range want {
		// Quotes are plain characters: only \\, tab, LF and CR are escaped.
		row := fmt.Sprintf("rows\tline %d\t%s", n, reason)
		if !got[row] {
			t.Errorf("skipped_rows.tsv lacks %q", row)
		}
		delete(got, row)
	}
	if len(got) > 0 {
		t.Errorf("skipped_rows.tsv has unexpected rows: %v", got)
	}
	db := sqlitetest.OpenRO(t, tr.out)
	// The BOM is not part of the first tag, good rows around bad ones are kept,
	// and rows with a bad count keep their tag without a count.
	for _, tag := range []string{"1girl", "solo", "long_hair", "smile", "blush", "after_huge", "count_word", "count_negative", "count_huge"} {
		if sqlitetest.QueryInt(t, db, `SELECT count(*) FROM TAGS WHERE source_tag = ?`, tag) != 1 {
			t.Errorf("tag %q missing from the build", tag)
		}
	}
	if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM TAGS WHERE source_tag LIKE '%ragged%' OR source_tag LIKE '%unbalanced%' OR source_tag LIKE 'nul%' OR source_tag LIKE '%huge_line%' OR source_tag LIKE '%utf8%'`); n != 0 {
		t.Errorf("%d skipped rows reached TAGS", n)
	}
	if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM TAG_USAGE_COUNTS u JOIN TAGS t USING (tag_id) WHERE t.source_tag LIKE 'count\_%' ESCAPE '\'`); n != 0 {
		t.Errorf("%d invalid counts were stored", n)
	}
}

func TestBuildMaxBadRows(t *testing.T) {
	small, smallBad := relBadRows(t)
	// big has 1150 lines, every eighth one ragged: 143 bad rows (12.4%). The
	// percentage form only applies from 1000 rows, where a share means something.
	var big bytes.Buffer
	for line := 1; line <= 1150; line++ {
		if line%8 == 0 {
			fmt.Fprintf(&big, "bad_%d,0\n", line)
			continue
		}
		fmt.Fprintf(&big, "tag_%d,0,%d\n", line, line)
	}
	// garbage is a file in the wrong layout: every row is bad, none is read.
	var garbage bytes.Buffer
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&garbage, "tag_%d;0;%d\n", i, i)
	}
	for _, c := range []struct {
		name, limit string
		file        []byte
		msg         string // "" means the build succeeds
	}{
		{"count over", "2", small, fmt.Sprintf(`source "rows": %d bad rows, more than --max-bad-rows 2; first: line 3: expected 3 or 4 fields, got 2; line 4: `, len(smallBad))},
		{"count at", fmt.Sprint(len(smallBad)), small, ""},
		{"unlimited", "-1", big.Bytes(), ""},
		{"percent over", "10%", big.Bytes(), `source "rows": 12.43% of 1150 rows are bad, more than --max-bad-rows 10%; first: line 8: expected 3 or 4 fields, got 2; line 16: `},
		{"percent under", "13%", big.Bytes(), ""},
		{"default percent", "", big.Bytes(), "more than --max-bad-rows 5%"},
		{"small file under percent", "10%", small, ""},
		{"every row bad", "", garbage.Bytes(), `source "rows": 100.00% of 2000 rows are bad`},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := newRelTree(t, nil)
			relWrite(t, filepath.Join(tr.m, "rows.csv"), c.file)
			tr.manifest(t, relSource("rows", "tagcomplete_csv", "rows.csv", "format: danbooru"))
			var extra []string
			if c.limit != "" {
				extra = []string{"--max-bad-rows", c.limit}
			}
			code, stdout, stderr := runTagdb(t, relVars(), tr.args(extra...)...)
			if c.msg == "" {
				if code != 0 {
					t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
				}
				return
			}
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, c.msg) {
				t.Errorf("stderr lacks %q:\n%s", c.msg, stderr)
			}
			tr.assertUnharmed(t, nil)
		})
	}
}

func TestBuildQuotesIdentifiers(t *testing.T) {
	tr := newRelTree(t, nil)
	relCopy(t, "inject.csv", filepath.Join(tr.m, "inject.csv"))
	// A sankaku-layout site file whose translation columns carry a hyphen, a
	// double quote and SQL text in their names.
	relSQLite(t, filepath.Join(tr.m, "site_tags", "chan.sankakucomplex.com", "tags.sqlite"),
		`CREATE TABLE "tags" ("id" INTEGER, "name" TEXT, "type" INTEGER, "post_count" INTEGER, "pool_count" INTEGER,
		  "series_count" INTEGER, "trans_zh-CN" TEXT, "trans_ja""x" TEXT, "trans_en""); DROP TABLE tags; --" TEXT)`,
		`INSERT INTO "tags" VALUES (1, 'female', 0, 5000, 0, 0, '女性', 'q', 'w'),
		  (2, 'x"); DROP TABLE TAGS; --', 0, 7, 0, 0, '注入', NULL, NULL)`)
	tr.manifest(t,
		relSource("my.src.v1", "tagcomplete_csv", "inject.csv", "format: danbooru"),
		"  - id: site.tags\n    kind: site_tags\n    path: site_tags\n    license: MIT\n")
	code, stdout, stderr := runTagdb(t, relVars(), tr.args()...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	db := sqlitetest.OpenRO(t, tr.out)
	for _, table := range []string{"TAGS", "TAG_STATUS", "TAG_TRANSLATIONS", "TAG_USAGE_COUNTS"} {
		if sqlitetest.QueryInt(t, db, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table) != 1 {
			t.Errorf("table %s is gone", table)
		}
	}
	// Tags arrive lower-cased with their source spelling kept in source_tag.
	for _, raw := range []string{`'); drop table tags; --`, `robert'); delete from tags where ('1'='1`, `a"b`,
		`x"); drop table tag_status; --`, `x"); drop table tags; --`} {
		if sqlitetest.QueryInt(t, db, `SELECT count(*) FROM TAGS WHERE source_tag = ?`, raw) != 1 {
			t.Errorf("no tag %q: the text did not arrive as data", raw)
		}
	}
	if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM TAG_TRANSLATIONS WHERE language = 'zh-cn' AND translation IN ('女性', '注入')`); n != 2 {
		t.Errorf("translations from column trans_zh-CN: %d of 2", n)
	}
	if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM TAGS`); n < 6 {
		t.Errorf("only %d tags", n)
	}
	for _, id := range []string{"my.src.v1", "site.tags/chan.sankakucomplex.com"} {
		if !strings.Contains(stdout, id) {
			t.Errorf("summary lacks source %q:\n%s", id, stdout)
		}
	}
}
