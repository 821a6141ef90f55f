package release_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/pack"
)

// editionBundle packs one edition's database with the shared file
// (content shared) under its own checksum file, as the action's jobs do.
func editionBundle(t *testing.T, edition, shared string) []release.Asset {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "tagdb-"+edition+".sqlite")
	write(t, db, "SQLite format 3\x00 "+edition)
	ids := filepath.Join(dir, "ids.tsv")
	write(t, ids, shared)
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := pack.MakeBundle(context.Background(), pack.BundleOptions{DB: db, OutDir: out, Extras: []string{ids}, SumsName: "tagdb-" + edition + ".SHA256SUMS"})
	if err != nil {
		t.Fatal(err)
	}
	return release.AssetsOf(b.Files)
}

// Editions publishing into one release upload the shared file once: the
// second finds it with its own bytes (confirmed by the first's checksum
// file) and keeps it; a copy with other bytes is replaced. The body given
// with BodyOnCreate is written only by the publisher that creates the
// release.
func TestSharedAssetKeptWhenSame(t *testing.T) {
	for _, tt := range []struct {
		name, second string
		kept         bool
	}{
		{"same content", "tag\ttag_id\na\t1\n", true},
		{"other content, same size", "tag\ttag_id\nb\t1\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			opts := func(edition, shared, body string) release.PublishOptions {
				return release.PublishOptions{
					ReleaseSpec: release.ReleaseSpec{Tag: "v1", Body: body}, BodyOnCreate: true,
					Overwrite: true, Assets: editionBundle(t, edition, shared), Shared: []string{"ids.tsv"},
				}
			}
			if _, err := h.client.Publish(context.Background(), opts("cc0", "tag\ttag_id\na\t1\n", "first")); err != nil {
				t.Fatal(err)
			}
			idOf := func() int64 {
				for _, a := range h.only().Assets {
					if a.Name == "ids.tsv" {
						return a.ID
					}
				}
				t.Fatal("no ids.tsv on the release")
				return 0
			}
			before, uploads := idOf(), h.count("upload-asset")
			if _, err := h.client.Publish(context.Background(), opts("cc4", tt.second, "second")); err != nil {
				t.Fatal(err)
			}
			if kept := idOf() == before; kept != tt.kept {
				t.Errorf("shared asset kept = %v, want %v", kept, tt.kept)
			}
			wantUploads := 2 // cc4's database and checksum file
			if !tt.kept {
				wantUploads++
			}
			if n := h.count("upload-asset") - uploads; n != wantUploads {
				t.Errorf("%d uploads by the second publisher, want %d", n, wantUploads)
			}
			if body := h.only().Body; body != "first" {
				t.Errorf("body %q: the second publisher overwrote it", body)
			}
		})
	}
}
