// Command packdb compresses one file the way `tagdb release` packages a
// database (release/pack, zstd on every core) and prints what bench/run.sh
// records: input and output bytes, seconds and MB/s. It exists so the
// benchmark measures the real packaging code without a GitHub release.
//
//	go run ./bench/packdb SRC DST
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/tagdb/tagdb-action/release/pack"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: packdb SRC DST")
		os.Exit(2)
	}
	src, dst := os.Args[1], os.Args[2]
	st, err := os.Stat(src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "packdb:", err)
		os.Exit(1)
	}
	start := time.Now()
	f, err := pack.Compress(context.Background(), src, dst, pack.Zstd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "packdb:", err)
		os.Exit(1)
	}
	sec := time.Since(start).Seconds()
	fmt.Printf("in_bytes=%d out_bytes=%d seconds=%.3f mb_per_s=%.1f sha256=%s\n",
		st.Size(), f.Size, sec, float64(st.Size())/1e6/sec, f.SHA256)
}
