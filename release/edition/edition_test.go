package edition_test

import (
	"slices"
	"testing"

	"github.com/tagdb/tagdb-action/release/edition"
	"github.com/tagdb/tagdb-action/release/pack"
)

func TestNames(t *testing.T) {
	e := edition.Edition("cc4")
	for _, tt := range []struct{ got, want string }{
		{e.Database(pack.Zstd), "tagdb-cc4.sqlite.zst"},
		{e.Database(pack.Gzip), "tagdb-cc4.sqlite.gz"},
		{e.Database(pack.None), "tagdb-cc4.sqlite"},
		{e.Manifest(), "tagdb-cc4.build_manifest.json"},
		{e.Sums(), "tagdb-cc4.SHA256SUMS"},
		{e.Card(), "tagdb-cc4.README.md"},
		{e.Asset("diff.json"), "tagdb-cc4.diff.json"},
		{e.Diff(), "tagdb-cc4.diff.json"},
		{edition.IDMap, "tagdb.idmap.tsv.zst"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// The shared id map is no edition's asset.
func TestIDMapIsNoEditionAsset(t *testing.T) {
	if e, suffix, ok := edition.FromAsset(edition.IDMap); ok {
		t.Errorf("FromAsset(%q) = %q, %q, true", edition.IDMap, e, suffix)
	}
}

func TestList(t *testing.T) {
	got := edition.List(map[string][]string{"mit": nil, "cc4": nil, "cc0": nil, "nc": nil})
	want := []edition.Edition{"cc0", "cc4", "mit", "nc"}
	if !slices.Equal(got, want) {
		t.Errorf("List = %v, want %v", got, want)
	}
}
