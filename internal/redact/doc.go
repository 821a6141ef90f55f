// Package redact removes secrets (API tokens) from text before it is
// printed: a Redactor replaces every occurrence of each secret with "***",
// in strings, in errors (keeping the error chain for errors.As) and in
// everything written through its Writer. The command line wraps stdout and
// stderr of every command with one, and the release client redacts its
// error messages with one, so a server that echoes the Authorization header
// in an error body never puts the token on a terminal or in a CI log.
package redact
