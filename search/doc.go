// Package search answers readers' questions on a built tag database, fast:
// it owns the read-only queries behind `tagdb search` and the optional
// trigram index for substring search (CreateSubstringIndex).
//
//   - Lookup and Resolve find tags exactly: the input is normalised as the
//     builder normalises TAGS.tag (normalize/), matched ignoring ASCII
//     case against TAGS.tag and then TAGS.source_tag, and aliases are followed
//     to the canonical tag. Resolve does a whole prompt in a fixed number of
//     queries (the inputs travel as one JSON parameter to json_each).
//   - ByTranslation finds tags by a translation, in one language or any.
//   - Prefix, Find and Substring rank tags by usage count under a Filter:
//     formats combined as all-of or any-of, type names, a translation
//     language and a minimum count.
//
// Prefix without a filter reads the builder's stored answers for the prefixes
// many tags share (TAG_PREFIX_TOP, migrations/0006; prefixtop.go) and ranks
// the others, and files without the table, from TAGS with the same result.
//
// Every query is answered from indexes (migrations/0005_reader_indexes.sql);
// TestQueryPlans checks each plan with EXPLAIN QUERY PLAN and keeps them in
// testdata/plans.golden. BENCHMARKS.md records the latencies on a
// scale-sized file and how to measure them again.
//
// A DB holds a small pool of read-only connections and the master tables
// (formats, type names) in memory; it is safe for concurrent use.
package search
