// Package migrations owns the database schema: the numbered NNNN_name.sql
// files (embedded; the single source of truth), the runner that applies them
// (one transaction per migration together with its schema_migrations row and
// PRAGMA user_version; sha256 checks on applied files; adoption of files made
// by the Python builder, which have no tracking table), `tagdb migrate`'s
// file handling (create atomically, back up and restore), and the reference
// schema and master data the migrations produce.
//
// Sub-packages: schema describes and diffs schemas by name; validate checks a
// file against the reference and the readers' data invariants.
//
// testdata/schema.golden.json is the reference schema, checked in so every
// schema change shows in review; `go test ./migrations -update` rewrites it.
package migrations
