package release

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/google/go-github/v66/github"

	"github.com/tagdb/tagdb-action/release/pack"
)

// Asset is one local file to publish.
type Asset struct {
	Path        string // the file on disk
	Name        string // the asset name; default: the file's base name
	Label       string // optional text GitHub shows instead of the name
	ContentType string // default: chosen from the name's extension
}

// AssetsOf turns packed files (pack.Bundle.Files) into assets, in order.
func AssetsOf(files []pack.File) []Asset {
	out := make([]Asset, 0, len(files))
	for _, f := range files {
		out = append(out, Asset{Path: f.Path, Name: f.Name})
	}
	return out
}

func (a Asset) name() string {
	if a.Name != "" {
		return a.Name
	}
	return path.Base(strings.ReplaceAll(a.Path, `\`, "/"))
}

// retriableError marks a failure that a fresh attempt may fix although it is
// not a transport error (GitHub stored fewer bytes than were sent).
type retriableError struct{ err error }

func (r *retriableError) Error() string { return r.err.Error() }
func (r *retriableError) Unwrap() error { return r.err }

// listAssets returns every asset of the release, following pagination. It is
// not retried by itself: it runs inside attempts that are.
func (c *Client) listAssets(ctx context.Context, id int64) ([]*github.ReleaseAsset, error) {
	var all []*github.ReleaseAsset
	opts := &github.ListOptions{PerPage: perPage}
	for {
		page, resp, err := c.gh.Repositories.ListReleaseAssets(ctx, c.owner, c.repo, id, opts)
		if err != nil {
			return nil, fmt.Errorf("list assets of release %d: %w", id, err)
		}
		all = append(all, page...)
		if resp.NextPage == 0 {
			return all, nil
		}
		opts.Page = resp.NextPage
	}
}

// listAssetsRetried is listAssets under the retry policy.
func (c *Client) listAssetsRetried(ctx context.Context, rel *github.RepositoryRelease) ([]*github.ReleaseAsset, error) {
	var assets []*github.ReleaseAsset
	err := c.retry.do(ctx, c.log, fmt.Sprintf("list assets of release %s", rel.GetTagName()), func(int) error {
		var err error
		assets, err = c.listAssets(ctx, rel.GetID())
		return err
	})
	return assets, err
}

// sameAsset says whether an existing asset stands for the name we upload.
// GitHub rewrites some characters in asset names (a space becomes a dot), and
// the label keeps what was asked for, so all three are compared.
func sameAsset(a *github.ReleaseAsset, name string) bool {
	return a.GetName() == name || a.GetName() == githubAssetName(name) || (a.GetLabel() != "" && a.GetLabel() == name)
}

// githubAssetName approximates GitHub's renaming of uploaded files: anything
// but letters, digits and ._-+@ becomes a dot.
func githubAssetName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._-+@", r):
			return r
		}
		return '.'
	}, name)
}

// clearName deletes every asset standing for name. Half-finished uploads
// (state "starter") are always removed; a complete one only with overwrite.
func (c *Client) clearName(ctx context.Context, relID int64, name string, overwrite bool) error {
	assets, err := c.listAssets(ctx, relID)
	if err != nil {
		return err
	}
	for _, a := range assets {
		if !sameAsset(a, name) {
			continue
		}
		if !overwrite && a.GetState() != "starter" {
			return permanent(fmt.Errorf("asset %q already exists (id %d) and overwriting assets is off", a.GetName(), a.GetID()))
		}
		if _, err := c.gh.Repositories.DeleteReleaseAsset(ctx, c.owner, c.repo, a.GetID()); err != nil && !isStatus(err, http.StatusNotFound) {
			return fmt.Errorf("delete old asset %q (id %d): %w", a.GetName(), a.GetID(), err)
		}
		c.log.Info("deleted old asset", "name", a.GetName(), "id", a.GetID())
	}
	return nil
}

// uploadAsset replaces one asset. Listing, deleting and uploading form one
// attempt, and a 422 already_exists (a concurrent upload, or an earlier
// attempt that reached GitHub although the connection broke) is cleared and
// re-uploaded inside the same attempt. So an attempt never ends between a
// delete and its upload unless the upload itself failed, and the next
// attempt (if any is left) starts again from the listing.
func (c *Client) uploadAsset(ctx context.Context, rel *github.RepositoryRelease, a Asset, size int64, overwrite bool) error {
	name := a.name()
	what := fmt.Sprintf("upload %s to release %s", name, rel.GetTagName())
	return c.retry.do(ctx, c.log, what, func(attempt int) error {
		if err := c.clearName(ctx, rel.GetID(), name, overwrite); err != nil {
			return err
		}
		asset, err := c.postAsset(ctx, rel, a, name, size)
		if isAlreadyExists(err, "") {
			c.log.Warn("asset name taken during upload; clearing it and uploading again", "name", name)
			if err := c.clearName(ctx, rel.GetID(), name, overwrite); err != nil {
				return err
			}
			asset, err = c.postAsset(ctx, rel, a, name, size)
		}
		if err != nil {
			return err
		}
		if int64(asset.GetSize()) != size {
			return &retriableError{fmt.Errorf("GitHub stored %d bytes of %s, the file has %d", asset.GetSize(), name, size)}
		}
		if s := asset.GetState(); s != "" && s != "uploaded" {
			return &retriableError{fmt.Errorf("asset %s is in state %q after upload", name, s)}
		}
		return nil
	})
}

// postAsset sends the file to the release's own upload_url. The body is the
// file itself (streamed, never loaded); GetBody reopens it so that the HTTP/2
// transport can replay a refused stream (go-github#2113), and each attempt
// opens it afresh because an earlier attempt consumed the offset.
func (c *Client) postAsset(ctx context.Context, rel *github.RepositoryRelease, a Asset, name string, size int64) (*github.ReleaseAsset, error) {
	target, err := uploadTarget(rel.GetUploadURL(), name, a.Label)
	if err != nil {
		return nil, permanent(fmt.Errorf("release %s: %w", rel.GetTagName(), err))
	}
	f, err := os.Open(a.Path)
	if err != nil {
		return nil, permanent(err)
	}
	defer f.Close() // also when go-github returns before sending
	st, err := f.Stat()
	if err != nil {
		return nil, permanent(err)
	}
	if st.Size() != size {
		return nil, permanent(fmt.Errorf("%s changed size during the release (%d bytes, was %d)", a.Path, st.Size(), size))
	}
	ct := a.ContentType
	if ct == "" {
		ct = contentType(name)
	}
	req, err := c.gh.NewUploadRequest(target, f, size, ct)
	if err != nil {
		return nil, permanent(err)
	}
	p := a.Path
	req.GetBody = func() (io.ReadCloser, error) { return os.Open(p) }
	var asset github.ReleaseAsset
	if _, err := c.gh.Do(ctx, req, &asset); err != nil {
		return nil, err
	}
	return &asset, nil
}

// uploadTarget turns an upload_url template
// (https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}) into
// the URL for one file.
func uploadTarget(tmpl, name, label string) (string, error) {
	base, _, _ := strings.Cut(tmpl, "{")
	u, err := url.Parse(base)
	if err != nil || !u.IsAbs() {
		return "", fmt.Errorf("bad upload_url %q", tmpl)
	}
	q := u.Query()
	q.Set("name", name)
	if label != "" {
		q.Set("label", label)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// contentType is chosen from a fixed table rather than the OS's mime
// database, so that every runner sends the same type.
func contentType(name string) string {
	if name == "SHA256SUMS" {
		return "text/plain; charset=utf-8"
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".zst":
		return "application/zstd"
	case ".gz":
		return "application/gzip"
	case ".sqlite", ".db", ".sqlite3":
		return "application/vnd.sqlite3"
	case ".json":
		return "application/json"
	case ".md":
		return "text/markdown; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".parquet":
		return "application/vnd.apache.parquet"
	}
	return "application/octet-stream"
}

// downloadAsset streams one asset's content into w. Real GitHub answers with
// a redirect to a storage host; c.raw follows it without the token.
func (c *Client) downloadAsset(ctx context.Context, id int64, w io.Writer) (int64, error) {
	rc, _, err := c.gh.Repositories.DownloadReleaseAsset(ctx, c.owner, c.repo, id, c.raw)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	n, err := io.Copy(w, rc)
	if err != nil {
		return n, fmt.Errorf("read asset %d: %w", id, err)
	}
	return n, nil
}
