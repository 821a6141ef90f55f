// Package sandbox confines migrations that are not trusted yet (a pull
// request's) to the throw-away database they run on. It works at the SQLite
// level, on every connection a migrations.Provider takes (WithConnSetup), so
// no spelling of a statement gets around it:
//
//   - Open opens the scratch copy in defensive mode (SQLITE_DBCONFIG_DEFENSIVE:
//     no writable_schema edits, no writes to shadow tables) and without fsync;
//   - the connection may attach no database (SQLITE_LIMIT_ATTACHED = 0), so
//     ATTACH and VACUUM INTO cannot create or change a file anywhere else;
//   - an authorizer refuses ATTACH, DETACH, load_extension, fts3_tokenizer and
//     setting the PRAGMAs that reach outside the file, lift these bounds or rewrite
//     the schema behind SQLite's back (DeniedPragmas);
//   - the main and temp databases may grow by at most Limits.MaxGrowth bytes
//     per migration (PRAGMA max_page_count), so an endless INSERT fails
//     quickly with "database or disk is full" instead of filling the disk or
//     the memory.
//
// The time bound is the provider's (migrations.WithTimeout). Explain turns
// the errors these refusals cause into a sentence for the report.
// README.md, "The pull-request check", lists the same rules for users.
package sandbox
