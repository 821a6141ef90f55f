// Package parquetcheck opens Parquet files that came from outside. parquet-go
// trusts every size a file states: the footer length, the element counts of
// the thrift lists in the metadata, a column chunk's offsets, a page's
// compressed and uncompressed sizes. A file of a few bytes can therefore make
// it allocate gigabytes, and Go's "fatal error: out of memory" cannot be
// recovered. Open checks each of those sizes against the file's size and the
// documented caps below before parquet-go reads anything it would allocate
// for, and decompresses every page once with a bounded reader, so the reads
// that follow allocate no more than the caps allow.
package parquetcheck
