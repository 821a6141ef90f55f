package release

import (
	"context"
	"slices"
	"strings"

	"github.com/google/go-github/v66/github"

	"github.com/tagdb/tagdb-action/release/pack"
)

// alreadyThere says whether a shared asset (PublishOptions.Shared: one file
// that several publishers of the release upload, such as the editions' id
// map) is on the release with exactly our content: same size, and a
// checksum file of the release lists it with our sha256. Then it is not
// uploaded again, so parallel publishers do not delete each other's copy
// of the same bytes. A differing or unconfirmed copy is replaced.
// Our own checksum files (in plan) do not count: this run uploaded them
// just before.
func (c *Client) alreadyThere(ctx context.Context, rel *github.RepositoryRelease, existing []*github.ReleaseAsset, plan []planned, p planned) (bool, error) {
	var have *github.ReleaseAsset
	var sums []*github.ReleaseAsset
	for _, a := range existing {
		switch {
		case a.GetState() != "uploaded":
		case sameAsset(a, p.name):
			have = a
		case strings.HasSuffix(a.GetName(), pack.SumsName) && !slices.ContainsFunc(plan, func(q planned) bool { return sameAsset(a, q.name) }):
			sums = append(sums, a)
		}
	}
	if have == nil || int64(have.GetSize()) != p.size {
		return false, nil
	}
	ours, err := pack.HashFile(ctx, p.Path)
	if err != nil {
		return false, err
	}
	for _, s := range sums {
		listed, err := c.readSums(ctx, rel, s)
		if err != nil {
			return false, err
		}
		if listed[p.name] == ours.SHA256 {
			return true, nil
		}
	}
	return false, nil
}

// isShared says whether the planned asset (or the asset it is a part of) is
// one of the shared names.
func isShared(o PublishOptions, p planned) bool {
	return slices.Contains(o.Shared, p.name) || p.origin != "" && slices.Contains(o.Shared, p.origin)
}
