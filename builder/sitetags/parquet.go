package sitetags

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/parquetcheck"
	"github.com/tagdb/tagdb-action/normalize"
)

// The Parquet fallback: a site folder with tags.parquet and no tags.sqlite.
// The columns are those of the sqlite table (deepghs exports both from the
// same frame), so the same layouts apply; declared types come from the
// Parquet types. Alias pairs come from tag_aliases.parquet next to it.

// pqFile is an open Parquet file and its columns by name.
type pqFile struct {
	ctx  context.Context
	path string
	f    *os.File
	pf   *parquet.File
	cols []column
	leaf map[string]pqLeaf
}

type pqLeaf struct {
	index int
	conv  func(parquet.Value) any
}

func openPQ(ctx context.Context, path string) (*pqFile, error) {
	f, err := files.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	pf, err := parquetcheck.Open(ctx, f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: not a readable Parquet file: %w", path, err)
	}
	p := &pqFile{ctx: ctx, path: path, f: f, pf: pf, leaf: map[string]pqLeaf{}}
	schema := pf.Schema()
	for _, field := range schema.Fields() {
		c := column{name: field.Name()}
		if field.Leaf() {
			lc, ok := schema.Lookup(field.Name())
			if ok {
				decl, conv := pqConverter(field.Type())
				c.decl = decl
				p.leaf[c.name] = pqLeaf{index: lc.ColumnIndex, conv: conv}
			}
		}
		p.cols = append(p.cols, c)
	}
	return p, nil
}

func (p *pqFile) close() error { return p.f.Close() }

// stream reads the named columns of every row; row numbers are 1-based.
func (p *pqFile) stream(names []string) (*pqStream, error) {
	s := &pqStream{ctx: p.ctx, rgs: p.pf.RowGroups(), buf: make([]parquet.Row, 256),
		vals: make([]any, len(names)), set: make([]bool, len(names))}
	width := 0
	for _, l := range p.leaf {
		width = max(width, l.index+1)
	}
	s.want = make([]int, width)
	for i := range s.want {
		s.want[i] = -1
	}
	s.convs = make([]func(parquet.Value) any, len(names))
	for i, n := range names {
		l, ok := p.leaf[n]
		if !ok {
			return nil, fmt.Errorf("%s: column %q is not a plain (non-nested) column", p.path, n)
		}
		s.want[l.index] = i
		s.convs[i] = l.conv
	}
	return s, nil
}

// each calls fn with every row of the named columns, in order. A read error
// names the file, what was being read and the last row read.
func (p *pqFile) each(names []string, what string, fn func(n int64, vals []any)) error {
	s, err := p.stream(names)
	if err != nil {
		return err
	}
	defer s.close()
	for {
		n, vals, ok, err := s.next()
		if err != nil {
			return fmt.Errorf("%s: %safter row %d: %w", p.path, what, n, err)
		}
		if !ok {
			return nil
		}
		fn(n, vals)
	}
}

type pqStream struct {
	ctx    context.Context
	rgs    []parquet.RowGroup
	rg     int
	rows   parquet.Rows
	rgDone bool
	buf    []parquet.Row
	n, i   int
	rowNum int64
	want   []int // leaf column index -> position in vals, or -1
	convs  []func(parquet.Value) any
	vals   []any
	set    []bool
}

func (s *pqStream) next() (n int64, vals []any, ok bool, err error) {
	// parquet-go panics on some data that is consistent in size but not in
	// meaning (parquetcheck has bounded the sizes): an error, not a crash.
	defer func() {
		if v := recover(); v != nil {
			n, vals, ok, err = s.rowNum, nil, false, fmt.Errorf("row group %d: corrupt Parquet data: %v", s.rg, v)
		}
	}()
	for s.i >= s.n {
		if s.rows != nil && s.rgDone {
			if err := s.rows.Close(); err != nil {
				return 0, nil, false, err
			}
			s.rows, s.rgDone = nil, false
		}
		if s.rows == nil {
			if s.rg == len(s.rgs) {
				return 0, nil, false, nil
			}
			if err := s.ctx.Err(); err != nil {
				return 0, nil, false, err
			}
			s.rows = s.rgs[s.rg].Rows()
			s.rg++
		}
		n, err := s.rows.ReadRows(s.buf)
		s.n, s.i = n, 0
		switch {
		case errors.Is(err, io.EOF) || (err == nil && n == 0):
			s.rgDone = true
		case err != nil:
			return 0, nil, false, fmt.Errorf("row group %d: %w", s.rg, err)
		}
	}
	row := s.buf[s.i]
	s.i++
	s.rowNum++
	clear(s.vals)
	clear(s.set)
	for _, v := range row {
		c := v.Column()
		if c < 0 || c >= len(s.want) || s.want[c] < 0 || s.set[s.want[c]] {
			continue
		}
		k := s.want[c]
		s.set[k] = true
		if !v.IsNull() {
			s.vals[k] = s.convs[k](v)
		}
	}
	return s.rowNum, s.vals, true, nil
}

func (s *pqStream) close() error {
	if s.rows != nil {
		return s.rows.Close()
	}
	return nil
}

// pqConverter returns the SQL-like declared type the layout rules compare
// (gelbooru's type is a Parquet string, so "TEXT") and the cell converter.
func pqConverter(t parquet.Type) (string, func(parquet.Value) any) {
	var lt format.LogicalTypeValue
	if l := t.LogicalType(); l != nil {
		lt = l.Value
	}
	if ts, ok := lt.(*format.TimestampType); ok && ts.Unit.Value != nil {
		unit, utc := ts.Unit.Value.Duration(), ts.IsAdjustedToUTC
		return "TIMESTAMP", func(v parquet.Value) any { return epochText(v.Int64(), unit, utc) }
	}
	if ct := t.ConvertedType(); ct != nil && (*ct == deprecated.TimestampMillis || *ct == deprecated.TimestampMicros) {
		unit := time.Millisecond
		if *ct == deprecated.TimestampMicros {
			unit = time.Microsecond
		}
		return "TIMESTAMP", func(v parquet.Value) any { return epochText(v.Int64(), unit, true) }
	}
	if _, ok := lt.(*format.DateType); ok {
		return "DATE", func(v parquet.Value) any {
			return formatTime(time.Unix(int64(v.Int32())*86400, 0).UTC(), false)
		}
	}
	switch t.Kind() {
	case parquet.Boolean:
		return "BOOLEAN", func(v parquet.Value) any { return v.Boolean() }
	case parquet.Int32:
		return "INTEGER", func(v parquet.Value) any { return int64(v.Int32()) }
	case parquet.Int64:
		return "INTEGER", func(v parquet.Value) any { return v.Int64() }
	case parquet.Int96:
		// Int96 is the legacy (pre-2.0 writers, old pandas) timestamp: nanoseconds
		// of the day in the low 64 bits, Julian day in the high 32.
		return "TIMESTAMP", func(v parquet.Value) any { return int96Text(v.Int96()) }
	case parquet.Float:
		return "REAL", func(v parquet.Value) any { return float64(v.Float()) }
	case parquet.Double:
		return "REAL", func(v parquet.Value) any { return v.Double() }
	}
	return "TEXT", func(v parquet.Value) any { return string(v.ByteArray()) }
}

// epochText formats a count of units since the Unix epoch. Timestamps
// adjusted to UTC get "+00:00"; local (naive) ones, like pixiv's, get none.
func epochText(n int64, unit time.Duration, utc bool) string {
	per := int64(time.Second / unit)
	sec, frac := n/per, n%per
	if frac < 0 {
		sec, frac = sec-1, frac+per
	}
	return formatTime(time.Unix(sec, frac*int64(unit)).UTC(), utc)
}

func int96Text(i deprecated.Int96) string {
	nanos := int64(uint64(i[1])<<32 | uint64(i[0]))
	days := int64(i[2]) - 2440588 // Julian day of 1970-01-01
	if days > math.MaxInt64/86400 || days < math.MinInt64/86400 {
		return ""
	}
	return formatTime(time.Unix(days*86400, nanos).UTC(), true)
}

// openParquet prepares r to read a tags.parquet file.
func (r *Reader) openParquet(overrides map[string]string) error {
	path := r.site.Path
	p, err := openPQ(r.ctx, path)
	if err != nil {
		return err
	}
	r.closers = append(r.closers, p.close)
	lay, ok := detect(p.cols, normalize.LanguageCode)
	if !ok {
		return unknownSchemaError(path, p.cols)
	}
	r.lay = lay
	r.posPrefix = "tags.parquet row "
	if err := r.loadParquetAliases(p, overrides); err != nil {
		return err
	}
	s, err := p.stream(lay.selectList())
	if err != nil {
		return err
	}
	r.rows = s
	return nil
}

func (r *Reader) loadParquetAliases(p *pqFile, overrides map[string]string) error {
	aliasPath := filepath.Join(filepath.Dir(p.path), aliasParquetFile)
	_, err := os.Stat(aliasPath)
	switch {
	case err == nil:
		return r.loadParquetPairs(aliasPath, overrides)
	case !errors.Is(err, fs.ErrNotExist):
		return err
	case r.lay.aliasID:
		return r.loadParquetAliasIDs(p, overrides)
	}
	return nil
}

// loadParquetPairs reads tag_aliases.parquet (alias, tag).
func (r *Reader) loadParquetPairs(path string, overrides map[string]string) error {
	a, err := openPQ(r.ctx, path)
	if err != nil {
		return err
	}
	defer a.close()
	if !hasColumn(a.cols, "alias") || !hasColumn(a.cols, "tag") {
		return fmt.Errorf("%s: columns (%s), want alias and tag", path, columnList(a.cols))
	}
	x := newAliasIndex(aliasParquetFile+" row ", true)
	if err := a.each([]string{"alias", "tag"}, "", func(n int64, vals []any) { r.addPair(x, n, vals[0], vals[1]) }); err != nil {
		return err
	}
	r.resolveAliases(x, overrides)
	return nil
}

// loadParquetAliasIDs resolves the anime-pictures alias id column in two
// passes: the rows that name an alias id, then the tags of those ids. Only
// the aliasing rows and their targets are held in memory.
func (r *Reader) loadParquetAliasIDs(p *pqFile, overrides map[string]string) error {
	if !hasColumn(p.cols, "id") {
		return fmt.Errorf("%s: tags has an alias column but no id column for it to point at", p.path)
	}
	type aliasing struct {
		n   int64
		tag any
		id  int64
	}
	var rows []aliasing
	need := map[int64][]any{}
	err := p.each([]string{r.lay.tag, "alias"}, "reading aliases ", func(n int64, vals []any) {
		if id, ok := wholeNumber(vals[1]); ok && id != 0 {
			rows = append(rows, aliasing{n, vals[0], id})
			need[id] = nil
		}
	})
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		err := p.each([]string{"id", r.lay.tag}, "reading aliases ", func(_ int64, vals []any) {
			if id, ok := wholeNumber(vals[0]); ok {
				if targets, wanted := need[id]; wanted {
					need[id] = append(targets, vals[1])
				}
			}
		})
		if err != nil {
			return err
		}
	}
	x := newAliasIndex("tags.parquet row ", false)
	for _, a := range rows {
		if len(need[a.id]) == 0 {
			r.skip(x.pos(a.n), "alias id "+strconv.FormatInt(a.id, 10)+" has no tags row")
		}
		for _, t := range need[a.id] {
			r.addPair(x, a.n, a.tag, t)
		}
	}
	r.resolveAliases(x, overrides)
	return nil
}

// wholeNumber reads an id cell.
func wholeNumber(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<62 {
			return int64(x), true
		}
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}
