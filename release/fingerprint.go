package release

import (
	"github.com/tagdb/tagdb-action/release/pack"

	"encoding/json"
	"fmt"
	"io"
	"os"
)

// ManifestName is the asset that carries a build's fingerprint.
const ManifestName = pack.ManifestName

// maxManifestBytes bounds how much of a remote manifest is read: a manifest
// is a few kilobytes, and a wrong asset must not fill memory.
const maxManifestBytes = 16 << 20

// ManifestFingerprint reads the top-level "fingerprint" string of a
// build_manifest.json. A manifest without one yields "" and no error.
func ManifestFingerprint(r io.Reader) (string, error) {
	var m struct {
		Fingerprint *string `json:"fingerprint"`
	}
	dec := json.NewDecoder(io.LimitReader(r, maxManifestBytes))
	if err := dec.Decode(&m); err != nil {
		return "", fmt.Errorf("not a JSON object: %w", err)
	}
	if m.Fingerprint == nil {
		return "", nil
	}
	return *m.Fingerprint, nil
}

// ReadFingerprint is ManifestFingerprint of a file; errors name the file.
func ReadFingerprint(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	fp, err := ManifestFingerprint(f)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return fp, nil
}

// SameFingerprint is the whole skip-if-unchanged rule: a build is unchanged
// when the published manifest names the same non-empty fingerprint. An empty
// fingerprint on either side never matches, so a build that cannot say what
// it was made from is always published.
func SameFingerprint(published, ours string) bool {
	return ours != "" && published == ours
}
