// Package check is the pull-request schema check (`tagdb check`, and mode
// check of the action): it applies a migrations folder to an empty database
// and to a copy of the published one, validates both, diffs the schema
// against a base and says what changes for the readers of published files.
// Run returns a Result; the callers only render it (Markdown, WriteText, or
// its JSON form) and turn its annotations into their own format.
//
// How the base is chosen, and which migration files count as new:
//
//   - With a base database (the latest release's file) its own bookkeeping is
//     the truth: files newer than max(schema_migrations.version, user_version)
//     are new, and an applied file whose sha256 differs from the folder's copy
//     was edited. The diff is the published file before and after the
//     migrations run on a copy of it: exactly what its readers will see, and
//     immune to what a build adds beside the migrations' schema.
//   - With only a base schema (the base branch's golden dump) there are no
//     version numbers. The embedded migrations' latest version is no help in
//     the pull-request workflow: the action is built from the pull request's
//     own tree (uses: ./), so its embedded files already are the PR's. So the
//     base version is inferred: the smallest k whose first k migrations
//     reproduce the base schema. Smallest, because a data-only file after the
//     last schema change (a new format row) leaves the schema as it was and is
//     new all the same. When no prefix reproduces the base, an existing file
//     was changed (or renumbered): that fails the check.
//   - With neither, the migrations embedded in this binary are the base, and
//     their latest version is the base version (right for a released tagdb
//     checking a working tree; a binary built from the same tree compares it
//     with itself and says so).
//
// The migrations are the pull request's, not yet trusted: they run only on
// scratch files in the run's temporary folder, under package sandbox (no
// attached databases, an authorizer, defensive mode, a size bound) and a
// time limit per migration (Options.TimeLimit, Options.MaxGrowth); a refusal
// is a failure naming the file, line, rule and statement. They are applied
// in one pass per database (Provider.UpEach); on the empty database the
// schema is inspected after each one, re-reading only the tables it changed
// (schema.Inspector), so that each schema change is pinned to the file (and,
// through the SQL tokenizer, the line) that makes it while the work stays
// linear in the number of migrations.
//
// A migrated file is read back on a fresh read-only connection (its schema
// and the full integrity_check), and the published rows are compared with
// the migrated copy's (data.go): rows lost or rewritten are destructive, like
// a dropped column. README.md, "The pull-request check", says the same for
// users.
package check
