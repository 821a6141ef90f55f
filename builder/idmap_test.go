package builder

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/idmap"
	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

// Every edition built from the same inputs writes the same id map, whatever
// its licences: ids are assigned over every enabled source. So the jobs of
// one release upload one file, and a build can reserve ids from it.
func TestIDMapIsTheSameForEveryEdition(t *testing.T) {
	dir := miniTree(t)
	maps := map[string][]byte{}
	for _, p := range []string{"cc0", "mit", "cc4", "all"} {
		path := filepath.Join(t.TempDir(), p+".idmap.tsv.zst")
		out := filepath.Join(t.TempDir(), p+".sqlite")
		build(t, dir, p, out, func(o *Options) { o.IDMap = path })
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		maps[p] = b
		// The map holds every tag of the edition's TAGS with its id.
		ids := tagIDs(t, sqlitetest.OpenRO(t, out))
		inMap := map[string]int64{}
		if err := idmap.ReadFile(path, func(e idmap.Entry) error { inMap[e.Tag] = e.ID; return nil }); err != nil {
			t.Fatal(err)
		}
		for tag, id := range ids {
			if got, ok := inMap[tag]; !ok || got != id {
				t.Errorf("%s: tag %q has id %d in TAGS but %d (present %v) in the id map", p, tag, id, got, ok)
			}
		}
		if p == "cc0" && len(inMap) <= len(ids) {
			t.Errorf("cc0 id map has %d tags, TAGS %d: the ids-only sources' tags are missing", len(inMap), len(ids))
		}
	}
	for _, p := range []string{"mit", "cc4", "all"} {
		if !bytes.Equal(maps[p], maps["cc0"]) {
			t.Errorf("the %s id map differs from cc0's", p)
		}
	}
}

// The next release's editions, each built on its own previous database and
// the previous id map, again write one id map: the union of the old one and
// the new tags.
func TestIDMapStaysSharedAcrossReleases(t *testing.T) {
	dir := miniTree(t)
	prev := t.TempDir()
	prevMap := filepath.Join(prev, "idmap.tsv.zst")
	eds := []string{"cc0", "mit", "cc4"}
	for _, p := range eds {
		build(t, dir, p, filepath.Join(prev, p+".sqlite"), func(o *Options) { o.IDMap = prevMap })
	}
	os.WriteFile(filepath.Join(dir, "more.csv"), []byte("aaa_first,0,5,\nzzz_last,0,5,\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "sources.yml"), []byte(strings.Replace(miniManifest, "profiles:", `  - id: more
    kind: tagcomplete_csv
    path: more.csv
    format: danbooru
    license: CC-BY-4.0
profiles:`, 1)), 0o644)
	var first []byte
	for _, p := range eds {
		next := filepath.Join(t.TempDir(), "idmap.tsv.zst")
		build(t, dir, p, filepath.Join(t.TempDir(), p+".sqlite"), func(o *Options) {
			o.Base, o.Reserve, o.IDMap = filepath.Join(prev, p+".sqlite"), []string{prevMap}, next
		})
		b, err := os.ReadFile(next)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Errorf("the %s id map of the next release differs from cc0's", p)
		}
	}
}

// A build that reserves ids from the previous release's id map gives the
// same bytes as one that reserves them from the other editions' databases.
func TestReserveFromIDMapEqualsReserveFromDatabases(t *testing.T) {
	dir := miniTree(t)
	prev := t.TempDir()
	db := func(p string) string { return filepath.Join(prev, p+".sqlite") }
	mapPath := filepath.Join(prev, "idmap.tsv.zst")
	for _, p := range []string{"cc0", "mit", "cc4"} {
		build(t, dir, p, db(p), func(o *Options) { o.IDMap = mapPath })
	}
	// This week's sources bring new tags, some sorting before old ones.
	os.WriteFile(filepath.Join(dir, "more.csv"), []byte("aaa_first,0,5,\nzzz_last,0,5,\nsolo,0,999,\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "sources.yml"), []byte(strings.Replace(miniManifest, "profiles:", `  - id: more
    kind: tagcomplete_csv
    path: more.csv
    format: danbooru
    license: MIT
profiles:`, 1)), 0o644)
	fromDBs := build(t, dir, "cc4", filepath.Join(t.TempDir(), "a.sqlite"), func(o *Options) {
		o.Base, o.Reserve = db("cc4"), []string{db("cc0"), db("mit")}
	})
	fromMap := build(t, dir, "cc4", filepath.Join(t.TempDir(), "b.sqlite"), func(o *Options) {
		o.Base, o.Reserve = db("cc4"), []string{mapPath}
	})
	if fromDBs.SHA256 != fromMap.SHA256 {
		t.Errorf("reserving from the id map gives %s, from the databases %s", fromMap.SHA256, fromDBs.SHA256)
	}
}

// An id map that contradicts the base is refused, naming the file.
func TestReserveFromIDMapRefusesAnotherHistory(t *testing.T) {
	dir := miniTree(t)
	base := filepath.Join(t.TempDir(), "base.sqlite")
	build(t, dir, "cc4", base, nil)
	bad := filepath.Join(t.TempDir(), "bad.idmap.tsv.zst")
	if err := idmap.WriteFile(bad, []idmap.Entry{{Tag: "long hair", ID: 999}}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.sqlite")
	_, err := Build(t.Context(), testOptions(t, dir, "cc4", out, func(o *Options) { o.Base, o.Reserve = base, []string{bad} }))
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), `tag "long hair" has id 999 there`) {
		t.Fatalf("error %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a refused build left its output")
	}
}
