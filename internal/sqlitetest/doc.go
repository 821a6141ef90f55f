// Package sqlitetest holds the helpers tests use to look into SQLite files:
// open one read-only for the length of a test, read a single value, and
// render rows or a whole database as text that a test can compare.
//
// Each helper fails the test on an error, so a test reads as a list of facts
// about a file. It is for tests only; production code uses internal/sqlitedb.
package sqlitetest
