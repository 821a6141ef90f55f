// Package validate checks a database file against what its readers rely on:
// the schema the migrations produce (compared by name through PRAGMA
// introspection, never by column order or DDL text) and the data invariants of
// consumer-contract §1.5 (integrity, foreign keys, alias consistency, 0/1
// booleans, ISO-8601 datetimes, id ranges, master data, the version row).
//
// Every check is one aggregate query per table, with a second query only for
// the first few offenders of a failed check, so a 10M-row file validates in
// seconds. Problems fail validation; notes (extra tables, missing secondary
// indexes, WAL mode) do not.
package validate
