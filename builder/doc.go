// Package builder turns a manifest of sources (sources.yml) into one validated
// SQLite file for one licence edition of the tag database.
//
// A build is a straight line:
//
//	manifest → plan (profile → allowed licences → chosen sources)
//	         → adapters (builder/tabular, builder/sitetags, builder/tagsdb) stream record.Rows
//	         → stage: normalise and write rows into a scratch database
//	         → ids: one id space over the union of every enabled source (all licences)
//	         → merge, source by source, into a database made by the migrations
//	         → repairs, indexes, ANALYZE → validate → atomic rename → reports
//
// Stable ids. A tag_id must mean the same tag in the cc0, mit and cc4 editions of
// a release and in every later release. Ids already present in the base DB and
// in any --reserve-ids DB are kept; every tag that some enabled source of the
// manifest mentions (whatever its licence) and that has no id yet is numbered
// after the highest known id, in code-point order of the normalised tag. Each
// edition therefore computes the same numbering from the same manifest and the
// same bases, but only writes the tags its own licences allow.
package builder
