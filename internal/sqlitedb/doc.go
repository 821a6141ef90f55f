// Package sqlitedb opens SQLite files through the pure-Go modernc driver with the
// connection settings each stage needs: read-only for readers and validation,
// fast-and-unsafe for a build that is thrown away on failure, and plain for
// migrations that must survive a crash.
package sqlitedb
