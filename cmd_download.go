package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tagdb/tagdb-action/internal/progress"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/edition"
	"github.com/tagdb/tagdb-action/release/pack"
)

const downloadAbout = `
Fetch one edition of the tag database from a GitHub release, for programs
that use it: the asset (tagdb-EDITION.sqlite.zst, .gz or uncompressed, whole
or in .partNNN pieces) is joined, checked against the release's SHA256SUMS,
decompressed and opened with PRAGMA quick_check before it is moved to --out.
Anything that fails leaves --out as it was.

--tag latest is the latest published release. --repo defaults to
GITHUB_REPOSITORY, --api-url to GITHUB_API_URL (https://HOST/api/v3 on GitHub
Enterprise). GITHUB_TOKEN is used when set (private repositories, higher rate
limits); public releases need none.

Prints key=value lines (tag, edition, asset, parts, sha256, size, db-sha256,
db-size, path, verified), or one JSON object with --json. Progress goes to
stderr.`

// downloadResult is what `tagdb download` reports: the asset as published and
// the database as written.
type downloadResult struct {
	Tag      string   `json:"tag"`
	Edition  string   `json:"edition"`
	Asset    string   `json:"asset"`
	Parts    []string `json:"parts,omitempty"`
	SHA256   string   `json:"sha256"` // of the asset as published (compressed)
	Size     int64    `json:"size"`
	DBSHA256 string   `json:"db_sha256"`
	DBSize   int64    `json:"db_size"`
	Path     string   `json:"path"`
	Verified bool     `json:"verified"`
}

func cmdDownload(e *env, args []string) error {
	fs := newFlags(e, "download", "--repo OWNER/NAME [--tag latest] [--edition cc4] [--out PATH] [flags]", downloadAbout)
	repo := fs.String("repo", "", "repository owner/name (default: $GITHUB_REPOSITORY)")
	tag := fs.String("tag", "latest", "release tag, or latest")
	ed := fs.String("edition", "cc4", "licence edition: cc0, mit or cc4")
	out := fs.String("out", "", "where to write the database (default: tagdb-EDITION.sqlite)")
	apiURL := fs.String("api-url", "", "GitHub REST API root (default: $GITHUB_API_URL or "+release.DefaultAPIURL+")")
	allowUnverified := fs.Bool("allow-unverified", false, "accept a database no checksum file of the release lists")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if *tag == "" {
		return usagef("--tag must not be empty (use latest for the latest release)")
	}
	if *out == "" {
		*out = edition.Edition(*ed).Database(pack.None)
	}
	client, err := githubClient(e, *repo, *apiURL)
	if err != nil {
		return err
	}
	mode := progress.Detect(e.stderr, e.getenv)
	if *quiet {
		mode = progress.Off
	}
	got, err := client.DownloadEdition(e.ctx, *tag, *ed, *out, release.EditionOptions{
		Progress:        progress.New(e.stderr, mode),
		AllowUnverified: *allowUnverified,
	})
	if errors.Is(err, release.ErrUnverified) {
		return fmt.Errorf("%w (--allow-unverified accepts it)", err)
	}
	if err != nil {
		return err
	}
	return printDownload(e, downloadResult{
		Tag: got.Tag, Edition: got.Edition, Asset: got.Asset, Parts: got.Parts,
		SHA256: got.SHA256, Size: got.Size, DBSHA256: got.DBSHA256, DBSize: got.DBSize,
		Path: got.Path, Verified: got.Verified,
	}, *asJSON)
}

func printDownload(e *env, r downloadResult, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	fmt.Fprintf(e.stdout, "tag=%s\nedition=%s\nasset=%s\n", r.Tag, r.Edition, r.Asset)
	if len(r.Parts) > 0 {
		fmt.Fprintf(e.stdout, "parts=%d\n", len(r.Parts))
	}
	fmt.Fprintf(e.stdout, "sha256=%s\nsize=%d\ndb-sha256=%s\ndb-size=%d\npath=%s\nverified=%t\n",
		r.SHA256, r.Size, r.DBSHA256, r.DBSize, r.Path, r.Verified)
	return nil
}
