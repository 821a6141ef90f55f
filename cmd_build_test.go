package main

import (
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/idmap"
	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1GiB", 1 << 30, true},
		{"768MiB", 768 << 20, true},
		{"1.5G", 3 << 29, true},
		{"512M", 512 << 20, true},
		{" 2 GiB ", 2 << 30, true},
		{"0", 0, true},
		{"1024", 0, false}, // a bare number is ambiguous: bytes or MiB?
		{"-1GiB", 0, false},
		{"lots", 0, false},
		{"", 0, false},
	} {
		got, err := parseSize(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// --id-map writes the id map, and --reserve-ids takes it where it takes a
// database: the cc4 build keeps the ids the cc0 build wrote.
func TestBuildIDMapFlags(t *testing.T) {
	dir := t.TempDir()
	idMap, cc0, cc4 := filepath.Join(dir, "ids.tsv.zst"), filepath.Join(dir, "cc0.sqlite"), filepath.Join(dir, "cc4.sqlite")
	vars := map[string]string{"SOURCE_DATE_EPOCH": "1700000000"}
	if code, _, stderr := runTagdb(t, vars, "build", "--quiet", "--profile", "cc0", "--out", cc0, "--id-map", idMap); code != 0 {
		t.Fatalf("cc0 build: %d %s", code, stderr)
	}
	if code, _, stderr := runTagdb(t, vars, "build", "--quiet", "--profile", "cc4", "--out", cc4, "--reserve-ids", idMap); code != 0 {
		t.Fatalf("cc4 build on the id map: %d %s", code, stderr)
	}
	ids := map[string]int64{}
	if err := idmap.ReadFile(idMap, func(e idmap.Entry) error { ids[e.Tag] = e.ID; return nil }); err != nil {
		t.Fatal(err)
	}
	db := sqlitetest.OpenRO(t, cc4)
	rows, err := db.Query(`SELECT tag, tag_id FROM TAGS`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var tag string
		var id int64
		if err := rows.Scan(&tag, &id); err != nil {
			t.Fatal(err)
		}
		if want, ok := ids[tag]; !ok || want != id {
			t.Errorf("cc4 tag %q has id %d, the id map %d (present %v)", tag, id, want, ok)
		}
		n++
	}
	if n == 0 {
		t.Fatal("cc4 has no tags")
	}
}
