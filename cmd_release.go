package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/pack"
	"github.com/tagdb/tagdb-action/release/pipeline"
)

const releaseAbout = `
Validate a built database, compress it, write SHA256SUMS and publish it with
the manifest, dataset card and reports as assets of the GitHub release TAG
(created as a draft, published once every asset is uploaded and checked).
A database that fails validation is never uploaded. When the release already
carries a build_manifest.json with the same fingerprint as --manifest, nothing
is uploaded and changed=false is printed.

The token comes from GITHUB_TOKEN. --repo defaults to GITHUB_REPOSITORY,
--api-url to GITHUB_API_URL (https://HOST/api/v3 on GitHub Enterprise), --tag
to the pushed tag (GITHUB_REF_NAME when GITHUB_REF_TYPE=tag).

Assets over GitHub's 2 GiB limit are refused before anything is uploaded;
with --split they are published as NAME.part001, NAME.part002, ... and
rebuilt with: cat NAME.part* > NAME

Prints key=value lines (changed, release-id, release-url, asset, asset-url,
sha256), or one JSON object with --json.`

func cmdRelease(e *env, args []string) error {
	fs := newFlags(e, "release", "--db PATH --tag TAG --repo OWNER/NAME [flags]", releaseAbout)
	db := fs.String("db", "", "the built database to publish")
	tag := fs.String("tag", "", "release tag (default: the pushed tag)")
	repo := fs.String("repo", "", "repository owner/name (default: $GITHUB_REPOSITORY)")
	apiURL := fs.String("api-url", "", "GitHub REST API root (default: $GITHUB_API_URL or "+release.DefaultAPIURL+")")
	name := fs.String("name", "", "release title (default: the tag)")
	body := fs.String("body", "", "release notes")
	bodyFile := fs.String("body-file", "", "read the release notes from this file")
	draft := fs.Bool("draft", false, "leave the release a draft")
	prerelease := fs.Bool("prerelease", false, "mark the release as a prerelease (never made latest)")
	makeLatest := fs.String("make-latest", "true", "true, false or legacy")
	overwrite := fs.Bool("overwrite-assets", true, "replace assets of the same name")
	compress := fs.String("compress", "zstd", "zstd, zstd-fast, gzip or none")
	assetName := fs.String("asset", "", "asset name of the database (default: the file name plus .zst/.gz)")
	manifest := fs.String("manifest", "", "build_manifest.json to publish; its fingerprint enables skip-if-unchanged")
	var extras multiFlag
	fs.Var(&extras, "extra", "another file to publish: dataset card, report (repeatable)")
	split := fs.Bool("split", false, "publish assets over 2 GiB as numbered parts instead of refusing them")
	target := fs.String("target", "", "commit or branch for a new tag (default: the default branch)")
	outDir := fs.String("out-dir", "", "keep the compressed database and SHA256SUMS here (default: a temporary folder)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if *db == "" {
		return usagef("--db is required")
	}
	if *tag == "" {
		*tag = release.PushedTag(e.getenv)
	}
	if *tag == "" {
		return usagef("--tag is required (no tag was pushed)")
	}
	method, err := pack.ParseMethod(*compress)
	if err != nil {
		return usagef("--compress: %v", err)
	}
	if *body != "" && *bodyFile != "" {
		return usagef("--body and --body-file cannot be combined")
	}
	if *bodyFile != "" {
		b, err := os.ReadFile(*bodyFile)
		if err != nil {
			return fmt.Errorf("--body-file: %w", err)
		}
		*body = string(b)
	}
	if *name == "" {
		*name = *tag
	}
	client, err := githubClient(e, *repo, *apiURL)
	if err != nil {
		return err
	}
	if e.getenv("GITHUB_TOKEN") == "" {
		fmt.Fprintln(e.stderr, "tagdb release: warning: GITHUB_TOKEN is not set; the API will refuse to create releases")
	}

	dir := *outDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "tagdb-release-*"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out-dir: %w", err)
	}
	p := pipeline.New(pipeline.Options{
		DB: *db, Manifest: *manifest, Extras: extras, OutDir: dir, Method: method, AssetName: *assetName,
		SkipUnchanged: true,
		Release: release.PublishOptions{
			ReleaseSpec: release.ReleaseSpec{Tag: *tag, Name: *name, Body: *body, TargetCommitish: *target, Prerelease: *prerelease},
			Draft:       *draft,
			MakeLatest:  *makeLatest,
			Overwrite:   *overwrite,
			Split:       *split,
		},
	}, client)
	if err := p.Run(e.ctx, release.TextLogger(e.stderr)); err != nil {
		var invalid *pipeline.InvalidError
		if errors.As(err, &invalid) {
			fmt.Fprintf(e.stderr, "tagdb release: %s fails validation; nothing was uploaded:\n", invalid.DB)
			invalid.Report.WriteText(e.stderr)
			return &exitError{code: 1}
		}
		if p.Result != nil && p.Result.ReleaseURL != "" {
			fmt.Fprintf(e.stderr, "tagdb release: release page: %s\n", p.Result.ReleaseURL)
		}
		return err
	}
	return printRelease(e, p.Result, p.Bundle, *asJSON)
}

// githubClient is the client of the commands that talk to GitHub (release,
// download): --repo and --api-url fall back to GITHUB_REPOSITORY and
// GITHUB_API_URL, the token is GITHUB_TOKEN when set, and retries and
// warnings are logged to stderr. Bad settings are usage errors.
func githubClient(e *env, repo, apiURL string) (*release.Client, error) {
	if repo == "" {
		repo = e.getenv("GITHUB_REPOSITORY")
	}
	if repo == "" {
		return nil, usagef("--repo is required (GITHUB_REPOSITORY is not set)")
	}
	if apiURL == "" {
		apiURL = e.getenv("GITHUB_API_URL")
	}
	client, err := release.New(release.Options{
		APIURL: apiURL,
		Token:  e.getenv("GITHUB_TOKEN"),
		Repo:   repo,
		Logger: release.TextLogger(e.stderr),
	})
	if err != nil {
		return nil, usagef("%v", err)
	}
	return client, nil
}

func printRelease(e *env, res *release.Result, bundle *pack.Bundle, asJSON bool) error {
	assetURL := ""
	if a := res.Asset(bundle.DB.Name); a != nil {
		assetURL = a.URL
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			*release.Result
			AssetName string `json:"asset"`
			AssetURL  string `json:"asset_url"`
			SHA256    string `json:"sha256"`
		}{res, bundle.DB.Name, assetURL, bundle.DB.SHA256})
	}
	if res.Changed {
		fmt.Fprintf(e.stderr, "tagdb release: published %d assets to %s\n", len(res.Assets), res.Tag)
	} else {
		fmt.Fprintf(e.stderr, "tagdb release: nothing uploaded: %s\n", res.Reason)
	}
	for name, parts := range res.Parts {
		fmt.Fprintf(e.stderr, "tagdb release: %s was published in %d parts; rebuild it with: %s\n", name, len(parts), pack.JoinCommand(name))
	}
	fmt.Fprintf(e.stdout, "changed=%t\nrelease-id=%d\nrelease-url=%s\nasset=%s\nasset-url=%s\nsha256=%s\n",
		res.Changed, res.ReleaseID, res.ReleaseURL, bundle.DB.Name, assetURL, bundle.DB.SHA256)
	return nil
}
