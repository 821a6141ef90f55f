package release

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/go-github/v66/github"

	"github.com/tagdb/tagdb-action/internal/progress"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/release/edition"
	"github.com/tagdb/tagdb-action/release/pack"
)

// editionMethods is the order in which an edition's database asset is looked
// for: the published default first.
var editionMethods = []pack.Method{pack.Zstd, pack.Gzip, pack.None}

// ErrUnverified is returned (wrapped) by DownloadEdition when no checksum
// file of the release lists the database and EditionOptions.AllowUnverified
// is false.
var ErrUnverified = errors.New("no checksum file of the release lists it")

// EditionOptions tune DownloadEdition.
type EditionOptions struct {
	// Progress draws the download; nil draws nothing.
	Progress *progress.Reporter
	// AllowUnverified accepts a database that no checksum file of the
	// release lists. A listed database with the wrong checksum is always
	// refused.
	AllowUnverified bool
}

// Edition describes a database fetched by DownloadEdition. The embedded
// Downloaded is the asset as published (compressed, possibly in parts);
// its Path is where the database now is.
type Edition struct {
	Downloaded
	Edition  string
	Method   pack.Method // how the asset was compressed
	DBSize   int64       // the decompressed database
	DBSHA256 string
}

// DownloadEdition fetches the database of one edition (cc0, mit, cc4) from
// the release with this tag ("latest": the latest published release): it
// joins parts, verifies the checksum, decompresses zstd or gzip, checks that
// the result is a SQLite database that passes quick_check, and only then
// moves it to dest. On any failure dest is left as it was.
func (c *Client) DownloadEdition(ctx context.Context, tag, ed, dest string, o EditionOptions) (*Edition, error) {
	if ed == "" || strings.ContainsAny(ed, "./\\ ") {
		return nil, fmt.Errorf("edition %q: want a plain name such as cc0, mit or cc4", ed)
	}
	snap, err := c.Lookup(ctx, tag)
	if err != nil {
		return nil, err
	}
	rel, assets := snap.rel, snap.assets
	name, method, err := editionAssetIn(assets, ed, rel.GetTagName())
	if err != nil {
		return nil, err
	}
	where := fmt.Sprintf("%s of release %s", name, rel.GetTagName())

	// Everything is staged in a folder next to dest, so the final rename
	// stays on one file system and a failure leaves nothing behind.
	stage, err := os.MkdirTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.download")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	defer os.RemoveAll(stage)

	d, err := c.download(ctx, rel, assets, name, filepath.Join(stage, name), o.Progress)
	if err != nil {
		return nil, err
	}
	if !d.Verified && !o.AllowUnverified {
		return nil, fmt.Errorf("%s: %w; refusing an unverified database", where, ErrUnverified)
	}
	out := &Edition{Downloaded: *d, Edition: ed, Method: method}
	db := pack.File{Path: d.Path, Size: d.Size, SHA256: d.SHA256}
	if method != pack.None {
		o.Progress.Printf("decompress %s (%s)", name, method)
		if db, err = pack.Decompress(ctx, d.Path, filepath.Join(stage, edition.Edition(ed).Database(pack.None)), method); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
	}
	if err := quickCheck(ctx, db.Path); err != nil {
		return nil, fmt.Errorf("%s: not a usable SQLite database: %w", where, err)
	}
	if err := os.Rename(db.Path, dest); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	out.Path, out.DBSize, out.DBSHA256 = dest, db.Size, db.SHA256
	return out, nil
}

// editionAssetIn picks the edition's database among the release's assets,
// whole or in parts. When the edition is missing, the error lists the
// editions the release does have.
func editionAssetIn(assets []*github.ReleaseAsset, ed, tag string) (string, pack.Method, error) {
	present := map[string]bool{}
	for _, a := range assets {
		if a.GetState() != "uploaded" {
			continue
		}
		present[a.GetName()] = true
		if origin, ok := pack.PartOf(a.GetName()); ok {
			present[origin] = true
		}
	}
	for _, m := range editionMethods {
		if name := edition.Edition(ed).Database(m); present[name] {
			return name, m, nil
		}
	}
	var editions []string
	for name := range present {
		e, suffix, ok := edition.FromAsset(name)
		if !ok {
			continue
		}
		if _, isPart := pack.PartOf(name); !isPart && slices.ContainsFunc(editionMethods, func(m pack.Method) bool { return suffix == "sqlite"+m.Ext() }) {
			editions = append(editions, string(e))
		}
	}
	if len(editions) == 0 {
		return "", "", fmt.Errorf("release %s has no %s edition, and no tagdb-<edition>.sqlite database at all", tag, ed)
	}
	slices.Sort(editions)
	editions = slices.Compact(editions)
	return "", "", fmt.Errorf("release %s has no %s edition (it has: %s)", tag, ed, strings.Join(editions, ", "))
}

// quickCheck opens path read-only and runs PRAGMA quick_check, so a file
// that is not a SQLite database, or a damaged one, is never put in place.
func quickCheck(ctx context.Context, path string) error {
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadOnly)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return fmt.Errorf("quick_check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("quick_check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("quick_check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("quick_check: %s", strings.Join(problems, "; "))
	}
	return nil
}
