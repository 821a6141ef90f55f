package tabular

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/internal/files"
)

// Kind names a file layout, as the manifest's `kind` does.
type Kind string

const (
	// Tagcomplete is the a1111 tag-complete layout: headerless
	// `tag,type,count[,"alias1,alias2"]`.
	Tagcomplete Kind = "tagcomplete_csv"
	// Translation is a tag→translation CSV: headerless `tag,translation` in
	// Options.Language, or headered with one language per column.
	Translation Kind = "translation_csv"
	// CSV is a headered CSV with the shared column mapping.
	CSV Kind = "csv"
	// JSON is an array of objects with the shared column mapping.
	JSON Kind = "json"
	// Parquet is a Parquet table with the shared column mapping, including the
	// p1atdev/danbooru-ja-tag-pair layout.
	Parquet Kind = "parquet"
)

// DefaultBatchSize is the number of rows per batch when Options.BatchSize is 0.
const DefaultBatchSize = 4096

// Options says how to read one source.
type Options struct {
	// Format is the manifest `format` resolved to a TAG_FORMATS.format_id: the
	// format of rows without a (valid) format_id column. record.NoFormat makes
	// such rows translation-only; translation_csv ignores it.
	Format int
	// Language is the manifest `language`: the language of column 2 of a
	// headerless translation_csv. Other kinds ignore it.
	Language string
	// Events receives skipped rows; nil drops them.
	Events record.Events
	// BatchSize is the number of rows per Next call (DefaultBatchSize if 0).
	BatchSize int
}

// Open starts reading the source at path as kind. It fails, naming the file,
// when the file cannot be read or is not a valid file of that kind; problems
// with single rows are reported to opts.Events as the rows stream.
func Open(ctx context.Context, kind Kind, path string, opts Options) (record.Source, error) {
	if opts.Events == nil {
		opts.Events = record.Discard{}
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Format < record.NoFormat {
		return nil, fmt.Errorf("%s: invalid format id %d", path, opts.Format)
	}
	switch kind {
	case Tagcomplete:
		if opts.Format == record.NoFormat {
			return nil, fmt.Errorf("%s: a %s source needs a format", path, kind)
		}
	case Translation, CSV, JSON, Parquet:
	default:
		return nil, fmt.Errorf("%s: unknown kind %q", path, kind)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f, err := files.OpenRegular(path)
	if err != nil {
		return nil, err // names the file
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	src, err := newSource(ctx, kind, f, st.Size(), f, path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	return src, nil
}

// input is what the readers need of a file: streaming reads for the text
// kinds, random access for Parquet.
type input interface {
	io.Reader
	io.ReaderAt
}

// newSource starts reading in (size bytes, named path in messages) as kind;
// closer, if not nil, is closed with the source. opts must be checked and
// defaulted by the caller.
func newSource(ctx context.Context, kind Kind, in input, size int64, closer io.Closer, path string, opts Options) (record.Source, error) {
	var rd rowReader
	var err error
	switch kind {
	case Tagcomplete:
		rd = newTagcompleteReader(in, path, opts)
	case Translation:
		rd, err = newTranslationReader(in, path, opts)
	case CSV:
		rd, err = newCSVReader(in, path, opts)
	case JSON:
		rd, err = newJSONReader(in, path, opts)
	case Parquet:
		rd, err = newParquetReader(ctx, in, size, path, opts)
	default:
		err = fmt.Errorf("%s: unknown kind %q", path, kind)
	}
	if err != nil {
		return nil, err
	}
	return &source{ctx: ctx, path: path, rd: rd, f: closer, buf: make([]record.Row, opts.BatchSize)}, nil
}

// rowReader is one kind's parser. next fills r (already reset) with the next
// record and reports whether it is a row to emit; false with a nil error means
// the record was skipped (and reported). It returns io.EOF at the end.
type rowReader interface {
	next(r *record.Row) (bool, error)
}

// source batches a rowReader's rows into a reused slice.
type source struct {
	ctx  context.Context
	path string // for messages
	rd   rowReader
	f    io.Closer // nil when the caller owns the input
	buf  []record.Row
	done bool
	// err is the error that ended the stream; Next keeps returning it, so
	// that a failed read never looks like a clean end.
	err error
}

func (s *source) Next() ([]record.Row, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.done {
		return nil, io.EOF
	}
	if err := s.ctx.Err(); err != nil {
		s.err = fmt.Errorf("%s: %w", s.path, err)
		return nil, s.err
	}
	return record.FillBatch(s.buf, func(r *record.Row) (bool, error) {
		resetRow(r)
		ok, err := s.rd.next(r)
		if err != nil {
			s.done = true // at the end or failed: no further reads
			if err != io.EOF {
				s.err = err // kept, so that a failed read never looks like a clean end
			}
		}
		return ok, err
	})
}

func (s *source) Close() error {
	s.done = true
	if s.rd == nil {
		return nil
	}
	var err error
	if c, ok := s.rd.(io.Closer); ok {
		err = c.Close()
	}
	if s.f != nil {
		if cerr := s.f.Close(); err == nil {
			err = cerr
		}
	}
	s.rd, s.f = nil, nil
	return err
}

// resetRow clears r but keeps the backing arrays of its slices, so a batch
// allocates its alias and translation slices once.
func resetRow(r *record.Row) {
	*r = record.Row{
		Type:         record.UnknownType,
		Aliases:      r.Aliases[:0],
		Translations: r.Translations[:0],
	}
}

// appendCommaList appends the trimmed, non-empty parts of a comma-separated
// list (the tag-complete alias field, a deprecated_tags string).
func appendCommaList(dst []string, s string) []string {
	for s != "" {
		part := s
		if i := strings.IndexByte(s, ','); i >= 0 {
			part, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if part = strings.TrimSpace(part); part != "" {
			dst = append(dst, part)
		}
	}
	return dst
}

// parseInt parses an integer cell: optional sign, decimal digits, and an
// optional all-zero fraction ("12.0", as pandas writes integer columns that
// hold nulls). It says why a non-empty value is unusable: "not a number" or
// "out of range".
func parseInt(s string) (int64, string) {
	if dot := strings.IndexByte(s, '.'); dot >= 0 {
		frac := s[dot+1:]
		if frac == "" || strings.Trim(frac, "0") != "" {
			return 0, "not a number"
		}
		s = s[:dot]
	}
	if s == "" || s == "+" || s == "-" {
		return 0, "not a number"
	}
	digits := s
	if digits[0] == '+' || digits[0] == '-' {
		digits = digits[1:]
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, "not a number"
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, "out of range"
	}
	return n, ""
}

// parseFloatInt accepts a JSON or Parquet floating-point number that holds an
// integer (1e3, 12.0).
func parseFloatInt(f float64) (int64, string) {
	if f != f || f < -9.223372036854775808e18 || f >= 9.223372036854775808e18 {
		return 0, "out of range"
	}
	if f != float64(int64(f)) {
		return 0, "not a number"
	}
	return int64(f), ""
}

// setCount stores a parsed count in r, or returns the note to report when
// the value is unusable (n and why come from parseInt or parseFloatInt; raw is
// the value as the source wrote it). The row keeps HasCount false then.
func setCount(r *record.Row, n int64, why, raw string) string {
	switch {
	case why == "out of range" && strings.HasPrefix(strings.TrimSpace(raw), "-"):
		return fmt.Sprintf("count is negative: %q", raw)
	case why == "out of range":
		return fmt.Sprintf("count is out of range: %q", raw)
	case why != "":
		return fmt.Sprintf("count is not a number: %q", raw)
	case n < 0:
		return fmt.Sprintf("count is negative: %q", raw)
	}
	r.Count, r.HasCount = n, true
	return ""
}
