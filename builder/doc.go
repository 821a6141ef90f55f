// Package builder turns a manifest of sources (sources.yml) into one validated
// SQLite file for one licence edition of the tag database.
//
// A build is a straight line:
//
//	manifest → plan (profile → allowed licences → chosen sources)
//	         → adapters (builder/tabular, builder/sitetags, builder/tagsdb) stream record.Rows
//	         → read: normalise (one goroutine) into the in-memory merge state (another):
//	           tag names interned once, one small record per status, count, translation
//	         → ids: one id space over the union of every enabled source (all licences)
//	         → merge: per (tag, format) the rules decide the row the output gets;
//	           prefix and alias-chain repairs on the same state
//	         → write each table once, in key order, into the copy of the base (or a
//	           database made by the migrations) with its secondary indexes dropped
//	         → indexes, TAG_PREFIX_TOP (prefixes.go), ANALYZE → validate → atomic rename → reports
//
// Build runs these as named steps on one buildRun value (build.go: prepare,
// read sources, merge, write, finish), each logged with its duration and each
// callable alone in tests. Fingerprint needs none of them: it is computed from
// the options and the input files' hashes before any row is read.
//
// Memory. The merge state of a full-size build (5M tags, 10M statuses) takes
// about 500 MiB: names live in byte arenas, records are 20 bytes, timestamps
// are packed into 64 bits (timecode.go), and usage counts wait in a spill file
// while statuses are written. Options.MemoryLimit shares a budget between
// Go's soft limit and SQLite's page cache, per phase (memory.go); past its
// share of the budget the state's tables take their memory from a file
// mapping beside the output instead of the heap (spill.go, docs/memory.md).
//
// Stable ids. A tag_id must mean the same tag in the cc0, mit and cc4 editions of
// a release and in every later release. Ids already present in the base DB and
// in any --reserve-ids DB are kept; every tag that some enabled source of the
// manifest mentions (whatever its licence) and that has no id yet is numbered
// after the highest known id, in code-point order of the normalised tag. Each
// edition therefore computes the same numbering from the same manifest and the
// same bases, but only writes the tags its own licences allow.
package builder
