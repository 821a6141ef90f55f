// Package release publishes a packaged tag database as a GitHub release and
// reads one back. It knows nothing about how the database was built: its
// inputs are local files, a tag, release settings and a build fingerprint.
//
// Publish follows the order that works on every GitHub, including
// repositories with immutable releases:
//
//  1. check every asset's size before touching the API (2 GiB per asset;
//     bigger files are refused, or split into numbered parts on request);
//  2. find the release by tag, drafts included (GET /releases/tags/{tag}
//     never returns drafts, so the paginated list is searched too);
//  3. if it carries a build_manifest.json with the same fingerprint, stop:
//     nothing is uploaded and Result.Changed is false;
//  4. create it as a draft when missing;
//  5. upload each asset: list → delete the same name → upload, all inside one
//     retried attempt, reopening the file every time; the manifest goes last
//     because its presence marks a complete upload;
//  6. check every asset is there with the right size, then publish
//     (undraft, make_latest) — never before.
//
// Every API call is retried on network errors, 5xx and 429 and on GitHub's
// primary and secondary rate limits, with capped exponential backoff that
// honours Retry-After and X-RateLimit-Reset (RetryPolicy). Uploads do not use
// go-github's UploadReleaseAsset, which cannot replay an *os.File body; they
// post to the release's own upload_url, which is also what makes GitHub
// Enterprise layouts work.
//
// Download fetches one asset of a release (or "latest") and verifies it
// against the release's SHA256SUMS; DownloadEdition does that for one
// edition's database and also decompresses it and checks that it opens, for
// programs that use the database. UpsertComment keeps one pull-request
// comment up to date, found again by a hidden marker. ReleaseBody and
// SetReleaseBody read and replace a release's body; release/notes builds the
// per-edition sections on them.
//
// The fake GitHub API the tests run against lives in release/fakegithub; the
// packaging (compression, SHA256SUMS, split) in release/pack; the names of an
// edition's assets in release/edition; and the steps from a built database
// to a verified release (full validation, pack, publish, verify), shared by
// `tagdb release` and the action, in release/pipeline.
package release
