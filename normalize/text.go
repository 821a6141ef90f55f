package normalize

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxTextBytes is the longest tag, alias, source tag or translation part the
// build accepts, in bytes. Real tags are under a few hundred bytes; a longer
// value is a broken or hostile input (a whole file read as one field, a blob
// in a text column), and megabyte "tags" make every reader of TAGS slow.
const MaxTextBytes = 1024

// The reasons Text returns. They are the skip reasons the CSV reader has
// always written to skipped_rows.tsv, so that every reader reports a bad
// value the same way.
const (
	ReasonNUL         = "NUL byte"
	ReasonInvalidUTF8 = "invalid UTF-8"
)

// reasonTooLong is the length reason for a value named what.
func reasonTooLong(what string) string {
	return what + " longer than " + strconv.Itoa(MaxTextBytes) + " bytes"
}

// Text is the one text rule every value from every reader goes through before
// it reaches TAGS, TAG_STATUS or TAG_TRANSLATIONS: no NUL byte (C readers
// and Python's sqlite3 cut or refuse the text), valid UTF-8 (Python's sqlite3
// cannot decode the row), at most MaxTextBytes. what names the value in the
// length reason ("tag", "translation"). It returns "" for a good value, or
// the reason it is refused.
func Text(what, s string) string {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return ReasonNUL
	case !utf8.ValidString(s):
		return ReasonInvalidUTF8
	case len(s) > MaxTextBytes:
		return reasonTooLong(what)
	}
	return ""
}
