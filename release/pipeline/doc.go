// Package pipeline publishes a built database as a GitHub release in small
// named steps: validate (the full check), pack (compress, checksum), publish
// (upload, split when asked) and verify (every file is on the release). Both
// `tagdb release` and the action's release mode run this one pipeline, so a
// database that fails the full validation is refused whichever way it is
// published.
//
// A Step has a name and a Run method; Run executes steps in order, logs each
// step's name and duration, and stops at the first error, which names the
// step. Steps share their inputs and outputs through a Publication, so a new
// step (release notes, an id map) is one more value in Publication.Steps.
package pipeline
