package synthetic

import (
	"fmt"
	"os"
	"path/filepath"
)

// manifestText is the sources.yml over a generated tree. Paths are relative
// to the manifest's folder, so the tree can be moved as a whole.
const manifestText = `# Written by 'tagdb gen': a synthetic full-size input set for benchmarks.
# The base DB is not a source here; pass it to the build with
#   --base base/tags_v4_base.sqlite
sources:
  - id: site-tags
    kind: site_tags
    path: site_tags
    license: CC-BY-4.0
    url: https://huggingface.co/datasets/deepghs/site_tags
  - id: p1atdev-ja
    kind: parquet
    path: translations/p1atdev.parquet
    license: CC0-1.0
    language: ja
`

func writeManifest(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(manifestText), 0o644); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}
