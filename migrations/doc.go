// Package migrations owns the database schema: the numbered NNNN_name.sql
// files (embedded; the single source of truth), the runner that applies them
// (one transaction per migration together with its schema_migrations row and
// PRAGMA user_version; sha256 checks on applied files; adoption of files made
// by the Python builder, which have no tracking table), `tagdb migrate`'s
// file handling (create atomically, back up and restore), and the reference
// schema and master data the migrations produce.
//
// A Provider is the runner for one set of files (the embedded ones or a
// folder): Status reads what a database has applied and what is pending,
// Up and UpTo apply. Apply and MigrateFile are its one-off forms. A failure
// that belongs to a file is a *Error carrying the file, line and statement.
//
// Sub-packages: schema describes and diffs schemas by name; validate checks a
// file against the reference and the readers' data invariants; check is the
// pull-request schema check built on all three.
//
// testdata/schema.golden.json is the reference schema, checked in so every
// schema change shows in review; `go test ./migrations -update` rewrites it.
package migrations
