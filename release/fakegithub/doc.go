// Package fakegithub is an in-memory fake of the parts of the GitHub REST API
// that tagdb uses — releases, release assets, issue comments — that behaves
// like the real one where the real one is surprising:
//
//   - drafts are invisible to GET /releases/tags/{tag}, to anonymous and
//     read-only listings, and several drafts may share a tag;
//   - lists are paginated with per_page (default 30, max 100) and a Link
//     header with absolute next/last/first/prev URLs;
//   - a second published release for a tag, or a second asset with a name,
//     is refused with 422 {"code":"already_exists"};
//   - upload_url is a {?name,label} template pointing at the fake's own
//     /api/uploads/ path, the layout of GitHub Enterprise Server;
//   - GET on an asset with Accept: application/octet-stream redirects to a
//     signed storage URL that needs no token (JSON metadata otherwise);
//   - writes need the token (401 anonymous, 403 read-only: a fork's token).
//
// Requests are served both at the root and under /api/v3, so a client built
// with go-github's WithEnterpriseURLs and one given the bare URL both work.
//
// Faults are injected per route: N answers with a status (500, 502, 429 with
// Retry-After, 403 rate limits), a connection reset half-way through an
// upload (optionally leaving a half-finished "starter" asset, as GitHub
// does), a dropped response after the work was done, a concurrent duplicate
// upload, a slow answer, a hook that lets a test send other requests first
// (another client's write landing between a read and a write). Everything
// is recorded: releases, assets with their content and sha256, comments,
// upload counts and a request log.
//
// A Fake is an http.Handler for httptest; Serve runs it as a process on
// 127.0.0.1 (see cmd/fakegithub) with its state at GET /_fake/state and
// fault injection at POST /_fake/faults, for end-to-end runs of the action.
package fakegithub
