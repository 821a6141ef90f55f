package tabular

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

// FuzzParquet feeds the Parquet reader mutations of valid files (each codec,
// lists, several row groups) and of files whose metadata claims more than
// they hold. Whatever the bytes, the reader returns rows or an error that
// names the file; it never panics, hangs or allocates without bound (an
// out-of-memory is fatal and would end the fuzzer).
func FuzzParquet(f *testing.F) {
	type row struct {
		SourceTag string   `parquet:"source_tag"`
		TypeID    int64    `parquet:"type_id"`
		Count     int64    `parquet:"count"`
		Aliases   []string `parquet:"deprecated_tags,list"`
		Ja        *string  `parquet:"ja,optional"`
	}
	ja := "魔女"
	rows := []row{{"witch", 0, 10, []string{"majo"}, &ja}, {"hat", 0, 3, nil, nil}, {"cat_ears", 0, 7, []string{"a", "b"}, nil}}
	for _, codec := range []parquet.WriterOption{
		parquet.Compression(&parquet.Uncompressed), parquet.Compression(&parquet.Snappy),
		parquet.Compression(&parquet.Gzip), parquet.Compression(&parquet.Zstd),
	} {
		var buf bytes.Buffer
		if err := parquet.Write(&buf, rows, codec, parquet.MaxRowsPerRowGroup(2)); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte("PAR1\x29\xfc\xff\xff\xff\xff\x07\x00\x08\x00\x00\x00PAR1")) // 2^31 schema elements
	f.Add([]byte("PAR1\x00\xff\xff\xff\xffPAR1"))                             // footer length 0xFFFFFFFF
	f.Add([]byte("PAR1PAR1"))
	const name = "fuzz.parquet"
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		src, err := newSource(ctx, Parquet, bytes.NewReader(data), int64(len(data)), nil, name,
			Options{Format: 1, Events: record.Discard{}, BatchSize: 64})
		if err == nil {
			defer src.Close()
			_, err = recordtest.ReadAll(src)
		}
		if err != nil && !strings.Contains(err.Error(), name) && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
