// Package prefixtop computes and writes TAG_PREFIX_TOP
// (migrations/0006_tag_prefix_top.sql): for every prefix that many tags
// share, the tags autocomplete (search.Prefix without a filter) returns
// first. The builder fills the table (Write) once a file's tags, statuses
// and counts are final; migrations/validate recomputes it (Compute) to check
// a file's rows; package search reads it.
//
// A prefix is a leading run of whole characters of a tag folded the way
// SQLite's NOCASE collation folds it (ASCII letters lower-cased, Fold). Its
// rows are its top min(depth, n) qualifying tags, n being how many qualify:
// tags with a non-alias status row in some format, ranked by their highest
// usage count over all formats (0 without any), highest first, then by
// tag id. That is the order search.Prefix answers in; the table only
// precomputes it where answering from TAGS reads many candidates.
//
// Everything is read from the written tables, never from a builder's merge
// state, so a build with a base file recomputes the whole table and the
// validation can compare a file with a fresh computation.
package prefixtop
