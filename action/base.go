package action

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tagdb/tagdb-action/builder"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/edition"
	"github.com/tagdb/tagdb-action/release/pack"
)

// Base is what a build starts from.
type Base struct {
	DB string // this edition's previous database ("" builds from scratch)
	// Reserve are the files whose tag ids are kept: the base release's id
	// map, or (for a release made before id maps) the other editions'
	// databases.
	Reserve []string
	// Fingerprint is the base release's build fingerprint of this edition.
	Fingerprint string
	// Release is the base release as looked up (nil: none).
	Release *release.Snapshot
	// Published is this edition's build_manifest.json on the base release
	// (nil: the release has none).
	Published *builder.BuildManifest
	// Downloaded counts the bytes of the assets downloaded (checksum files
	// aside), for the summary.
	Downloaded int64
}

// LookupBase finds the base release and reads this edition's
// build_manifest.json from it: a few kilobytes that say whether this
// run's build is already published. A release that cannot be found, or
// without this edition's manifest, is a base without a fingerprint.
func (r *Runner) LookupBase(ctx context.Context, in *Inputs, c *release.Client) (*Base, error) {
	dir, err := baseDir(in)
	if err != nil {
		return nil, err
	}
	snap, err := c.Lookup(ctx, in.BaseRelease)
	if errors.Is(err, release.ErrNoRelease) {
		// The very first run.
		r.IO.Warningf("base release %q: %v; building from scratch", in.BaseRelease, err)
		return &Base{}, nil
	}
	if err != nil {
		// Not knowing the base is no reason to renumber every tag.
		return nil, fmt.Errorf("base release %s: %w", in.BaseRelease, err)
	}
	b := &Base{Release: snap}
	mf := edition.Edition(in.Profile).Manifest()
	if !snap.Has(mf) {
		return b, nil
	}
	d, err := snap.Download(ctx, mf, filepath.Join(dir, mf))
	if err != nil {
		return nil, fmt.Errorf("base release %s: %w", snap.Tag(), err)
	}
	b.Downloaded += d.Size
	data, err := os.ReadFile(d.Path)
	if err != nil {
		return nil, err
	}
	var m builder.BuildManifest
	if err := json.Unmarshal(data, &m); err != nil {
		// An unreadable manifest only means the build is not known to be
		// published: build and publish.
		r.IO.Warningf("base release %s: %s is not a build manifest (%v); building", snap.Tag(), mf, err)
		return b, nil
	}
	b.Published, b.Fingerprint = &m, m.Fingerprint
	return b, nil
}

// FetchBase looks up the base release and downloads what a build on it
// needs: this edition's database, and the release's id map, or the other
// editions' databases when the release predates id maps (editions nil:
// this edition's database only). A release without this edition (the very
// first run) means a build from scratch, with a warning.
func (r *Runner) FetchBase(ctx context.Context, in *Inputs, c *release.Client, editions []edition.Edition) (*Base, error) {
	b, err := r.LookupBase(ctx, in, c)
	if err != nil || b.Release == nil {
		return b, err
	}
	return b, r.fetchBaseFiles(ctx, in, b, editions)
}

// fetchBaseFiles downloads the databases and id map of a base already
// looked up into b.
func (r *Runner) fetchBaseFiles(ctx context.Context, in *Inputs, b *Base, editions []edition.Edition) error {
	dir, err := baseDir(in)
	if err != nil {
		return err
	}
	snap := b.Release
	get := func(name string) (*release.Downloaded, error) {
		d, err := snap.Download(ctx, name, filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		b.Downloaded += d.Size
		verified := "not listed in a checksum file"
		if d.Verified {
			verified = "sha256 verified"
		}
		fmt.Fprintf(r.Log, "base: %s of release %s, %d bytes (%s)\n", name, d.Tag, d.Size, verified)
		return d, nil
	}
	getDB := func(e edition.Edition) (string, error) {
		asset := e.Database(in.Method)
		d, err := get(asset)
		if err != nil {
			return "", err
		}
		db := filepath.Join(dir, e.Database(pack.None))
		if _, err := pack.Decompress(ctx, d.Path, db, pack.MethodFromName(asset)); err != nil {
			return "", fmt.Errorf("base release %s: %s: %w", d.Tag, asset, err)
		}
		// The compressed copy is not needed any more: at full size it is a
		// gigabyte of the runner's disk.
		os.Remove(d.Path)
		return db, nil
	}
	own := edition.Edition(in.Profile)
	if b.DB, err = getDB(own); err != nil {
		// A new edition: built from scratch, still keeping the ids the
		// release's id map or databases hold.
		r.IO.Warningf("base release %q has no %s database (%v); building from scratch", in.BaseRelease, in.Profile, err)
		b.DB = ""
	}
	if editions == nil {
		return nil // mode check: the schema of this edition's database is all it reads
	}
	if snap.Has(edition.IDMap) {
		d, err := get(edition.IDMap)
		if err != nil {
			return fmt.Errorf("base release %s: %w", snap.Tag(), err)
		}
		b.Reserve = append(b.Reserve, d.Path)
		return nil
	}
	// A release made before id maps: the other editions' databases carry
	// the ids this edition must keep.
	for _, e := range editions {
		if e == own {
			continue
		}
		if db, err := getDB(e); err == nil {
			b.Reserve = append(b.Reserve, db)
		}
	}
	return nil
}

func baseDir(in *Inputs) (string, error) {
	dir := filepath.Join(in.OutDir, "base")
	return dir, os.MkdirAll(dir, 0o755)
}
