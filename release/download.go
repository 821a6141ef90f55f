package release

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/google/go-github/v66/github"

	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/progress"
	"github.com/tagdb/tagdb-action/release/pack"
)

// Downloaded describes a file fetched by Download.
type Downloaded struct {
	Tag       string // the release's tag (resolved when "latest" was asked for)
	ReleaseID int64
	Asset     string
	Path      string
	Size      int64
	SHA256    string
	// Verified is true when the release's SHA256SUMS listed the asset and
	// the checksum matched. A mismatch is an error, never Verified=false.
	Verified bool
	Parts    []string // part assets joined, when the asset was published split
}

// Download saves one asset of the release with this tag ("latest": the
// latest published release) to dest, and checks it against the release's
// SHA256SUMS asset when there is one. An asset published in parts
// (name.part001, ...) is joined. dest appears only when complete and
// verified.
func (c *Client) Download(ctx context.Context, tag, assetName, dest string) (*Downloaded, error) {
	s, err := c.Lookup(ctx, tag)
	if err != nil {
		return nil, err
	}
	return s.Download(ctx, assetName, dest)
}

// download is Download once the release and its assets are known. Bytes
// received are drawn on report when it is not nil.
func (c *Client) download(ctx context.Context, rel *github.RepositoryRelease, assets []*github.ReleaseAsset, assetName, dest string, report *progress.Reporter) (*Downloaded, error) {
	where := fmt.Sprintf("asset %s of release %s", assetName, rel.GetTagName())
	var pieces, sums []*github.ReleaseAsset
	for _, a := range assets {
		if a.GetState() != "uploaded" {
			continue
		}
		switch origin, isPart := pack.PartOf(a.GetName()); {
		case a.GetName() == assetName:
			pieces = []*github.ReleaseAsset{a}
		case isPart && origin == assetName && (len(pieces) == 0 || pieces[0].GetName() != assetName):
			pieces = append(pieces, a)
		case strings.HasSuffix(a.GetName(), pack.SumsName):
			// SHA256SUMS, or one per edition sharing the release
			// (tagdb-cc0.SHA256SUMS).
			sums = append(sums, a)
		}
	}
	if len(pieces) == 0 {
		var names []string
		for _, a := range assets {
			names = append(names, a.GetName())
		}
		return nil, fmt.Errorf("%s: not found (the release has: %s)", where, strings.Join(names, ", "))
	}
	// Part names have equal-width numbers, so name order is join order.
	slices.SortFunc(pieces, func(a, b *github.ReleaseAsset) int { return strings.Compare(a.GetName(), b.GetName()) })

	out := &Downloaded{Tag: rel.GetTagName(), ReleaseID: rel.GetID(), Asset: assetName, Path: dest}
	if len(pieces) > 1 || pieces[0].GetName() != assetName {
		for _, p := range pieces {
			out.Parts = append(out.Parts, p.GetName())
		}
	}
	tmp, err := files.Create(dest, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	defer tmp.Abort() // a no-op once committed
	var total int64
	for _, p := range pieces {
		total += int64(p.GetSize())
	}
	task := report.StartBytes("download "+assetName, total)
	for _, p := range pieces {
		if err := c.fetchInto(ctx, rel, p, tmp.File(), task); err != nil {
			task.Done("failed")
			return nil, err
		}
	}
	task.Done("")
	// Hashing the finished file once is simpler than keeping a running hash
	// consistent across retried pieces, and costs a local read.
	if _, err := tmp.File().Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	sum := sha256.New()
	if out.Size, err = io.Copy(sum, tmp.File()); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	out.SHA256 = hex.EncodeToString(sum.Sum(nil))

	if err := c.verifyDownload(ctx, rel, sums, out); err != nil {
		return nil, err
	}
	if err := tmp.Commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return out, nil
}

// verifyDownload checks out against the release's checksum files. The one
// named after the asset's edition (tagdb-cc0.sqlite.zst → tagdb-cc0.SHA256SUMS)
// is read first, then plain SHA256SUMS, then any other; the first that lists
// the asset decides. When none lists it the download stays unverified, with
// a warning; a mismatch is an error naming the asset and the checksum file.
func (c *Client) verifyDownload(ctx context.Context, rel *github.RepositoryRelease, sums []*github.ReleaseAsset, out *Downloaded) error {
	edition, _, _ := strings.Cut(out.Asset, ".")
	rank := func(a *github.ReleaseAsset) int {
		switch a.GetName() {
		case edition + "." + pack.SumsName:
			return 0
		case pack.SumsName:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(sums, func(a, b *github.ReleaseAsset) int { return rank(a) - rank(b) })
	where := fmt.Sprintf("asset %s of release %s", out.Asset, rel.GetTagName())
	for _, s := range sums {
		listed, err := c.readSums(ctx, rel, s)
		if err != nil {
			return err
		}
		want, ok := listed[out.Asset]
		if !ok {
			continue
		}
		if want != out.SHA256 {
			return fmt.Errorf("%s: sha256 %s does not match %s (%s); the download was discarded", where, out.SHA256, s.GetName(), want)
		}
		out.Verified = true
		return nil
	}
	c.log.Warn("no checksum file of the release lists the asset; it is not verified", "asset", out.Asset, "release", rel.GetTagName())
	return nil
}

// readSums downloads and parses one checksum file of the release: asset
// name → sha256.
func (c *Client) readSums(ctx context.Context, rel *github.RepositoryRelease, s *github.ReleaseAsset) (map[string]string, error) {
	var buf bytes.Buffer
	err := c.call(ctx, fmt.Sprintf("download %s of release %s", s.GetName(), rel.GetTagName()), func() (*github.Response, error) {
		buf.Reset()
		_, err := c.downloadAsset(ctx, s.GetID(), &limitedBuffer{buf: &buf, max: maxManifestBytes})
		return nil, err
	})
	if err != nil {
		return nil, err
	}
	return pack.ParseSums(&buf, fmt.Sprintf("%s of release %s", s.GetName(), rel.GetTagName()))
}

// fetchInto appends one asset to f, retrying the whole asset: a failed
// attempt's bytes are cut off before the next one starts, and taken back
// from task.
func (c *Client) fetchInto(ctx context.Context, rel *github.RepositoryRelease, a *github.ReleaseAsset, f *os.File, task *progress.Task) error {
	start, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	return c.call(ctx, fmt.Sprintf("download asset %s of release %s", a.GetName(), rel.GetTagName()), func() (*github.Response, error) {
		if err := f.Truncate(start); err != nil {
			return nil, permanent(err)
		}
		if _, err := f.Seek(start, io.SeekStart); err != nil {
			return nil, permanent(err)
		}
		counted := &taskWriter{w: f, task: task}
		n, err := c.downloadAsset(ctx, a.GetID(), counted)
		if err == nil && a.Size != nil && n != int64(a.GetSize()) {
			err = &retriableError{fmt.Errorf("got %d bytes, the asset has %d", n, a.GetSize())}
		}
		if err != nil {
			task.Add(-counted.n)
		}
		return nil, err
	})
}

// taskWriter counts the bytes written through it on a progress task.
type taskWriter struct {
	w    io.Writer
	task *progress.Task
	n    int64
}

func (t *taskWriter) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	t.n += int64(n)
	t.task.Add(int64(n))
	return n, err
}

// ErrNoRelease is the error of a lookup that found no such release (as
// opposed to one that could not ask): a caller may then start from scratch.
var ErrNoRelease = errors.New("not found")

// resolve finds the release for a tag, or the latest published release.
func (c *Client) resolve(ctx context.Context, tag string) (*github.RepositoryRelease, error) {
	if tag != "latest" {
		rel, err := c.FindRelease(ctx, tag)
		if err != nil {
			return nil, err
		}
		if rel == nil {
			return nil, fmt.Errorf("release %s %w in %s", tag, ErrNoRelease, c.Repo())
		}
		return rel, nil
	}
	var rel *github.RepositoryRelease
	err := c.call(ctx, "get the latest release", func() (*github.Response, error) {
		r, resp, err := c.gh.Repositories.GetLatestRelease(ctx, c.owner, c.repo)
		if isStatus(err, http.StatusNotFound) {
			return resp, nil
		}
		rel = r
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	if rel == nil {
		return nil, fmt.Errorf("%s has no published release yet: %w", c.Repo(), ErrNoRelease)
	}
	return rel, nil
}
