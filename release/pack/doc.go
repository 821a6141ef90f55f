// Package pack turns a finished database into the files a release carries:
// the compressed DB (zstd, zstd-fast, gzip or none), a SHA256SUMS file in the
// format `sha256sum -c` reads, and numbered parts when a file is too large to
// be one GitHub asset.
//
// zstd output is one standard frame (any `zstd -d` reads it) compressed on
// every core, and byte-identical for the same input whatever the core count,
// so a rebuilt release has the same checksums (see zstdOptions). The
// SHA256SUMS line of the compressed file is computed while it is written.
//
// Everything streams through bounded buffers, so memory stays flat however
// large the database grows. Files are written to a temporary name next to the
// destination and renamed into place only when complete, so a failed or
// cancelled run never leaves a truncated file under the final name.
//
// Joining parts back together is plain `cat`: see JoinCommand.
package pack
