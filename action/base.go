package action

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations/schema"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/edition"
	"github.com/tagdb/tagdb-action/release/pack"
)

// Base is what a build starts from.
type Base struct {
	DB string // this edition's previous database ("" builds from scratch)
	// Reserve are the other editions' databases, whose tag ids are kept.
	Reserve []string
	// Fingerprint is the base release's build fingerprint of this edition.
	Fingerprint string
}

// FetchBase downloads this edition's database from the base release, the
// databases of the other editions (whose ids must be kept) and this
// edition's build manifest. A release without this edition (the very first
// run) means a build from scratch, with a warning.
func (r *Runner) FetchBase(ctx context.Context, in *Inputs, c *release.Client, editions []edition.Edition) (*Base, error) {
	dir := filepath.Join(in.OutDir, "base")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	get := func(e edition.Edition) (string, error) {
		asset := e.Database(in.Method)
		d, err := c.Download(ctx, in.BaseRelease, asset, filepath.Join(dir, asset))
		if err != nil {
			return "", err
		}
		db := filepath.Join(dir, e.Database(pack.None))
		if _, err := pack.Decompress(ctx, d.Path, db, pack.MethodFromName(asset)); err != nil {
			return "", fmt.Errorf("base release %s: %s: %w", d.Tag, asset, err)
		}
		verified := "not listed in a checksum file"
		if d.Verified {
			verified = "sha256 verified"
		}
		fmt.Fprintf(r.Log, "base: %s of release %s (%s)\n", asset, d.Tag, verified)
		return db, nil
	}
	own := edition.Edition(in.Profile)
	b := &Base{}
	var err error
	if b.DB, err = get(own); err != nil {
		r.IO.Warningf("base release %q has no %s database (%v); building from scratch", in.BaseRelease, in.Profile, err)
		return &Base{}, nil
	}
	for _, e := range editions {
		if e == own {
			continue
		}
		if db, err := get(e); err == nil {
			b.Reserve = append(b.Reserve, db)
		}
	}
	mf := own.Manifest()
	if d, err := c.Download(ctx, in.BaseRelease, mf, filepath.Join(dir, mf)); err == nil {
		b.Fingerprint, _ = release.ReadFingerprint(d.Path)
	}
	return b, nil
}

// schemaHashOf hashes the schema dump of a database: equal hashes, equal
// schema, whatever the data.
func schemaHashOf(ctx context.Context, path string) (string, error) {
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadOnly)
	if err != nil {
		return "", err
	}
	defer db.Close()
	snap, err := schema.Inspect(ctx, db)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if err := snap.WriteJSON(h); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
