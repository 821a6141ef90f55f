package parquetcheck

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// The caps. Real inputs (pandas/pyarrow and HF datasets exports) have footers
// of kilobytes and pages of about 1 MiB; the caps leave a wide margin while
// keeping the worst case a few hundred MiB.
const (
	// MaxFooter is the largest footer (file metadata) read.
	MaxFooter = 16 << 20
	// MaxMetadataAlloc bounds what decoding the footer or a page header may
	// allocate, as the walker estimates it from the claimed element counts.
	MaxMetadataAlloc = 256 << 20
	// MaxPage is the largest compressed or uncompressed page.
	MaxPage = 64 << 20
	// maxPageHeader is the largest page header (statistics included).
	maxPageHeader = 1 << 20
	// maxPageValues bounds a column chunk's values beyond what its pages'
	// bytes can hold bit-packed: run-length levels can claim millions of
	// nulls in a few bytes, and parquet-go allocates the levels (and a row
	// the values) for all of them.
	maxPageValues = 1 << 20
)

var magic = []byte("PAR1")

// Open checks the Parquet file in r (size bytes) and opens it. The error says
// what is wrong and where, without the file name, which the caller adds.
func Open(ctx context.Context, r io.ReaderAt, size int64) (*parquet.File, error) {
	if size < 12 {
		return nil, fmt.Errorf("%d bytes is too short for a Parquet file (magic, footer length, magic)", size)
	}
	var head, tail [8]byte
	if _, err := r.ReadAt(head[:4], 0); err != nil {
		return nil, err
	}
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return nil, err
	}
	if !bytes.Equal(head[:4], magic) || !bytes.Equal(tail[4:], magic) {
		return nil, errors.New(`no "PAR1" magic at the start and end (encrypted Parquet files are not read)`)
	}
	footerLen := int64(binary.LittleEndian.Uint32(tail[:4]))
	if footerLen == 0 || footerLen > size-12 {
		return nil, fmt.Errorf("footer length %d does not fit in the file (%d bytes)", footerLen, size)
	}
	if footerLen > MaxFooter {
		return nil, fmt.Errorf("footer length %d is over the cap of %d bytes", footerLen, MaxFooter)
	}
	footer := make([]byte, footerLen)
	if _, err := r.ReadAt(footer, size-8-footerLen); err != nil {
		return nil, err
	}
	n, err := structLen(footer, MaxMetadataAlloc)
	if err != nil {
		return nil, fmt.Errorf("footer metadata: %w", err)
	}
	if int64(n) != footerLen {
		return nil, fmt.Errorf("footer metadata ends at byte %d of %d", n, footerLen)
	}
	var meta format.FileMetaData
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), footer, &meta); err != nil {
		return nil, fmt.Errorf("footer metadata: %w", err)
	}
	c := chunkChecker{r: r, end: size - 8 - footerLen}
	defer c.close()
	for g, rg := range meta.RowGroups {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := range rg.Columns {
			if err := c.check(&rg.Columns[i].MetaData); err != nil {
				return nil, fmt.Errorf("row group %d, column %q: %w", g, columnName(&rg.Columns[i].MetaData), err)
			}
		}
	}
	return openFile(r, size)
}

// openFile leaves out the page index and bloom filters, which the readers do
// not use and whose offsets would be more sizes to trust. parquet-go can
// still panic on metadata that is consistent in size but not in meaning (a
// schema whose counts do not add up); that becomes an error.
func openFile(r io.ReaderAt, size int64) (pf *parquet.File, err error) {
	defer func() {
		if v := recover(); v != nil {
			pf, err = nil, fmt.Errorf("inconsistent metadata: %v", v)
		}
	}()
	return parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
}

func columnName(m *format.ColumnMetaData) string {
	name := ""
	for i, p := range m.PathInSchema {
		if i > 0 {
			name += "."
		}
		name += p
	}
	return name
}

// chunkChecker walks the pages of column chunks.
type chunkChecker struct {
	r   io.ReaderAt
	end int64 // where the footer starts: no page may reach past it
	buf []byte
	zr  *zstd.Decoder
	// slack is what is left of the chunk's allowance of values beyond 8
	// per byte: a row can span the pages of a chunk, so the bound is per
	// chunk, not per page.
	slack int64
}

func (c *chunkChecker) check(m *format.ColumnMetaData) error {
	switch m.Codec {
	case format.Uncompressed, format.Snappy, format.Gzip, format.Zstd:
	default:
		return fmt.Errorf("compression %s is not read (only uncompressed, SNAPPY, GZIP and ZSTD pages can be checked before decoding)", m.Codec)
	}
	start := m.DataPageOffset
	if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
		start = m.DictionaryPageOffset
	}
	if start < 4 || m.TotalCompressedSize < 0 || m.TotalCompressedSize > c.end-start {
		return fmt.Errorf("pages at bytes %d to %d+%d are outside the file's data (4 to %d)", start, start, m.TotalCompressedSize, c.end)
	}
	end := start + m.TotalCompressedSize
	c.slack = maxPageValues
	for pos := start; pos < end; {
		n, err := c.page(m.Codec, pos, end)
		if err != nil {
			return fmt.Errorf("page at byte %d: %w", pos, err)
		}
		pos += n
	}
	return nil
}

func (c *chunkChecker) close() {
	if c.zr != nil {
		c.zr.Close()
	}
}

// page checks the page at pos and returns its length with its header.
func (c *chunkChecker) page(codec format.CompressionCodec, pos, end int64) (int64, error) {
	hb := c.read(pos, min(end-pos, maxPageHeader))
	if hb == nil {
		return 0, errors.New("cannot read the page header")
	}
	hn, err := structLen(hb, MaxMetadataAlloc)
	if err != nil {
		return 0, fmt.Errorf("page header: %w", err)
	}
	var h format.PageHeader
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), hb[:hn], &h); err != nil {
		return 0, fmt.Errorf("page header: %w", err)
	}
	comp, uncomp := int64(h.CompressedPageSize), int64(h.UncompressedPageSize)
	switch {
	case comp < 0 || comp > end-pos-int64(hn):
		return 0, fmt.Errorf("compressed size %d runs past its column chunk", comp)
	case comp > MaxPage || uncomp > MaxPage:
		return 0, fmt.Errorf("page of %d bytes (%d uncompressed) is over the cap of %d bytes", comp, uncomp, MaxPage)
	case uncomp < 0:
		return 0, fmt.Errorf("uncompressed size %d", uncomp)
	}
	values, levels, compressed := int64(0), int64(0), codec != format.Uncompressed
	switch {
	case h.DataPageHeader.Valid:
		values = int64(h.DataPageHeader.V.NumValues)
	case h.DataPageHeaderV2.Valid:
		v := h.DataPageHeaderV2.V
		values = max(int64(v.NumValues), int64(v.NumRows))
		levels = int64(v.RepetitionLevelsByteLength) + int64(v.DefinitionLevelsByteLength)
		compressed = compressed && (!v.IsCompressed.Valid || v.IsCompressed.V)
		if levels < 0 || levels > comp || levels > uncomp {
			return 0, fmt.Errorf("level bytes %d do not fit in the page", levels)
		}
	case h.DictionaryPageHeader.Valid:
		values = int64(h.DictionaryPageHeader.V.NumValues)
	}
	actual := comp // what the page holds once decompressed
	if compressed {
		data := c.read(pos+int64(hn), comp)
		if data == nil {
			return 0, errors.New("cannot read the page data")
		}
		got, err := c.decodedLen(codec, data[levels:], uncomp-levels)
		if err != nil {
			return 0, fmt.Errorf("decompressing: %w", err)
		}
		if got > uncomp-levels {
			return 0, fmt.Errorf("decompresses to more than the %d bytes its header states", uncomp)
		}
		actual = levels + got
	}
	// Bit-packed, a byte holds 8 values; beyond that only run-length runs
	// (a column of nulls) add values, and those share a per-chunk allowance.
	if values < 0 {
		return 0, fmt.Errorf("%d values", values)
	}
	if extra := values - 8*actual; extra > 0 {
		c.slack -= extra
		if c.slack < 0 {
			return 0, fmt.Errorf("%d values in a page of %d bytes: more than the column chunk's allowance of %d run-length values", values, actual, maxPageValues)
		}
	}
	return int64(hn) + comp, nil
}

// read returns n bytes at off in a reused buffer, nil if they cannot be read.
func (c *chunkChecker) read(off, n int64) []byte {
	if int64(cap(c.buf)) < n {
		c.buf = make([]byte, n)
	}
	b := c.buf[:n]
	if _, err := c.r.ReadAt(b, off); err != nil && !(errors.Is(err, io.EOF) && n == 0) {
		return nil
	}
	return b
}

// decodedLen decompresses src, stopping after limit+1 bytes, and returns
// how many bytes it produced. Nothing is kept: the output goes to io.Discard,
// so a page that expands to gigabytes costs only the time to find out.
func (c *chunkChecker) decodedLen(codec format.CompressionCodec, src []byte, limit int64) (int64, error) {
	var r io.Reader
	switch codec {
	case format.Snappy:
		// The block format states its length first; snappy.Decode allocates it.
		n, err := snappy.DecodedLen(src)
		return int64(n), err
	case format.Gzip:
		zr, err := gzip.NewReader(bytes.NewReader(src))
		if err != nil {
			return 0, err
		}
		r = zr
	case format.Zstd:
		if c.zr == nil {
			zr, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(MaxPage), zstd.WithDecoderLowmem(true))
			if err != nil {
				return 0, err
			}
			c.zr = zr
		}
		if err := c.zr.Reset(bytes.NewReader(src)); err != nil {
			return 0, err
		}
		r = c.zr
	}
	return io.Copy(io.Discard, io.LimitReader(r, limit+1))
}
