// Package notes writes the release body: one section per edition (its totals
// per format, the data diff against the base release, its sources and
// licences, how to verify and open the file), each between hidden markers so
// that the three editions' jobs, publishing into one release at the same
// time, each replace only their own section and never the maintainer's text.
//
// Section and Merge are pure functions. UpdateSection applies a section to a
// live release: GitHub has no conditional update for a release body, so it
// re-reads after writing, after a settle delay longer than another writer's
// read-to-write window, and writes again until its section is there and the
// sections it saw before are intact.
package notes
