package migrations

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNewer is wrapped by the error for a database whose schema version is
// newer than this binary knows.
var ErrNewer = errors.New("database schema is newer than this tagdb")

// ErrChecksum is wrapped by the error for an applied migration whose file
// has changed since.
var ErrChecksum = errors.New("applied migration changed")

// ErrTimeLimit is wrapped by the error for a migration that ran longer than
// the provider's per-migration limit (WithTimeout) and was interrupted.
var ErrTimeLimit = errors.New("time limit exceeded")

// Error is a failure that belongs to one migration file: a malformed name, SQL
// that cannot be split, or a statement SQLite refused. Callers that point at
// the file (the pull-request check's annotations) read File, Line and
// Statement instead of parsing the message.
type Error struct {
	File      string // the migration file, NNNN_snake_name.sql
	Line      int    // 1-based line of the statement (its first token); 0 when the whole file is meant
	Statement string // the SQL statement that failed, as written; "" when none did
	Err       error
}

// Error reads "FILE line N: cause", "FILE: cause" or, when the cause is
// already a sentence about the file ("0003_c.sql follows 0001_a.sql"), just
// the cause.
func (e *Error) Error() string {
	msg := e.Err.Error()
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s line %d: %s", e.File, e.Line, msg)
	case e.File == "" || strings.HasPrefix(msg, e.File):
		return msg
	}
	return e.File + ": " + msg
}

func (e *Error) Unwrap() error { return e.Err }
