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
)

// Method is a compression method for the published database.
type Method string

const (
	Zstd Method = "zstd" // zstd default level: the published default
	// ZstdFast is zstd's fastest level: about 2.5–3× the speed for a file
	// 1.5% larger on a tag-shaped SQLite file (BenchmarkCompress); same
	// format and suffix.
	ZstdFast Method = "zstd-fast"
	Gzip     Method = "gzip"
	None     Method = "none"
)

// ParseMethod reads a method name as the CLI and the action accept it. The
// empty string means the default, zstd.
func ParseMethod(s string) (Method, error) {
	switch Method(strings.ToLower(strings.TrimSpace(s))) {
	case "", Zstd, "zst":
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

	out, err := newAtomicFile(dst)
	if err != nil {
		return File{}, fmt.Errorf("compress %s: %w", src, err)
	}
	defer out.abort()

	sum := sha256.New()
	counted := &countWriter{w: io.MultiWriter(out.f, sum)}
	r := ctxReader{ctx: ctx, r: in}

	switch m {
	case Zstd, ZstdFast:
		level := zstd.SpeedDefault
		if m == ZstdFast {
			level = zstd.SpeedFastest
		}
		// Concurrent blocks cut the stream into fixed 32 MiB jobs (window×4)
		// compressed on every core at once; a plain stream encoder keeps
		// at most two goroutines busy whatever the core count. The jobs
		// cost memory: about 280 MB resident, flat however large the DB.
		// Job boundaries depend only on input offsets, so the bytes are
		// the same on any machine — but only while the job mode is on,
		// which needs a concurrency of at least two, hence the floor: the
		// same DB gives the same asset and checksum on a one-core runner.
		enc, err := zstd.NewWriter(counted,
			zstd.WithEncoderConcurrency(max(2, runtime.GOMAXPROCS(0))),
			zstd.WithConcurrentBlocks(true),
			zstd.WithEncoderLevel(level))
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
	if err := out.commit(); err != nil {
		return File{}, fmt.Errorf("compress %s: %w", src, err)
	}
	return File{Path: dst, Name: filepath.Base(dst), Size: counted.n, SHA256: hex.EncodeToString(sum.Sum(nil))}, nil
}

// Decompress reverses Compress (used to check a downloaded base DB and by
// tests). The method is chosen from m, not guessed from the name.
func Decompress(ctx context.Context, src, dst string, m Method) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("decompress: %w", err)
	}
	defer in.Close()
	out, err := newAtomicFile(dst)
	if err != nil {
		return fmt.Errorf("decompress %s: %w", src, err)
	}
	defer out.abort()
	var r io.Reader
	switch m {
	case Zstd, ZstdFast:
		dec, err := zstd.NewReader(in, zstd.WithDecoderConcurrency(0))
		if err != nil {
			return fmt.Errorf("decompress %s: %w", src, err)
		}
		defer dec.Close()
		r = dec
	case Gzip:
		zr, err := gzip.NewReader(in)
		if err != nil {
			return fmt.Errorf("decompress %s: %w", src, err)
		}
		defer zr.Close()
		r = zr
	case None:
		r = in
	default:
		return fmt.Errorf("decompress %s: unknown method %q", src, m)
	}
	if _, err := io.CopyBuffer(out.f, ctxReader{ctx: ctx, r: r}, make([]byte, bufSize)); err != nil {
		return fmt.Errorf("decompress %s: %w", src, err)
	}
	if err := out.commit(); err != nil {
		return fmt.Errorf("decompress %s: %w", src, err)
	}
	return nil
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
	width := max(3, len(fmt.Sprint(n)))
	base := filepath.Base(src)
	r := ctxReader{ctx: ctx, r: in}
	buf := make([]byte, bufSize)
	var parts []File
	for i := int64(1); i <= n; i++ {
		name := fmt.Sprintf("%s.part%0*d", base, width, i)
		p, err := writePart(filepath.Join(dir, name), io.LimitReader(r, partSize), buf)
		if err != nil {
			return nil, fmt.Errorf("split %s: part %d: %w", src, i, err)
		}
		parts = append(parts, p)
	}
	return parts, nil
}

func writePart(dst string, r io.Reader, buf []byte) (File, error) {
	out, err := newAtomicFile(dst)
	if err != nil {
		return File{}, err
	}
	defer out.abort()
	sum := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(out.f, sum), r, buf)
	if err != nil {
		return File{}, err
	}
	if err := out.commit(); err != nil {
		return File{}, err
	}
	return File{Path: dst, Name: filepath.Base(dst), Size: n, SHA256: hex.EncodeToString(sum.Sum(nil))}, nil
}

// JoinCommand is the documented way to rebuild a split asset, printed in
// release notes and logs: the parts' names sort in order, so a glob works.
func JoinCommand(name string) string {
	return fmt.Sprintf("cat %s.part* > %s", name, name)
}

// atomicFile is a temporary file next to its destination that is renamed into
// place by commit and removed by abort (a no-op after commit).
type atomicFile struct {
	f    *os.File
	dst  string
	done bool
}

func newAtomicFile(dst string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &atomicFile{f: f, dst: dst}, nil
}

func (a *atomicFile) commit() error {
	if err := a.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(a.f.Name(), a.dst); err != nil {
		os.Remove(a.f.Name())
		return err
	}
	a.done = true
	return nil
}

func (a *atomicFile) abort() {
	if a.done {
		return
	}
	a.f.Close()
	os.Remove(a.f.Name())
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
