// Package sqlitedb opens SQLite files through the pure-Go modernc driver with the
// connection settings each stage needs: read-only for readers and validation,
// fast-and-unsafe for a build that is thrown away on failure, and plain for
// migrations that must survive a crash. Input files from outside (tags_db
// sources, site_tags tags.sqlite) open through OpenUntrusted and CheckTables
// instead: immutable, tables only, cancellable.
package sqlitedb
