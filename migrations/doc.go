// Package migrations owns the database schema: the numbered *.sql files
// (embedded), the runner that applies them with checksums and a tracking table,
// and the expected-schema snapshot derived from them.
package migrations
