package idmap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/tagdb/tagdb-action/internal/files"
)

// Header is the first line of an id map.
const Header = "tag\ttag_id"

// Entry is one tag and its id.
type Entry struct {
	Tag string
	ID  int64
}

// appendEscaped appends tag with its backslashes, tabs and line breaks
// escaped (unescape reads them back).
func appendEscaped(b []byte, tag string) []byte {
	if !strings.ContainsAny(tag, "\\\t\n\r") {
		return append(b, tag...)
	}
	for i := 0; i < len(tag); i++ {
		switch c := tag[i]; c {
		case '\\':
			b = append(b, '\\', '\\')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	return b
}

// Writer writes an id map one entry at a time, so a caller holding the tags
// in its own structures (a build's merge state: tens of millions of names at
// large scales) need not build a list of them first. The compression is
// fixed (one encoder thread, default level) so that equal entries give equal
// bytes: the editions' jobs of one release upload the same file, and an
// unchanged file is not uploaded again.
type Writer struct {
	enc    *zstd.Encoder
	bw     *bufio.Writer
	n      int   // entries added
	lastID int64 // the previous entry's id
	last   string
	line   []byte // the line being added, reused
	err    error  // the first error; Add and Close return it from then on
}

// NewWriter starts an id map on w; finish it with Close.
func NewWriter(w io.Writer) (*Writer, error) {
	enc, err := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1), zstd.WithEncoderCRC(true))
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(enc, 1<<16)
	bw.WriteString(Header + "\n")
	return &Writer{enc: enc, bw: bw}, nil
}

// Add writes the next entry. Entries must come sorted by id, each id once.
func (w *Writer) Add(e Entry) error {
	if w.err != nil {
		return w.err
	}
	if w.n > 0 && e.ID <= w.lastID {
		w.err = fmt.Errorf("id map: entry %d (%q, id %d) does not follow id %d (%q): entries must be sorted by id, each id once", w.n, e.Tag, e.ID, w.lastID, w.last)
		return w.err
	}
	// One line built in a reused buffer: no allocation per entry, of which
	// a scale-4 build adds some 20 million.
	w.line = appendEscaped(w.line[:0], e.Tag)
	w.line = append(w.line, '\t')
	w.line = strconv.AppendInt(w.line, e.ID, 10)
	w.line = append(w.line, '\n')
	if _, err := w.bw.Write(w.line); err != nil {
		w.err = err
		return err
	}
	w.n++
	w.lastID, w.last = e.ID, e.Tag
	return nil
}

// Close flushes the map and ends the zstd stream. After an error it only
// releases the encoder and returns that error.
func (w *Writer) Close() error {
	if w.err == nil {
		w.err = w.bw.Flush()
	}
	if err := w.enc.Close(); w.err == nil {
		w.err = err
	}
	return w.err
}

// Write writes the entries, which must be sorted by id with no id twice, as
// an id map (see Writer).
func Write(w io.Writer, entries []Entry) error {
	iw, err := NewWriter(w)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if iw.Add(e) != nil {
			break // Close returns the error
		}
	}
	return iw.Close()
}

// WriteFile writes the id map to path atomically: on error the path is
// left as it was.
func WriteFile(path string, entries []Entry) error {
	return files.WriteAtomic(path, 0o644, func(w io.Writer) error { return Write(w, entries) })
}

// Read calls fn for every entry of the id map in r, in file order. Errors
// name the line; fn's error stops the read (errors.Is/As see it through the
// wrapper; ReadFile returns it as it is).
func Read(r io.Reader, fn func(Entry) error) error {
	dec, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return err
	}
	defer dec.Close()
	sc := bufio.NewScanner(dec)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if text != Header {
				return fmt.Errorf("line 1: header %q, want %q: not an id map", text, Header)
			}
			continue
		}
		tag, id, ok := cutLast(text)
		if !ok {
			return fmt.Errorf("line %d: no tab between tag and tag_id", line)
		}
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("line %d: tag_id %q is not a non-negative integer", line, id)
		}
		if tag, err = unescape(tag); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if err := fn(Entry{Tag: tag, ID: n}); err != nil {
			return stopped{err}
		}
	}
	if err := sc.Err(); err != nil {
		if line == 0 && errors.Is(err, zstd.ErrMagicMismatch) {
			return errors.New("not zstd-compressed: not an id map")
		}
		return fmt.Errorf("line %d: %w", line+1, err)
	}
	if line == 0 {
		return errors.New("empty: not an id map")
	}
	return nil
}

// ReadFile is Read of the file at path; errors name the file.
func ReadFile(path string, fn func(Entry) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	err = Read(f, fn)
	var st stopped
	switch {
	case errors.As(err, &st):
		return st.err // the caller's own error, about an entry: it names what it needs
	case err != nil:
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// stopped carries fn's error out of Read, so that ReadFile can return it
// as it is.
type stopped struct{ err error }

func (s stopped) Error() string { return s.err.Error() }
func (s stopped) Unwrap() error { return s.err }

// IsIDMap says whether the file at path starts like a zstd stream, which a
// SQLite database never does: the builder's reserve list takes both.
func IsIDMap(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		return false, nil // shorter than any id map or database: let the database reader say what it is
	}
	return magic == [4]byte{0x28, 0xb5, 0x2f, 0xfd}, nil
}

func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, '\t')
	if i < 0 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

func unescape(s string) (string, error) {
	if !strings.Contains(s, `\`) && !strings.Contains(s, "\t") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' {
			return "", errors.New("tag has an unescaped tab")
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 == len(s) {
			return "", errors.New(`tag ends in a lone backslash`)
		}
		i++
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf(`tag has an unknown escape \%c`, s[i])
		}
	}
	return b.String(), nil
}
