package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/google/go-github/v66/github"

	"github.com/tagdb/tagdb-action/release/pack"
)

const (
	// AssetSizeLimit is GitHub's per-asset limit. The API documents "less
	// than or equal to 2147483648", but an upload of exactly 2 GiB fails
	// (community discussion 61733), so an asset must be smaller than this.
	AssetSizeLimit int64 = 2 << 30
	// DefaultPartSize leaves a margin under the limit when splitting.
	DefaultPartSize int64 = AssetSizeLimit - 64<<20
	// MaxAssets is GitHub's documented limit of assets per release.
	MaxAssets = 1000
)

// PublishOptions describe one release of one set of files.
type PublishOptions struct {
	ReleaseSpec // tag, name, body, target commitish, prerelease
	// Draft leaves the release a draft after uploading. A release that is
	// already published stays published (a re-run replaces its assets).
	Draft bool
	// BodyOnCreate writes Body only into a release this run creates, never
	// over an existing body: publishers that share a release keep their own
	// parts of it up to date with release/notes.UpdateSection, and a later
	// publisher's Body must not wipe them.
	BodyOnCreate bool
	// MakeLatest is "true", "false", "legacy" or "" (GitHub's default). A
	// prerelease is never made latest.
	MakeLatest string
	// Overwrite replaces assets of the same name. Without it, an existing
	// asset fails the run before anything is uploaded.
	Overwrite bool
	// Fingerprint identifies the build. When the release already carries a
	// ManifestName asset with the same fingerprint and every asset named
	// here, nothing is uploaded. Empty: always upload.
	Fingerprint string
	// ManifestName overrides the name of the fingerprint asset (default
	// build_manifest.json). It is uploaded last: its presence marks a
	// complete upload.
	ManifestName string
	Assets       []Asset
	// Shared names assets that other publishers of the same release upload
	// with the same content (the editions' id map): one already there with
	// our bytes, as a checksum file of the release confirms, is kept rather
	// than replaced, so parallel publishers never delete each other's copy.
	Shared []string
	// Split cuts assets too large for GitHub into PartSize parts written to
	// SplitDir (default: next to the file) instead of refusing them. Rebuild
	// with pack.JoinCommand.
	Split    bool
	SplitDir string
	PartSize int64 // default DefaultPartSize
	// MaxAssetSize overrides AssetSizeLimit (for tests, or a GitHub
	// Enterprise with another limit).
	MaxAssetSize int64
}

// PublishedAsset is one asset of the release after Publish.
type PublishedAsset struct {
	Name     string `json:"name"`
	ID       int64  `json:"id"`
	Size     int64  `json:"size"`
	URL      string `json:"url"`      // browser_download_url
	Uploaded bool   `json:"uploaded"` // by this run (false: already there and unchanged)
}

// Result says what Publish did. On error it still describes how far it got
// (it is nil only when nothing was looked up).
type Result struct {
	Tag        string `json:"tag"`
	ReleaseID  int64  `json:"release_id"`
	ReleaseURL string `json:"release_url"` // html_url
	Created    bool   `json:"created"`     // this run created the release
	Changed    bool   `json:"changed"`     // assets were uploaded
	Draft      bool   `json:"draft"`       // the release is a draft at the end
	// Reason says why nothing was uploaded when Changed is false.
	Reason string           `json:"reason,omitempty"`
	Assets []PublishedAsset `json:"assets"` // in upload order
	// Parts maps an asset that was split to its part names; rebuild it with
	// pack.JoinCommand(name).
	Parts   map[string][]string `json:"parts,omitempty"`
	Skipped []string            `json:"skipped,omitempty"` // empty files, not uploaded: GitHub fails on empty uploads
}

// Asset returns the published asset with this name, or nil.
func (r *Result) Asset(name string) *PublishedAsset {
	for i := range r.Assets {
		if r.Assets[i].Name == name {
			return &r.Assets[i]
		}
	}
	return nil
}

// planned is an asset after the size checks: its final name and size.
type planned struct {
	Asset
	name string
	size int64
	// origin is the name of the asset it is a part of ("" when whole).
	origin string
}

// Publish uploads the assets to the release for o.Tag and publishes it; see
// the package documentation for the order of steps. On failure the release
// this run created stays a draft, and the error says what to do.
func (c *Client) Publish(ctx context.Context, o PublishOptions) (*Result, error) {
	switch o.MakeLatest {
	case "", "true", "false", "legacy":
	default:
		return nil, fmt.Errorf("make-latest %q: want true, false or legacy", o.MakeLatest)
	}
	plan, skipped, parts, err := c.planAssets(ctx, o)
	if err != nil {
		return nil, err
	}
	manifest := o.ManifestName
	if manifest == "" {
		manifest = ManifestName
	}
	// The manifest goes last: a release whose upload broke off half-way
	// has no (new) manifest, so the next run does not mistake it for done.
	// Shared assets go just before it, after the checksum files that list
	// them: another publisher that finds one then finds its checksum too,
	// and keeps it (alreadyThere) instead of replacing it.
	rank := func(p planned) int { return 2*boolInt(p.name == manifest) + boolInt(isShared(o, p)) }
	slices.SortStableFunc(plan, func(a, b planned) int { return rank(a) - rank(b) })

	res := &Result{Tag: o.Tag, Parts: parts, Skipped: skipped}
	rel, err := c.FindRelease(ctx, o.Tag)
	if err != nil {
		return nil, err
	}

	if rel != nil {
		res.fill(rel)
		existing, err := c.listAssetsRetried(ctx, rel)
		if err != nil {
			return res, err
		}
		if o.Fingerprint != "" {
			same, why := c.unchanged(ctx, rel, existing, plan, manifest, o.Fingerprint)
			if same {
				res.Reason = why
				res.Assets = publishedFrom(existing, plan, false)
				rel, err = c.finalize(ctx, rel, o)
				res.fill(rel)
				return res, err
			}
			c.log.Info("publishing", "tag", o.Tag, "because", why)
		}
		if !o.Overwrite {
			for _, p := range plan {
				if isShared(o, p) {
					continue // kept when it is ours; refused by the upload when not
				}
				for _, a := range existing {
					if sameAsset(a, p.name) && a.GetState() == "uploaded" {
						return res, fmt.Errorf("release %s already has an asset %q and overwriting assets is off; nothing was uploaded", o.Tag, a.GetName())
					}
				}
			}
		}
	} else {
		rel, res.Created, err = c.ensureRelease(ctx, o.ReleaseSpec)
		if err != nil {
			return nil, err
		}
		res.fill(rel)
	}

	for _, p := range plan {
		if isShared(o, p) && p.origin == "" {
			existing, err := c.listAssetsRetried(ctx, rel)
			if err != nil {
				return res, c.unfinished(rel, err)
			}
			there, err := c.alreadyThere(ctx, rel, existing, plan, p)
			if err != nil {
				return res, c.unfinished(rel, err)
			}
			if there {
				c.log.Info("shared asset already on the release with the same content; kept", "name", p.name)
				continue
			}
		}
		if err := c.uploadAsset(ctx, rel, p.Asset, p.size, o.Overwrite); err != nil {
			return res, c.unfinished(rel, err)
		}
		res.Changed = true
	}
	if err := c.removeStaleParts(ctx, rel, plan, o.Overwrite); err != nil {
		return res, c.unfinished(rel, err)
	}
	final, err := c.verify(ctx, rel, plan)
	if err != nil {
		return res, c.unfinished(rel, err)
	}
	res.Assets = publishedFrom(final, plan, true)

	rel, err = c.finalize(ctx, rel, o)
	res.fill(rel)
	if err != nil {
		return res, c.unfinished(rel, err)
	}
	return res, nil
}

// planAssets checks every file before any request: it exists, is not empty,
// is under the size limit (or is split), and no two share a name.
func (c *Client) planAssets(ctx context.Context, o PublishOptions) (plan []planned, skipped []string, parts map[string][]string, err error) {
	if o.Tag == "" {
		return nil, nil, nil, errors.New("publish: no tag given")
	}
	if len(o.Assets) == 0 {
		return nil, nil, nil, errors.New("publish: no assets given")
	}
	limit := o.MaxAssetSize
	if limit <= 0 {
		limit = AssetSizeLimit
	}
	partSize := o.PartSize
	if partSize <= 0 {
		partSize = DefaultPartSize
	}
	if partSize >= limit {
		return nil, nil, nil, fmt.Errorf("publish: part size %d must be below the asset size limit %d", partSize, limit)
	}
	var tooBig []string
	for _, a := range o.Assets {
		st, err := os.Stat(a.Path)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("publish: asset %s: %w", a.name(), err)
		}
		if !st.Mode().IsRegular() {
			return nil, nil, nil, fmt.Errorf("publish: asset %s: %s is not a regular file", a.name(), a.Path)
		}
		switch {
		case st.Size() == 0:
			c.log.Warn("skipping empty file: GitHub fails on empty uploads", "name", a.name(), "path", a.Path)
			skipped = append(skipped, a.name())
		case st.Size() < limit:
			plan = append(plan, planned{Asset: a, name: a.name(), size: st.Size()})
		case !o.Split:
			tooBig = append(tooBig, fmt.Sprintf("%s is %d bytes", a.name(), st.Size()))
		default:
			dir := o.SplitDir
			if dir == "" {
				dir = filepath.Dir(a.Path)
			}
			files, err := splitAs(ctx, a, dir, partSize)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("publish: %w", err)
			}
			if parts == nil {
				parts = map[string][]string{}
			}
			for _, f := range files {
				plan = append(plan, planned{Asset: Asset{Path: f.Path, Name: f.Name, ContentType: "application/octet-stream"}, name: f.Name, size: f.Size, origin: a.name()})
				parts[a.name()] = append(parts[a.name()], f.Name)
			}
			c.log.Info("split a large asset", "name", a.name(), "parts", len(files), "join", pack.JoinCommand(a.name()))
		}
	}
	if len(tooBig) > 0 {
		return nil, nil, nil, fmt.Errorf("publish: %v over GitHub's per-asset limit of %d bytes; nothing was uploaded (publish it as numbered parts with tagdb release --split, or the action's split input)", tooBig, limit-1)
	}
	if len(plan) > MaxAssets {
		return nil, nil, nil, fmt.Errorf("publish: %d assets, GitHub allows %d per release", len(plan), MaxAssets)
	}
	seen := map[string]bool{}
	for _, p := range plan {
		if seen[p.name] {
			return nil, nil, nil, fmt.Errorf("publish: two assets are named %q", p.name)
		}
		seen[p.name] = true
	}
	return plan, skipped, parts, nil
}

// splitAs splits a under its asset name (which may differ from the file's).
func splitAs(ctx context.Context, a Asset, dir string, partSize int64) ([]pack.File, error) {
	src := a.Path
	if filepath.Base(src) != a.name() {
		// Parts are named after the source file; link it under the asset
		// name so the parts carry that name instead.
		alias := filepath.Join(dir, a.name())
		os.Remove(alias)
		if err := os.Link(src, alias); err != nil {
			return nil, fmt.Errorf("split %s: %w", a.name(), err)
		}
		defer os.Remove(alias)
		src = alias
	}
	return pack.Split(ctx, src, dir, partSize)
}

// unchanged decides skip-if-unchanged: the release's manifest has our
// fingerprint and every asset we would upload is present and complete. The
// second half guards against a run that died after uploading an old-style
// manifest. why explains the decision for the log and the Result.
func (c *Client) unchanged(ctx context.Context, rel *github.RepositoryRelease, existing []*github.ReleaseAsset, plan []planned, manifest, fingerprint string) (same bool, why string) {
	var m *github.ReleaseAsset
	for _, a := range existing {
		if a.GetName() == manifest && a.GetState() == "uploaded" {
			m = a
		}
	}
	if m == nil {
		return false, fmt.Sprintf("release %s has no %s", rel.GetTagName(), manifest)
	}
	var buf bytes.Buffer
	err := c.call(ctx, fmt.Sprintf("download %s of release %s", manifest, rel.GetTagName()), func() (*github.Response, error) {
		buf.Reset()
		_, err := c.downloadAsset(ctx, m.GetID(), &limitedBuffer{buf: &buf, max: maxManifestBytes})
		return nil, err
	})
	if err != nil {
		c.log.Warn("cannot read the published manifest; publishing anyway", "err", err.Error())
		return false, "the published manifest could not be read"
	}
	published, err := ManifestFingerprint(&buf)
	if err != nil {
		c.log.Warn("published manifest is not valid JSON; publishing anyway", "err", err.Error())
		return false, "the published manifest is not valid JSON"
	}
	if !SameFingerprint(published, fingerprint) {
		return false, fmt.Sprintf("fingerprint changed (published %q, this build %q)", published, fingerprint)
	}
	for _, p := range plan {
		found := false
		for _, a := range existing {
			if sameAsset(a, p.name) && a.GetState() == "uploaded" && int64(a.GetSize()) > 0 {
				found = true
			}
		}
		if !found {
			return false, fmt.Sprintf("same fingerprint, but asset %s is missing from the release", p.name)
		}
	}
	return true, fmt.Sprintf("release %s already has fingerprint %s", rel.GetTagName(), fingerprint)
}

// limitedBuffer refuses to grow past max, so a mislabelled huge asset fails
// instead of filling memory.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if l.buf.Len()+len(p) > l.max {
		return 0, permanent(fmt.Errorf("manifest larger than %d bytes", l.max))
	}
	return l.buf.Write(p)
}

// removeStaleParts deletes parts of our assets left by an earlier run that
// split differently (or split at all): a stale part003 would corrupt the
// joined file.
func (c *Client) removeStaleParts(ctx context.Context, rel *github.RepositoryRelease, plan []planned, overwrite bool) error {
	if !overwrite {
		return nil
	}
	ours := map[string]bool{}
	origins := map[string]bool{}
	for _, p := range plan {
		ours[p.name] = true
		origins[p.name] = true
		if p.origin != "" {
			origins[p.origin] = true
		}
	}
	return c.retry.do(ctx, c.log, "remove stale parts from release "+rel.GetTagName(), func(int) error {
		assets, err := c.listAssets(ctx, rel.GetID())
		if err != nil {
			return err
		}
		for _, a := range assets {
			origin, ok := pack.PartOf(a.GetName())
			if ours[a.GetName()] || !ok || !origins[origin] {
				continue
			}
			if _, err := c.gh.Repositories.DeleteReleaseAsset(ctx, c.owner, c.repo, a.GetID()); err != nil && !isStatus(err, 404) {
				return fmt.Errorf("delete stale part %s: %w", a.GetName(), err)
			}
			c.log.Info("deleted stale part", "name", a.GetName())
		}
		return nil
	})
}

// verify lists the release once more and checks each planned asset is there,
// complete and of the right size, before anything is published.
func (c *Client) verify(ctx context.Context, rel *github.RepositoryRelease, plan []planned) ([]*github.ReleaseAsset, error) {
	assets, err := c.listAssetsRetried(ctx, rel)
	if err != nil {
		return nil, err
	}
	for _, p := range plan {
		var found *github.ReleaseAsset
		for _, a := range assets {
			if sameAsset(a, p.name) {
				found = a
			}
		}
		switch {
		case found == nil:
			return nil, fmt.Errorf("verify release %s: asset %s is missing after upload", rel.GetTagName(), p.name)
		case found.GetState() != "uploaded":
			return nil, fmt.Errorf("verify release %s: asset %s is in state %q", rel.GetTagName(), p.name, found.GetState())
		case int64(found.GetSize()) != p.size:
			return nil, fmt.Errorf("verify release %s: asset %s has %d bytes, the file has %d", rel.GetTagName(), p.name, found.GetSize(), p.size)
		}
	}
	return assets, nil
}

// finalize publishes the release unless it should stay a draft, and brings
// name, body and prerelease in line with the options. A published release is
// never turned back into a draft.
func (c *Client) finalize(ctx context.Context, rel *github.RepositoryRelease, o PublishOptions) (*github.RepositoryRelease, error) {
	edit := &github.RepositoryRelease{}
	changed := false
	publishing := rel.GetDraft() && !o.Draft
	if publishing {
		edit.Draft = github.Bool(false)
		changed = true
	}
	if o.Name != "" && o.Name != rel.GetName() {
		edit.Name, changed = github.String(o.Name), true
	}
	if o.Body != "" && o.Body != rel.GetBody() && !o.BodyOnCreate {
		edit.Body, changed = github.String(o.Body), true
	}
	if o.Prerelease != rel.GetPrerelease() {
		edit.Prerelease, changed = github.Bool(o.Prerelease), true
	}
	if !rel.GetDraft() || publishing {
		switch {
		case o.Prerelease:
			// A prerelease as "latest" would point users at unfinished data.
			edit.MakeLatest = github.String("false")
		case o.MakeLatest != "":
			edit.MakeLatest, changed = github.String(o.MakeLatest), true
		}
	}
	if !changed {
		return rel, nil
	}
	var out *github.RepositoryRelease
	err := c.call(ctx, fmt.Sprintf("publish release %s", rel.GetTagName()), func() (*github.Response, error) {
		r, resp, err := c.gh.Repositories.EditRelease(ctx, c.owner, c.repo, rel.GetID(), edit)
		out = r
		return resp, err
	})
	if err != nil {
		return rel, err
	}
	return out, nil
}

// unfinished explains a failure after the release exists: what state it was
// left in and how to finish.
func (c *Client) unfinished(rel *github.RepositoryRelease, err error) error {
	if rel.GetDraft() {
		return fmt.Errorf("%w; release %s (id %d) was left as a draft and nothing was published: run the same command again to finish", err, rel.GetTagName(), rel.GetID())
	}
	return fmt.Errorf("%w; release %s (id %d) is published and may lack some assets: run the same command again to replace them", err, rel.GetTagName(), rel.GetID())
}

func (r *Result) fill(rel *github.RepositoryRelease) {
	if rel == nil {
		return
	}
	r.ReleaseID = rel.GetID()
	r.ReleaseURL = rel.GetHTMLURL()
	r.Draft = rel.GetDraft()
}

func publishedFrom(assets []*github.ReleaseAsset, plan []planned, uploaded bool) []PublishedAsset {
	var out []PublishedAsset
	for _, p := range plan {
		for _, a := range assets {
			if sameAsset(a, p.name) {
				out = append(out, PublishedAsset{Name: a.GetName(), ID: a.GetID(), Size: int64(a.GetSize()), URL: a.GetBrowserDownloadURL(), Uploaded: uploaded})
				break
			}
		}
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
