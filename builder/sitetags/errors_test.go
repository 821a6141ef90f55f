package sitetags

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record/recordtest"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// siteFromScript builds a one-off tags.sqlite from inline SQL.
func siteFromScript(t *testing.T, domain, script string) Site {
	t.Helper()
	dir := filepath.Join(t.TempDir(), domain)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, sqliteFile)
	if err := buildSQLite(context.Background(), path, script); err != nil {
		t.Fatal(err)
	}
	f, _ := DomainFormat(domain)
	return Site{Domain: domain, Format: f, Path: path}
}

// siteFromBytes writes raw bytes as a tags.sqlite.
func siteFromBytes(t *testing.T, data []byte) Site {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "danbooru.donmai.us")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, sqliteFile)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return Site{Domain: "danbooru.donmai.us", Format: 1, Path: path}
}

const bigDanbooru = `CREATE TABLE "tags" ("index" INTEGER, "id" INTEGER, "name" TEXT, "post_count" INTEGER, "category" INTEGER,
  "created_at" TIMESTAMP, "updated_at" TIMESTAMP, "is_deprecated" INTEGER, "words" TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO "tags" SELECT i, i, 'tag_number_' || i, i * 7, 0, '2020-01-01 00:00:00', NULL, 0, '[]' FROM n;`

// TestOpenErrors: every source-level failure is an error that names the file
// and says what is wrong, at Open (before any row is emitted).
func TestOpenErrors(t *testing.T) {
	cases := []struct {
		name string
		site func(t *testing.T) Site
		want []string // substrings of the error, besides the path
	}{
		{"unknown schema", func(t *testing.T) Site {
			return siteFromScript(t, "danbooru.donmai.us", `CREATE TABLE tags (label TEXT, hits INTEGER);`)
		}, []string{`unknown site_tags schema`, `"label" TEXT, "hits" INTEGER`}},
		{"no tags table", func(t *testing.T) Site {
			return siteFromScript(t, "danbooru.donmai.us", `CREATE TABLE other (name TEXT);`)
		}, []string{"no table named tags"}},
		{"column named with a quote", func(t *testing.T) Site {
			return siteFromScript(t, "danbooru.donmai.us",
				`CREATE TABLE tags (name TEXT, post_count INTEGER, "category"" FROM tags; DROP TABLE tags; --" INTEGER);
				 INSERT INTO tags VALUES ('1girl', 1, 0);`)
		}, []string{`unknown site_tags schema`, `"category\" FROM tags; DROP TABLE tags; --" INTEGER`}},
		{"not SQLite", func(t *testing.T) Site {
			return siteFromBytes(t, []byte("name,post_count\n1girl,5\n"))
		}, []string{"not an SQLite database"}},
		{"empty file", func(t *testing.T) Site {
			return siteFromBytes(t, nil)
		}, []string{"empty file, not an SQLite database"}},
		{"truncated", func(t *testing.T) Site {
			s := siteFromScript(t, "danbooru.donmai.us", bigDanbooru)
			data, err := os.ReadFile(s.Path)
			if err != nil {
				t.Fatal(err)
			}
			return siteFromBytes(t, data[:len(data)/2])
		}, []string{"truncated SQLite database", "pages of 1024 bytes"}},
		{"tag_aliases without its columns", func(t *testing.T) Site {
			return siteFromScript(t, "e621.net", `CREATE TABLE tags (name TEXT, post_count INTEGER, category INTEGER);
				CREATE TABLE tag_aliases (antecedent_name TEXT, consequent_name TEXT);`)
		}, []string{`table tag_aliases has columns ("antecedent_name", "consequent_name"), want alias and tag`}},
		{"anime-pictures alias without id", func(t *testing.T) Site {
			return siteFromScript(t, "anime-pictures.net", `CREATE TABLE tags (tag TEXT, num INTEGER, type INTEGER, alias INTEGER);`)
		}, []string{"alias column but no id column"}},
		{"missing file", func(t *testing.T) Site {
			return Site{Domain: "e621.net", Format: 2, Path: filepath.Join(t.TempDir(), "e621.net", sqliteFile)}
		}, []string{"no such file"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.site(t)
			_, err := readSite(t, s, nil, 0)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, s.Path) {
				t.Errorf("error does not name the file %s: %v", s.Path, err)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

// TestInjectionColumnUntouched: the quoted column name is never executed;
// the file still has its table and row afterwards.
func TestInjectionColumnUntouched(t *testing.T) {
	s := siteFromScript(t, "danbooru.donmai.us",
		`CREATE TABLE tags (name TEXT, post_count INTEGER, category INTEGER, is_deprecated INTEGER,
		   "name"", 1 FROM tags; DROP TABLE tags; --" TEXT);
		 INSERT INTO tags VALUES ('1girl', 5, 0, 0, 'x');`)
	res, err := readSite(t, s, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	recordtest.DiffLines(t, "rows", res.rows, []string{`tags rowid 1 "1girl" f1 t0 c5`})
	db, err := sqlitedb.Open(context.Background(), s.Path, sqlitedb.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM tags`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("tags after reading: %d rows, %v", n, err)
	}
}

// TestCorruptPageMidStream: damage the file is not told about by its header
// surfaces from Next, naming the file and the last good row.
func TestCorruptPageMidStream(t *testing.T) {
	s := siteFromScript(t, "danbooru.donmai.us", bigDanbooru)
	data, err := os.ReadFile(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	// Overwrite a page in the middle of the tags b-tree with junk.
	page := len(data) / 1024 * 2 / 3
	for i := page * 1024; i < (page+1)*1024; i++ {
		data[i] = 0xA5
	}
	if err := os.WriteFile(s.Path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := readSite(t, s, nil, 100)
	if err == nil {
		t.Fatalf("read %d rows of a damaged file without error", len(res.rows))
	}
	if !strings.Contains(err.Error(), s.Path+": reading tags after tags rowid ") {
		t.Errorf("error does not name file and position: %v", err)
	}
}

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	mk := func(p string, data string) {
		t.Helper()
		p = filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("zerochan.net/tags.sqlite", "")
	mk("danbooru.donmai.us/tags.sqlite", "")
	mk("danbooru.donmai.us/tags.parquet", "") // sqlite wins
	mk("e621.net/tags.parquet", "")
	mk("en.pixiv.net/tags.sqlite", "")
	mk("pixiv.net/tags.sqlite", "")
	mk("README.md", "# site_tags")
	mk(".cache/huggingface/x", "")
	sites, err := Discover(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sites {
		rel, _ := filepath.Rel(root, s.Path)
		got = append(got, s.Domain+" "+strconv.Itoa(s.Format)+" "+filepath.ToSlash(rel))
	}
	recordtest.DiffLines(t, "sites", got, []string{
		"danbooru.donmai.us 1 danbooru.donmai.us/tags.sqlite",
		"e621.net 2 e621.net/tags.parquet",
		"en.pixiv.net 18 en.pixiv.net/tags.sqlite",
		"pixiv.net 18 pixiv.net/tags.sqlite",
		"zerochan.net 17 zerochan.net/tags.sqlite",
	})

	mk("example.com/tags.sqlite", "")
	if _, err := Discover(root); err == nil || !strings.Contains(err.Error(), `unknown site folder "example.com"`) ||
		!strings.Contains(err.Error(), filepath.Join(root, "example.com")) {
		t.Errorf("unknown domain folder: %v", err)
	}
	if err := os.RemoveAll(filepath.Join(root, "example.com")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "yande.re"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Discover(root); err == nil || !strings.Contains(err.Error(), "yande.re: no tags.sqlite or tags.parquet") {
		t.Errorf("empty site folder: %v", err)
	}
	if _, err := Discover(filepath.Join(root, "absent")); err == nil {
		t.Error("Discover of a missing root succeeded")
	}
}

// TestDomainFormat pins the 18-domain table of docs/site-tags.md, "Layout".
func TestDomainFormat(t *testing.T) {
	want := map[string]int{
		"anime-pictures.net": 14, "booru.allthefallen.moe": 5, "chan.sankakucomplex.com": 6, "danbooru.donmai.us": 1,
		"e621.net": 2, "en.pixiv.net": 18, "gelbooru.com": 7, "hypnohub.net": 10, "konachan.com": 11,
		"konachan.net": 12, "lolibooru.moe": 13, "pixiv.net": 18, "rule34.xxx": 8, "safebooru.donmai.us": 4,
		"wallhaven.cc": 15, "xbooru.com": 9, "yande.re": 16, "zerochan.net": 17,
	}
	for d, f := range want {
		if got, ok := DomainFormat(d); !ok || got != f {
			t.Errorf("DomainFormat(%q) = %d, %v; want %d", d, got, ok, f)
		}
	}
	for _, d := range []string{"", "danbooru", "Danbooru.donmai.us", "derpibooru.org", "www.pixiv.net"} {
		if _, ok := DomainFormat(d); ok {
			t.Errorf("DomainFormat(%q) accepted an unknown domain", d)
		}
	}
}

// TestCancel: a cancelled context stops the stream with an error naming the
// file, instead of reading on.
func TestCancel(t *testing.T) {
	s := siteFromScript(t, "danbooru.donmai.us", bigDanbooru)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src, err := Open(ctx, s, Options{BatchSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Next(); err != nil {
		t.Fatal(err)
	}
	cancel()
	for i := 0; i < 1000; i++ {
		if _, err = src.Next(); err != nil {
			break
		}
	}
	if err == nil || !strings.Contains(err.Error(), s.Path) {
		t.Fatalf("Next after cancel = %v, want an error naming the file", err)
	}
	if _, again := src.Next(); again == nil || again.Error() != err.Error() {
		t.Errorf("the error is not sticky: %v then %v", err, again)
	}
}
