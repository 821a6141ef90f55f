// Command packdb compresses one file the way `tagdb release` packages a
// database (release/pack.Compress with the release's default method, zstd in
// job mode on every core) and prints what bench/run.sh records: method,
// input and output bytes, seconds, MB/s of input and the output's sha256.
// It exists so the benchmark measures the real packaging code without a
// GitHub release; run it under /usr/bin/time -v for the CPU share.
//
//	go run ./bench/packdb [-method zstd|zstd-fast|gzip|none] SRC DST
package main
