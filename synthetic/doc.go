// Package synthetic writes a full-size, deterministic stand-in for the real
// build inputs, for benchmarks and scale tests (`tagdb gen`): the 18
// deepghs/site_tags folders, each with its real tags.sqlite column layout and
// row counts times a scale; a tags_v4-scale base DB in our schema; the
// p1atdev translation parquet; and a sources.yml over all of it.
//
// Everything is a pure function of (seed, scale): every value of a row is
// derived from the row's index by hashing, so files are generated in one
// streaming pass each, in constant memory, in any order or in parallel, and
// are byte-identical for the same seed. The shapes the builder must handle
// are all present: shared vocabulary across sites, long-tailed counts,
// negative counts at the documented minima, orphan aliases, alias conflicts,
// invalid_tag / bad_tag sinks, near-duplicate sites, unicode and kaomoji.
package synthetic
