package pack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/tagdb/tagdb-action/internal/files"
)

// Method is a compression method for the published database.
type Method string

const (
	Zstd Method = "zstd" // zstd default level: the published default
	// ZstdFast is zstd's fastest level: same format and suffix, a file 3–4%
	// larger for 1.25–1.4× the speed (about 350 MB/s on both cores for the
	// 3.5 GB scale-1.0 tag database; see zstdOptions).
	ZstdFast Method = "zstd-fast"
	Gzip     Method = "gzip"
	None     Method = "none"
)

// DefaultMethod is what a release is packaged with when no method is named
// (ParseMethod(""), MakeBundle); bench/packdb measures it so the benchmark
// follows the release.
const DefaultMethod = Zstd

// ParseMethod reads a method name as the CLI and the action accept it. The
// empty string means DefaultMethod.
func ParseMethod(s string) (Method, error) {
	switch Method(strings.ToLower(strings.TrimSpace(s))) {
	case "":
		return DefaultMethod, nil
	case Zstd, "zst":
		return Zstd, nil
	case ZstdFast:
		return ZstdFast, nil
	case Gzip, "gz":
		return Gzip, nil
	case None:
		return None, nil
	}
	return "", fmt.Errorf("unknown compression %q (want zstd, zstd-fast, gzip or none)", s)
}

// Ext is the file-name suffix a method adds: ".zst", ".gz" or "".
func (m Method) Ext() string {
	switch m {
	case Zstd, ZstdFast:
		return ".zst"
	case Gzip:
		return ".gz"
	}
	return ""
}

// zstdWindow is the zstd window of a published stream. The encoder
// compresses sections of 4 windows (16 MiB) in parallel, so the window also
// sets the memory (about 165 MB resident against 320 MB with the library's
// 8 MiB default) and the single-core tail at the end of a file, while the
// ratio of a tag database stays the same (0.31625 against 0.31628 on the
// 3.5 GB scale-1.0 output: SQLite pages repeat little beyond a few MiB).
// It is set here rather than left to the library's per-level default
// because it is part of the bytes: a changed default would silently change
// every published checksum.
const zstdWindow = 4 << 20

// zstdOptions are the encoder settings of a published zstd stream: the
// level of m, a fixed window, a frame checksum (`zstd -d` verifies it), and
// job mode on every core.
//
// Job mode (WithConcurrentBlocks) cuts the input into fixed 16 MiB sections,
// each primed with the last window/8 of the previous one and compressed by
// its own worker; the results are written in order as the blocks of one
// standard frame. It keeps both cores busy: ≈195% CPU and 255 MB/s on the
// 3.5 GB scale-1.0 output (idle machine, input in the page cache). The plain
// stream encoder only overlaps the matching of one block with the entropy
// coding of the previous one: ≈145% CPU and 185 MB/s on a 345 MB database.
// The input needs no read-ahead goroutine of its own: ReadFrom fills the
// next section while the workers compress the previous ones.
//
// Section boundaries depend only on input offsets, so the bytes are the
// same whatever the worker count or scheduling — but only in job mode,
// which the library turns off below a concurrency of two; hence the floor,
// so that a one-core runner publishes the same asset and checksum.
func zstdOptions(m Method) []zstd.EOption {
	level := zstd.SpeedDefault
	if m == ZstdFast {
		level = zstd.SpeedFastest
	}
	return []zstd.EOption{
		zstd.WithEncoderLevel(level),
		zstd.WithWindowSize(zstdWindow),
		zstd.WithEncoderCRC(true),
		zstd.WithEncoderConcurrency(max(2, runtime.GOMAXPROCS(0))),
		zstd.WithConcurrentBlocks(true),
	}
}

// File is one file ready to publish.
type File struct {
	Path   string // where it is on disk
	Name   string // the asset name it is published under
	Size   int64
	SHA256 string // lower-case hex
}

// bufSize is the copy buffer: large enough that syscalls do not dominate,
// small enough that memory is flat.
const bufSize = 1 << 20

// Compress writes src compressed with m to dst and returns dst's size and
// sha256, computed while writing so the output is never read twice. dst only
// appears once it is complete. For None, dst is a plain copy.
func Compress(ctx context.Context, src, dst string, m Method) (File, error) {
	in, err := os.Open(src)
	if err != nil {
		return File{}, fmt.Errorf("compress: %w", err)
	}
	defer in.Close()

	out, err := files.Create(dst, 0o600)
	if err != nil {
		return File{}, fmt.Errorf("compress %s: %w", src, err)
	}
	defer out.Abort()

	sum := sha256.New()
	counted := &countWriter{w: io.MultiWriter(out, sum)}
	r := ctxReader{ctx: ctx, r: in}

	switch m {
	case Zstd, ZstdFast:
		enc, err := zstd.NewWriter(counted, zstdOptions(m)...)
		if err != nil {
			return File{}, fmt.Errorf("compress %s: %w", src, err)
		}
		if _, err := enc.ReadFrom(r); err != nil {
			enc.Close()
			return File{}, fmt.Errorf("compress %s: %w", src, err)
		}
		if err := enc.Close(); err != nil {
			return File{}, fmt.Errorf("compress %s: %w", src, err)
		}
	case Gzip:
		zw := gzip.NewWriter(counted)
		if _, err := io.CopyBuffer(zw, r, make([]byte, bufSize)); err != nil {
			return File{}, fmt.Errorf("compress %s: %w", src, err)
		}
		if err := zw.Close(); err != nil {
			return File{}, fmt.Errorf("compress %s: %w", src, err)
		}
	case None:
		if _, err := io.CopyBuffer(counted, r, make([]byte, bufSize)); err != nil {
			return File{}, fmt.Errorf("copy %s: %w", src, err)
		}
	default:
		return File{}, fmt.Errorf("compress %s: unknown method %q", src, m)
	}
	if err := out.Commit(); err != nil {
		return File{}, fmt.Errorf("compress %s: %w", src, err)
	}
	return File{Path: dst, Name: filepath.Base(dst), Size: counted.n, SHA256: hex.EncodeToString(sum.Sum(nil))}, nil
}

// Decompress reverses Compress: it writes src decompressed with m to dst
// and returns dst's size and sha256, computed while writing. dst only
// appears once it is complete. The method is chosen from m, not guessed from
// the name.
func Decompress(ctx context.Context, src, dst string, m Method) (File, error) {
	in, err := os.Open(src)
	if err != nil {
		return File{}, fmt.Errorf("decompress: %w", err)
	}
	defer in.Close()
	out, err := files.Create(dst, 0o600)
	if err != nil {
		return File{}, fmt.Errorf("decompress %s: %w", src, err)
	}
	defer out.Abort()
	var r io.Reader
	switch m {
	case Zstd, ZstdFast:
		dec, err := zstd.NewReader(in, zstd.WithDecoderConcurrency(0))
		if err != nil {
			return File{}, fmt.Errorf("decompress %s: %w", src, err)
		}
		defer dec.Close()
		r = dec
	case Gzip:
		zr, err := gzip.NewReader(in)
		if err != nil {
			return File{}, fmt.Errorf("decompress %s: %w", src, err)
		}
		defer zr.Close()
		r = zr
	case None:
		r = in
	default:
		return File{}, fmt.Errorf("decompress %s: unknown method %q", src, m)
	}
	sum := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(out, sum), ctxReader{ctx: ctx, r: r}, make([]byte, bufSize))
	if err != nil {
		return File{}, fmt.Errorf("decompress %s: %w", src, err)
	}
	if err := out.Commit(); err != nil {
		return File{}, fmt.Errorf("decompress %s: %w", src, err)
	}
	return File{Path: dst, Name: filepath.Base(dst), Size: n, SHA256: hex.EncodeToString(sum.Sum(nil))}, nil
}

// MethodFromName guesses the method from an asset name's suffix (".zst",
// ".gz", anything else: none).
func MethodFromName(name string) Method {
	switch {
	case strings.HasSuffix(name, ".zst"):
		return Zstd
	case strings.HasSuffix(name, ".gz"):
		return Gzip
	}
	return None
}

// HashFile returns path's size and sha256, published under its base name.
func HashFile(ctx context.Context, path string) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return File{}, fmt.Errorf("hash: %w", err)
	}
	defer f.Close()
	sum := sha256.New()
	n, err := io.CopyBuffer(sum, ctxReader{ctx: ctx, r: f}, make([]byte, bufSize))
	if err != nil {
		return File{}, fmt.Errorf("hash %s: %w", path, err)
	}
	return File{Path: path, Name: filepath.Base(path), Size: n, SHA256: hex.EncodeToString(sum.Sum(nil))}, nil
}

// Split cuts src into parts of at most partSize bytes, written to dir as
// <base>.part001, <base>.part002, ... All part numbers have the same width
// so that the shell's sorted glob in JoinCommand puts them back in order.
func Split(ctx context.Context, src, dir string, partSize int64) ([]File, error) {
	if partSize <= 0 {
		return nil, fmt.Errorf("split %s: part size must be positive, got %d", src, partSize)
	}
	in, err := os.Open(src)
	if err != nil {
		return nil, fmt.Errorf("split: %w", err)
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return nil, fmt.Errorf("split %s: %w", src, err)
	}
	n := (st.Size() + partSize - 1) / partSize
	if n == 0 {
		n = 1 // an empty file still becomes one (empty) part
	}
	width := len(fmt.Sprint(n))
	base := filepath.Base(src)
	r := ctxReader{ctx: ctx, r: in}
	buf := make([]byte, bufSize)
	var parts []File
	for i := int64(1); i <= n; i++ {
		name := PartName(base, i, width)
		p, err := writePart(filepath.Join(dir, name), io.LimitReader(r, partSize), buf)
		if err != nil {
			return nil, fmt.Errorf("split %s: part %d: %w", src, i, err)
		}
		parts = append(parts, p)
	}
	return parts, nil
}

func writePart(dst string, r io.Reader, buf []byte) (File, error) {
	out, err := files.Create(dst, 0o600)
	if err != nil {
		return File{}, err
	}
	defer out.Abort()
	sum := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(out, sum), r, buf)
	if err != nil {
		return File{}, err
	}
	if err := out.Commit(); err != nil {
		return File{}, err
	}
	return File{Path: dst, Name: filepath.Base(dst), Size: n, SHA256: hex.EncodeToString(sum.Sum(nil))}, nil
}

// JoinCommand is the documented way to rebuild a split asset, printed in
// release notes and logs: the parts' names sort in order, so a glob works.
func JoinCommand(name string) string {
	return fmt.Sprintf("cat %s%s* > %s", name, partSep, name)
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ctxReader stops a long copy when the context is cancelled; the check per
// read is cheap next to a 1 MiB read.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
