package sitetags

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

// sampleRoot is the bundled sample site_tags tree at the repository root.
var sampleRoot = filepath.Join("..", "..", "testdata", "sample", "site_tags")

// sampleDomains lists the folders of the sample tree that have a tags.sql.
func sampleDomains(t *testing.T) []string {
	t.Helper()
	scripts, err := filepath.Glob(filepath.Join(sampleRoot, "*", "tags.sql"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range scripts {
		out = append(out, filepath.Base(filepath.Dir(s)))
	}
	if len(out) < 6 {
		t.Fatalf("sample tree has %d domains with tags.sql, want at least 6", len(out))
	}
	return out
}

// TestSampleTreeUpToDate rebuilds every sample tags.sqlite from its tags.sql
// and compares contents with the committed file; -update rewrites the
// committed files. It also checks that builds are byte-for-byte repeatable
// and that the tree stays small.
func TestSampleTreeUpToDate(t *testing.T) {
	ctx := context.Background()
	for _, domain := range sampleDomains(t) {
		script, err := os.ReadFile(filepath.Join(sampleRoot, domain, "tags.sql"))
		if err != nil {
			t.Fatal(err)
		}
		tmp := t.TempDir()
		fresh, again := filepath.Join(tmp, "a.sqlite"), filepath.Join(tmp, "b.sqlite")
		for _, p := range []string{fresh, again} {
			if err := buildSQLite(ctx, p, string(script)); err != nil {
				t.Fatalf("%s: %v", domain, err)
			}
		}
		a, _ := os.ReadFile(fresh)
		b, _ := os.ReadFile(again)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two builds of tags.sql differ byte for byte", domain)
		}
		committed := filepath.Join(sampleRoot, domain, sqliteFile)
		if golden.Update() {
			if err := os.WriteFile(committed, a, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := os.Stat(committed); err != nil {
			t.Errorf("%s: %v (run go test ./builder/sitetags -run TestSampleTreeUpToDate -update)", domain, err)
			continue
		}
		if got, want := sqlitetest.Dump(t, committed), sqlitetest.Dump(t, fresh); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: committed tags.sqlite does not match tags.sql (run go test ./builder/sitetags -run TestSampleTreeUpToDate -update)", domain)
		}
	}
	var total int64
	err := filepath.Walk(sampleRoot, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if total > 300<<10 {
		t.Errorf("sample tree is %d bytes, want under 300 KiB", total)
	}
}

// TestSampleTreeGolden reads the sample tree through Discover and Open and
// compares every row and event with testdata/sample/<domain>.golden.
func TestSampleTreeGolden(t *testing.T) {
	sites, err := Discover(sampleRoot)
	if err != nil {
		t.Fatal(err)
	}
	ov := Overrides{"zerochan.net": {"abigail": "Abigail (Gate)"}}
	rules := map[int]bool{}
	for _, s := range sites {
		res, err := readSite(t, s, ov, 16)
		if err != nil {
			t.Fatalf("%s: %v", s.Domain, err)
		}
		rules[res.rule] = true
		if n := res.stats.RowsRead; n < 20 || n > 60 {
			t.Errorf("%s: %d tags rows, want 20-60", s.Domain, n)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "# %s: layout rule %d, format %d\n", s.Domain, res.rule, s.Format)
		for _, l := range res.rows {
			b.WriteString(l + "\n")
		}
		for _, l := range res.events {
			b.WriteString("event " + l + "\n")
		}
		fmt.Fprintf(&b, "stats %+v\n", res.stats)
		golden.AssertString(t, b.String(), filepath.Join("testdata", "sample", s.Domain+".golden"))
	}
	if len(rules) < 6 {
		t.Errorf("the sample tree covers %d layouts, want at least 6", len(rules))
	}
}
