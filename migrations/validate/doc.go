// Package validate checks a database file against what its readers rely on:
// the schema the migrations produce (compared by name through PRAGMA
// introspection, never by column order or DDL text) and the data invariants of
// docs/reader-contract.md (b-tree structure, foreign keys, alias consistency,
// 0/1 booleans, ISO-8601 datetimes, id ranges, master data, the version row).
//
// The data checks are independent queries that each read one table: the
// structure check of each table and its indexes (PRAGMA quick_check(T), or
// integrity_check(T) plus a whole-file page accounting when Options.Quick is
// off), one anti-join per foreign key, one aggregate scan per table counting
// every row rule at once, the type-mapping check. They run in parallel on one
// connection per core, the biggest first; a second query runs only for the
// first few offenders of a failed check. Problems fail validation; notes
// (extra tables, missing secondary indexes, WAL mode) do not.
package validate
