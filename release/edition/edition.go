package edition

import (
	"slices"
	"strings"

	"github.com/tagdb/tagdb-action/release/pack"
)

// prefix starts every edition asset's name.
const prefix = "tagdb-"

// Edition is one licence edition: a profile name of the sources manifest
// (cc0, mit, cc4, ...).
type Edition string

// Asset names a file of the edition: tagdb-<edition>.<suffix>. The named
// helpers below cover the files every release has; a new kind of asset
// (e.g. a diff report) is Asset("diff.json") until it earns its own.
func (e Edition) Asset(suffix string) string { return prefix + string(e) + "." + suffix }

// Database names the edition's database compressed with m; with pack.None it
// is also the local file name of the uncompressed database.
func (e Edition) Database(m pack.Method) string { return e.Asset("sqlite" + m.Ext()) }

// Manifest names the edition's build_manifest.json, which carries the build
// fingerprint and is uploaded last.
func (e Edition) Manifest() string { return e.Asset(pack.ManifestName) }

// Sums names the edition's checksum file.
func (e Edition) Sums() string { return e.Asset(pack.SumsName) }

// Card names the edition's dataset card (the builder's README.md).
func (e Edition) Card() string { return e.Asset("README.md") }

// Diff names the edition's data diff against the base release (the JSON of
// tagdb diff).
func (e Edition) Diff() string { return e.Asset("diff.json") }

// IDMap names the release's id map (package idmap): one file shared by the
// editions, listed in each edition's checksum file. It is not an edition
// asset: FromAsset refuses it.
const IDMap = "tagdb.idmap.tsv.zst"

// FromAsset splits an edition asset's name into its edition and suffix
// (tagdb-cc4.sqlite.zst → "cc4", "sqlite.zst"); ok is false for a name that
// is not an edition asset.
func FromAsset(name string) (e Edition, suffix string, ok bool) {
	rest, found := strings.CutPrefix(name, prefix)
	if !found {
		return "", "", false
	}
	ed, suffix, found := strings.Cut(rest, ".")
	if !found || ed == "" {
		return "", "", false
	}
	return Edition(ed), suffix, true
}

// List returns the editions of a manifest's profiles (a profile name → its
// licences map), sorted by name.
func List(profiles map[string][]string) []Edition {
	out := make([]Edition, 0, len(profiles))
	for p := range profiles {
		out = append(out, Edition(p))
	}
	slices.Sort(out)
	return out
}
