package release

import (
	"context"

	"github.com/google/go-github/v66/github"

	"github.com/tagdb/tagdb-action/release/pack"
)

// Snapshot is a release and its asset list, looked up once. A caller that
// fetches a few small assets of a release and decides from them whether to
// fetch the large ones (the action's base release) asks GitHub for the
// release once, and can tell what it did not download.
type Snapshot struct {
	c      *Client
	rel    *github.RepositoryRelease
	assets []*github.ReleaseAsset
}

// Lookup finds the release with this tag ("latest": the latest published
// release) and lists its assets.
func (c *Client) Lookup(ctx context.Context, tag string) (*Snapshot, error) {
	rel, err := c.resolve(ctx, tag)
	if err != nil {
		return nil, err
	}
	assets, err := c.listAssetsRetried(ctx, rel)
	if err != nil {
		return nil, err
	}
	return &Snapshot{c: c, rel: rel, assets: assets}, nil
}

// Tag is the release's tag (the resolved one when "latest" was looked up).
func (s *Snapshot) Tag() string { return s.rel.GetTagName() }

// ID is the release's id.
func (s *Snapshot) ID() int64 { return s.rel.GetID() }

// URL is the release's page.
func (s *Snapshot) URL() string { return s.rel.GetHTMLURL() }

// AssetURL is the browser download URL of the uploaded asset name, "" when
// the release has none of that name (or has it only in parts).
func (s *Snapshot) AssetURL(name string) string {
	for _, a := range s.assets {
		if a.GetName() == name && a.GetState() == "uploaded" {
			return a.GetBrowserDownloadURL()
		}
	}
	return ""
}

// Has says whether the release has the asset name, whole or in parts.
func (s *Snapshot) Has(name string) bool {
	for _, a := range s.assets {
		if origin, isPart := pack.PartOf(a.GetName()); a.GetName() == name || isPart && origin == name {
			return a.GetState() == "uploaded"
		}
	}
	return false
}

// Download is Client.Download of one asset of this release, checked
// against the release's checksum files.
func (s *Snapshot) Download(ctx context.Context, name, dest string) (*Downloaded, error) {
	return s.c.download(ctx, s.rel, s.assets, name, dest, nil)
}
