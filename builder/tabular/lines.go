package tabular

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tagdb/tagdb-action/normalize"
)

// MaxLineBytes is the longest line (without its line terminator) the text
// readers accept. No real tag list comes close; a longer line is a broken or
// hostile file and is skipped without being held in memory.
const MaxLineBytes = 64 << 10

// Skip reasons shared by the text readers. They are part of the report format
// (skipped_rows.tsv), so they stay stable.
const (
	reasonLongLine       = "line longer than 65536 bytes"
	reasonNUL            = normalize.ReasonNUL // the builder's text rule, for every reader
	reasonInvalidUTF8    = normalize.ReasonInvalidUTF8
	reasonUnbalanced     = "unbalanced quote"
	reasonAfterQuote     = "text after closing quote"
	reasonEmptyTag       = "empty tag"
	reasonNoTranslation  = "no translation"
	reasonDeleted        = "deleted"
	reasonNotAnObject    = "not an object"
	reasonTagNotAString  = "tag is not a string"
	reasonNoFormatNoText = "no format and no translation"
)

const utf8BOM = "\xEF\xBB\xBF"

// MaxLineRunBytes is where an over-long line stops being a skipped row and
// becomes an error: a line this long means the file has no usable line ends.
const MaxLineRunBytes = 16 << 20

// ErrNotText is wrapped by every refusal of a whole file as line-based text:
// a byte-order mark of an encoding other than UTF-8, classic Mac OS line ends,
// or no line end for MaxLineRunBytes. Such a file is refused by name instead
// of being read as one line or as rows of NUL bytes; callers (and the fuzz
// targets) tell it from a read error with errors.Is.
var ErrNotText = errors.New("not line-based UTF-8 text")

// errCROnly refuses classic Mac OS line ends: read as LF lines, the whole
// file would be one line and every row but the first would vanish.
const errCROnly = "line ends are CR only (classic Mac OS): convert the file to LF or CRLF line ends"

// byteOrderMarks are the marks of the encodings the text readers refuse by
// name, longest first (the UTF-32 LE mark begins with the UTF-16 LE one). Read
// as UTF-8 their text is NUL bytes between the letters, and every row would
// be skipped as such.
var byteOrderMarks = []struct{ mark, name string }{
	{"\x00\x00\xFE\xFF", "UTF-32 BE"},
	{"\xFF\xFE\x00\x00", "UTF-32 LE"},
	{"\xFE\xFF", "UTF-16 BE"},
	{"\xFF\xFE", "UTF-16 LE"},
}

// checkEncoding refuses a file that starts with the byte-order mark of an
// encoding other than UTF-8.
func (lr *lineReader) checkEncoding() error {
	head, err := lr.r.Peek(4)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return fmt.Errorf("%s line 1: read: %w", lr.path, err)
	}
	for _, b := range byteOrderMarks {
		if bytes.HasPrefix(head, []byte(b.mark)) {
			return fmt.Errorf("%s line 1: the file is %s text (byte-order mark % X): convert it to UTF-8: %w", lr.path, b.name, b.mark, ErrNotText)
		}
	}
	return nil
}

// lineReader yields the physical lines of a text file one at a time. The
// returned slice aliases the reader's buffer and is valid only until the next
// call, so callers convert what they keep to strings at once.
type lineReader struct {
	r    *bufio.Reader
	path string
	n    int // 1-based number of the line last returned
}

func newLineReader(r io.Reader, path string) *lineReader {
	// Room for a maximal line plus "\r\n": ReadSlice then fails with
	// ErrBufferFull exactly when a line is too long.
	return &lineReader{r: bufio.NewReaderSize(r, MaxLineBytes+2), path: path}
}

// next returns the next non-blank line. A line that cannot be used at all
// comes back with skip set to the reason (and line nil); blank lines are
// dropped silently. err is io.EOF at the end, or a read error naming the file
// and line.
func (lr *lineReader) next() (line []byte, skip string, err error) {
	for {
		if lr.n == 0 {
			if err := lr.checkEncoding(); err != nil {
				return nil, "", err
			}
		}
		b, err := lr.r.ReadSlice('\n')
		if len(b) == 0 && err == io.EOF {
			return nil, "", io.EOF
		}
		lr.n++
		if lr.n == 1 {
			if i := bytes.IndexByte(b, '\r'); i >= 0 && i < len(b)-1 && b[i+1] != '\n' {
				return nil, "", fmt.Errorf("%s line 1: %s: %w", lr.path, errCROnly, ErrNotText)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			if derr := lr.discardLine(); derr != nil {
				return nil, "", derr
			}
			return nil, reasonLongLine, nil
		}
		if err != nil && err != io.EOF {
			return nil, "", fmt.Errorf("%s line %d: read: %w", lr.path, lr.n, err)
		}
		b = bytes.TrimSuffix(b, []byte("\n"))
		b = bytes.TrimSuffix(b, []byte("\r"))
		if lr.n == 1 {
			b = bytes.TrimPrefix(b, []byte(utf8BOM))
		}
		if len(b) > MaxLineBytes {
			return nil, reasonLongLine, nil
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if bytes.IndexByte(b, 0) >= 0 {
			return nil, reasonNUL, nil
		}
		if !utf8.Valid(b) {
			return nil, reasonInvalidUTF8, nil
		}
		return b, "", nil
	}
}

// discardLine drops the rest of an over-long line, chunk by chunk. A line
// that runs past MaxLineRunBytes is not a long line but a file that is not
// line-based text (a blob, a file with no line ends at all): it fails at once
// instead of being read to its end.
func (lr *lineReader) discardLine() error {
	for run := MaxLineBytes; ; {
		b, err := lr.r.ReadSlice('\n')
		run += len(b)
		switch {
		case run > MaxLineRunBytes:
			return fmt.Errorf("%s line %d: no line end in the first %d bytes of the line: %w", lr.path, lr.n, MaxLineRunBytes, ErrNotText)
		case err == nil || err == io.EOF:
			return nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return fmt.Errorf("%s line %d: read: %w", lr.path, lr.n, err)
		}
	}
}

func (lr *lineReader) pos() string { return fmt.Sprintf("line %d", lr.n) }

// splitLine splits one physical CSV line into fields, appending them to
// fields[:0]. Quoting follows RFC 4180 (a field that starts with '"' runs to the
// next lone '"', and '""' inside it is one quote) except that records never
// span lines: a quote left open at the end of the line is an error for this
// line only. A quote inside an unquoted field is taken literally, as every
// line is self-delimiting and there is nothing it could swallow.
//
// Fields are substrings of line (no copy) unless they contain doubled quotes.
// The error, if any, is one of the reason constants.
func splitLine(line string, fields []string) ([]string, error) {
	fields = fields[:0]
	i := 0
	for {
		if i < len(line) && line[i] == '"' {
			// Quoted field.
			j := i + 1
			escaped := false
			for {
				k := strings.IndexByte(line[j:], '"')
				if k < 0 {
					return fields, errReason(reasonUnbalanced)
				}
				j += k
				if j+1 < len(line) && line[j+1] == '"' {
					escaped = true
					j += 2
					continue
				}
				break
			}
			f := line[i+1 : j]
			if escaped {
				f = strings.ReplaceAll(f, `""`, `"`)
			}
			fields = append(fields, f)
			j++ // past the closing quote
			if j == len(line) {
				return fields, nil
			}
			if line[j] != ',' {
				return fields, errReason(reasonAfterQuote)
			}
			i = j + 1
			continue
		}
		k := strings.IndexByte(line[i:], ',')
		if k < 0 {
			fields = append(fields, line[i:])
			return fields, nil
		}
		fields = append(fields, line[i:i+k])
		i += k + 1
	}
}

// errReason is an error whose text is a stable skip reason.
type errReason string

func (e errReason) Error() string { return string(e) }
