package pack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// BundleOptions say which files make up one release of one edition.
type BundleOptions struct {
	DB        string // the validated database file
	OutDir    string // where the compressed DB and SHA256SUMS are written (must exist)
	Method    Method // "" means DefaultMethod
	AssetName string // default: base(DB) + Method.Ext(), e.g. tags-cc0.sqlite.zst
	// Manifest is build_manifest.json (optional). It is listed last in Files
	// because the release treats it as the marker of a complete upload.
	Manifest string
	Extras   []string // dataset card, reports: published under their base names
	// SumsName names the checksum file (default SHA256SUMS). Editions that
	// share one release each need their own (tagdb-cc0.SHA256SUMS).
	SumsName string
}

// Bundle is the set of files to publish, each hashed once.
type Bundle struct {
	DB       File  // the (compressed) database asset
	Sums     File  // the checksum file, covering every other file of the bundle
	Manifest *File // nil without a manifest
	// Files is everything in upload order: DB, extras, SHA256SUMS, manifest.
	Files []File
}

// MakeBundle compresses the DB into OutDir, hashes the other files and writes
// SHA256SUMS. With Method None the DB is not copied: it is published from
// where it is under AssetName.
func MakeBundle(ctx context.Context, o BundleOptions) (*Bundle, error) {
	if o.DB == "" {
		return nil, fmt.Errorf("bundle: no database given")
	}
	if o.OutDir == "" {
		return nil, fmt.Errorf("bundle %s: no output folder given", o.DB)
	}
	if o.Method == "" {
		o.Method = DefaultMethod
	}
	if o.AssetName == "" {
		o.AssetName = filepath.Base(o.DB) + o.Method.Ext()
	}
	if filepath.Base(o.AssetName) != o.AssetName {
		return nil, fmt.Errorf("bundle: asset name %q must be a plain file name", o.AssetName)
	}
	st, err := os.Stat(o.DB)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("bundle: database %s is not a regular file", o.DB)
	}

	if o.SumsName == "" {
		o.SumsName = SumsName
	}
	if filepath.Base(o.SumsName) != o.SumsName {
		return nil, fmt.Errorf("bundle: checksum file name %q must be a plain file name", o.SumsName)
	}
	seen := map[string]string{o.SumsName: "the checksum file"}
	claim := func(name, what string) error {
		if prev, ok := seen[name]; ok {
			return fmt.Errorf("bundle: %s and %s would both be published as %q", prev, what, name)
		}
		seen[name] = what
		return nil
	}
	if err := claim(o.AssetName, "the database "+o.DB); err != nil {
		return nil, err
	}
	for _, x := range o.Extras {
		if err := claim(filepath.Base(x), "extra file "+x); err != nil {
			return nil, err
		}
	}
	if o.Manifest != "" {
		if err := claim(filepath.Base(o.Manifest), "manifest "+o.Manifest); err != nil {
			return nil, err
		}
	}

	b := &Bundle{}
	if o.Method == None {
		b.DB, err = HashFile(ctx, o.DB)
	} else {
		b.DB, err = Compress(ctx, o.DB, filepath.Join(o.OutDir, o.AssetName), o.Method)
	}
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	b.DB.Name = o.AssetName
	summed := []File{b.DB}
	for _, x := range o.Extras {
		f, err := HashFile(ctx, x)
		if err != nil {
			return nil, fmt.Errorf("bundle: extra file: %w", err)
		}
		summed = append(summed, f)
	}
	if o.Manifest != "" {
		f, err := HashFile(ctx, o.Manifest)
		if err != nil {
			return nil, fmt.Errorf("bundle: manifest: %w", err)
		}
		b.Manifest = &f
		summed = append(summed, f)
	}
	b.Sums, err = WriteSumsFile(filepath.Join(o.OutDir, o.SumsName), summed)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	b.Files = append(b.Files, summed[:1+len(o.Extras)]...)
	b.Files = append(b.Files, b.Sums)
	if b.Manifest != nil {
		b.Files = append(b.Files, *b.Manifest)
	}
	return b, nil
}
