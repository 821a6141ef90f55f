// Package sqltext reads SQL source as SQLite does at the lexical level: tokens
// (with comments dropped and quoted identifiers recognised), statements split on
// semicolons that are not inside strings, comments or trigger bodies, and the
// few statement shapes the migration runner and the schema inspector need to
// recognise (ALTER TABLE ... ADD COLUMN, CHECK constraints), and where a
// statement names a table or column (the schema check pins changes with it).
//
// It is deliberately not a parser: it never decides whether SQL is valid. SQLite
// does that when the statement runs.
package sqltext
