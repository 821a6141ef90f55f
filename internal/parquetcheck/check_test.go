package parquetcheck

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"

	_ "github.com/tagdb/tagdb-action/internal/golden"
)

// HostileFile builds a file "PAR1" + footer + length + "PAR1"; length < 0
// writes len(footer).
func HostileFile(footer []byte, length int64) []byte {
	if length < 0 {
		length = int64(len(footer))
	}
	b := append([]byte("PAR1"), footer...)
	b = binary.LittleEndian.AppendUint32(b, uint32(length))
	return append(b, "PAR1"...)
}

// hostileFooters are thrift FileMetaData encodings that claim more than they
// hold. 0x29 is field 2 (schema) of type list; 0x49 field 4 (row_groups).
func hostileFooters() map[string][]byte {
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0x07} // 2^31-1 as a varint
	return map[string][]byte{
		"schema list of 2^31 structs": append(append([]byte{0x29, 0xfc}, huge...), 0),
		"row group list of 2^31":      append(append([]byte{0x15, 0x02, 0x39, 0xfc}, huge...), 0),
		"binary of 2^31 bytes":        append(append([]byte{0x15, 0x02, 0x18}, huge...), 0),
		"map of 2^31 pairs":           append(append([]byte{0x1b}, huge...), 0x88, 0),
		"list of 15 in 3 bytes":       {0x29, 0xfc, 0x0f, 0x00},
		"deep nesting":                append(bytes.Repeat([]byte{0x1c}, 10000), 0),
		"varint of 11 bytes":          append([]byte{0x15}, bytes.Repeat([]byte{0xff}, 11)...),
		"truncated struct":            {0x15, 0x02},
	}
}

func TestOpenRefusesHostileFooters(t *testing.T) {
	cases := map[string]struct {
		file []byte
		want string
	}{
		"empty":                      {nil, "too short"},
		"magic only":                 {[]byte("PAR1PAR1"), "too short"},
		"wrong magic":                {[]byte("PAR1\x00\x00\x00\x00\x01\x00\x00\x00PAR2"), "magic"},
		"encrypted":                  {[]byte("PARE\x00\x00\x00\x00\x01\x00\x00\x00PARE"), "magic"},
		"footer length 0":            {HostileFile([]byte{0}, 0), "footer length 0"},
		"footer length FFFFFFFF":     {HostileFile([]byte{0}, 0xFFFFFFFF), "footer length 4294967295 does not fit"},
		"footer length size-11":      {HostileFile([]byte{0}, 2), "does not fit"},
		"footer with trailing bytes": {HostileFile([]byte{0, 0, 0}, -1), "ends at byte 1 of 3"},
	}
	for name, f := range hostileFooters() {
		cases[name] = struct {
			file []byte
			want string
		}{HostileFile(f, -1), "footer metadata"}
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Open(context.Background(), bytes.NewReader(tc.file), int64(len(tc.file)))
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Open = %v, want an error containing %q", err, tc.want)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("refusing a %d-byte file allocated %d bytes", len(tc.file), n)
			}
		})
	}
}

// TestOpenValid: files parquet-go writes, with every codec Open checks, open
// and read back.
func TestOpenValid(t *testing.T) {
	type row struct {
		Tag   string   `parquet:"tag"`
		Count int64    `parquet:"count"`
		Other []string `parquet:"other"`
	}
	rows := make([]row, 5000)
	for i := range rows {
		rows[i] = row{Tag: strings.Repeat("t", i%50), Count: int64(i), Other: []string{"a", "b"}}
	}
	for _, codec := range []parquet.WriterOption{
		parquet.Compression(&parquet.Uncompressed), parquet.Compression(&parquet.Snappy),
		parquet.Compression(&parquet.Gzip), parquet.Compression(&parquet.Zstd),
	} {
		var buf bytes.Buffer
		if err := parquet.Write(&buf, rows, codec, parquet.PageBufferSize(4096), parquet.MaxRowsPerRowGroup(1000)); err != nil {
			t.Fatal(err)
		}
		pf, err := Open(context.Background(), bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if pf.NumRows() != int64(len(rows)) || len(pf.RowGroups()) != 5 {
			t.Fatalf("%d rows in %d groups", pf.NumRows(), len(pf.RowGroups()))
		}
	}
}

// TestOpenCancelled: the checks stop between row groups.
func TestOpenCancelled(t *testing.T) {
	var buf bytes.Buffer
	if err := parquet.Write(&buf, []struct{ A int64 }{{1}, {2}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Open(ctx, bytes.NewReader(buf.Bytes()), int64(buf.Len())); err != context.Canceled {
		t.Fatalf("Open = %v, want context.Canceled", err)
	}
}

// page builds a column chunk of one data page at byte 4 of a fake file.
func page(t *testing.T, h format.PageHeader, data []byte) ([]byte, format.ColumnMetaData) {
	hb, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
	if err != nil {
		t.Fatal(err)
	}
	file := append(append([]byte("PAR1"), hb...), data...)
	m := format.ColumnMetaData{DataPageOffset: 4, TotalCompressedSize: int64(len(hb) + len(data)), PathInSchema: []string{"tag"}}
	return append(file, "footer.."...), m
}

func bombs(t *testing.T) map[format.CompressionCodec][]byte {
	zeros := make([]byte, 64<<20)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(zeros)
	w.Close()
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return map[format.CompressionCodec][]byte{
		format.Gzip:   gz.Bytes(),
		format.Zstd:   enc.EncodeAll(zeros, nil),
		format.Snappy: snappy.Encode(nil, zeros[:8<<20]),
	}
}

// TestPageChecks: each page rule, for each codec where it applies.
func TestPageChecks(t *testing.T) {
	for codec, bomb := range bombs(t) {
		for name, tc := range map[string]struct {
			h    format.PageHeader
			data []byte
			want string
		}{
			"decompresses past its header": {format.PageHeader{Type: format.DataPage, UncompressedPageSize: 1000, CompressedPageSize: int32(len(bomb)),
				DataPageHeader: thrift.New(format.DataPageHeader{NumValues: 10})}, bomb, "decompresses to more than the 1000 bytes"},
			"claims 2 GiB uncompressed": {format.PageHeader{Type: format.DataPage, UncompressedPageSize: 1<<31 - 1, CompressedPageSize: int32(len(bomb)),
				DataPageHeader: thrift.New(format.DataPageHeader{NumValues: 10})}, bomb, "over the cap"},
			"compressed size past the chunk": {format.PageHeader{Type: format.DataPage, UncompressedPageSize: 10, CompressedPageSize: int32(len(bomb)) + 1,
				DataPageHeader: thrift.New(format.DataPageHeader{NumValues: 10})}, bomb, "runs past its column chunk"},
			"v2 levels past the page": {format.PageHeader{Type: format.DataPageV2, UncompressedPageSize: 10, CompressedPageSize: int32(len(bomb)),
				DataPageHeaderV2: thrift.New(format.DataPageHeaderV2{NumValues: 1, DefinitionLevelsByteLength: 1 << 30})}, bomb, "level bytes"},
			"dictionary decompresses past its header": {format.PageHeader{Type: format.DictionaryPage, UncompressedPageSize: 1000, CompressedPageSize: int32(len(bomb)),
				DictionaryPageHeader: thrift.New(format.DictionaryPageHeader{NumValues: 1})}, bomb, "decompresses to more than"},
		} {
			t.Run(codec.String()+"/"+name, func(t *testing.T) {
				file, m := page(t, tc.h, tc.data)
				m.Codec = codec
				c := chunkChecker{r: bytes.NewReader(file), end: int64(len(file)) - 8}
				defer c.close()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				err := c.check(&m)
				runtime.ReadMemStats(&after)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("check = %v, want an error containing %q", err, tc.want)
				}
				if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
					t.Errorf("checking the page allocated %d bytes", n)
				}
			})
		}
	}
	t.Run("run-length values past the allowance", func(t *testing.T) {
		for _, values := range []int32{1<<31 - 1, 8*100 + maxPageValues + 1} {
			file, m := page(t, format.PageHeader{Type: format.DataPage, UncompressedPageSize: 100, CompressedPageSize: 100,
				DataPageHeader: thrift.New(format.DataPageHeader{NumValues: values})}, make([]byte, 100))
			c := chunkChecker{r: bytes.NewReader(file), end: int64(len(file)) - 8}
			if err := c.check(&m); err == nil || !strings.Contains(err.Error(), "allowance") {
				t.Errorf("%d values: check = %v", values, err)
			}
		}
		file, m := page(t, format.PageHeader{Type: format.DataPage, UncompressedPageSize: 100, CompressedPageSize: 100,
			DataPageHeader: thrift.New(format.DataPageHeader{NumValues: 8*100 + maxPageValues})}, make([]byte, 100))
		c := chunkChecker{r: bytes.NewReader(file), end: int64(len(file)) - 8}
		if err := c.check(&m); err != nil {
			t.Errorf("values at the allowance: %v", err)
		}
	})
	t.Run("chunk outside the file", func(t *testing.T) {
		c := chunkChecker{r: bytes.NewReader(make([]byte, 100)), end: 92}
		for _, m := range []format.ColumnMetaData{
			{Codec: format.Snappy, DataPageOffset: 0, TotalCompressedSize: 10},
			{Codec: format.Snappy, DataPageOffset: 50, TotalCompressedSize: 43},
			{Codec: format.Snappy, DataPageOffset: 50, TotalCompressedSize: -1},
			{Codec: format.Snappy, DataPageOffset: 1 << 62, TotalCompressedSize: 1 << 62},
		} {
			if err := c.check(&m); err == nil || !strings.Contains(err.Error(), "outside the file's data") {
				t.Errorf("check(%+v) = %v", m, err)
			}
		}
		m := format.ColumnMetaData{Codec: format.Brotli, DataPageOffset: 4, TotalCompressedSize: 10}
		if err := c.check(&m); err == nil || !strings.Contains(err.Error(), "compression BROTLI is not read") {
			t.Errorf("brotli: %v", err)
		}
	})
}
