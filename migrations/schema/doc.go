// Package schema describes a SQLite database's schema as a Snapshot built from
// PRAGMA introspection (table_xinfo, index_list/index_xinfo, foreign_key_list)
// and the CHECK constraints of sqlite_schema.sql, keyed by name and never by
// column order or DDL text. A Snapshot round-trips through stable, sorted JSON,
// so the schema the migrations produce can be a reviewed golden file, and Diff
// classifies the changes between two snapshots by what they mean for readers.
package schema
