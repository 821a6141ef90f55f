// Package pack turns a finished database into the files a release carries:
// the compressed DB (zstd, gzip or none), a SHA256SUMS file in the format
// `sha256sum -c` reads, and numbered parts when a file is too large to be one
// GitHub asset.
//
// Everything streams through fixed-size buffers, so memory stays flat however
// large the database grows. Files are written to a temporary name next to the
// destination and renamed into place only when complete, so a failed or
// cancelled run never leaves a truncated file under the final name.
//
// Joining parts back together is plain `cat`: see JoinCommand.
package pack
