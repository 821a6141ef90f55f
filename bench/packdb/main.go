package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tagdb/tagdb-action/release/pack"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "packdb:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("packdb", flag.ContinueOnError)
	fs.SetOutput(stderr)
	method := fs.String("method", "", "compression method (default: the release default, "+string(pack.DefaultMethod)+")")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: packdb [-method zstd|zstd-fast|gzip|none] SRC DST")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return fmt.Errorf("want SRC and DST, got %d arguments", fs.NArg())
	}
	m, err := pack.ParseMethod(*method)
	if err != nil {
		return fmt.Errorf("-method: %w", err)
	}
	src, dst := fs.Arg(0), fs.Arg(1)
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	start := time.Now()
	f, err := pack.Compress(context.Background(), src, dst, m)
	if err != nil {
		return err
	}
	sec := time.Since(start).Seconds()
	fmt.Fprintf(stdout, "method=%s in_bytes=%d out_bytes=%d seconds=%.3f mb_per_s=%.1f sha256=%s\n",
		m, st.Size(), f.Size, sec, float64(st.Size())/1e6/sec, f.SHA256)
	return nil
}
