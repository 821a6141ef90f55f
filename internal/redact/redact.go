package redact

import (
	"bytes"
	"io"
	"sort"
	"strings"
	"sync"
)

// Mask is what a secret is replaced with.
const Mask = "***"

// minLen is the shortest secret that is masked: a shorter one would mask
// ordinary words and numbers all over the output, and no real token is that
// short.
const minLen = 4

// Redactor masks a fixed set of secrets. The zero value and nil mask
// nothing.
type Redactor struct {
	secrets []string // longest first, so a secret that contains another is masked whole
	r       *strings.Replacer
}

// New returns a Redactor for the non-empty secrets (duplicates and secrets
// shorter than four bytes are ignored).
func New(secrets ...string) *Redactor {
	seen := map[string]bool{}
	var s []string
	for _, x := range secrets {
		if len(x) >= minLen && !seen[x] {
			seen[x] = true
			s = append(s, x)
		}
	}
	sort.Slice(s, func(i, j int) bool { return len(s[i]) > len(s[j]) })
	rd := &Redactor{secrets: s}
	if len(s) > 0 {
		pairs := make([]string, 0, 2*len(s))
		for _, x := range s {
			pairs = append(pairs, x, Mask)
		}
		rd.r = strings.NewReplacer(pairs...)
	}
	return rd
}

// String returns s with every secret masked.
func (rd *Redactor) String(s string) string {
	if rd == nil || rd.r == nil {
		return s
	}
	return rd.r.Replace(s)
}

// Error returns err with every secret masked from its message; errors.Is and
// errors.As still see the original chain. nil stays nil.
func (rd *Redactor) Error(err error) error {
	if err == nil || rd == nil || rd.r == nil {
		return err
	}
	if msg := err.Error(); rd.String(msg) != msg {
		return &redacted{err: err, msg: rd.String(msg)}
	}
	return err
}

type redacted struct {
	err error
	msg string
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }

// Writer masks the secrets in everything written to it before passing it
// on. A write that ends with the start of a secret keeps that tail back
// until the next write shows whether the secret follows, so a secret split
// across two writes is masked too; Flush writes what is kept back.
type Writer struct {
	rd      *Redactor
	w       io.Writer
	mu      sync.Mutex
	pending []byte
}

// Writer wraps w. With no secrets it returns w itself.
func (rd *Redactor) Writer(w io.Writer) io.Writer {
	if rd == nil || rd.r == nil {
		return w
	}
	return &Writer{rd: rd, w: w}
}

func (x *Writer) Write(p []byte) (int, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	buf := []byte(x.rd.String(string(append(x.pending, p...))))
	keep := x.partialTail(buf)
	x.pending = append(x.pending[:0], buf[len(buf)-keep:]...)
	if _, err := x.w.Write(buf[:len(buf)-keep]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// partialTail is the length of the longest end of b that is the start (but
// not the whole) of a secret.
func (x *Writer) partialTail(b []byte) int {
	keep := 0
	for _, s := range x.rd.secrets {
		for n := min(len(s)-1, len(b)); n > keep; n-- {
			if bytes.HasSuffix(b, []byte(s[:n])) {
				keep = n
				break
			}
		}
	}
	return keep
}

// Unwrap returns the writer x writes to, so that a caller can still tell a
// terminal (progress.Detect).
func (x *Writer) Unwrap() io.Writer { return x.w }

// Flush writes the bytes kept back by the last write.
func (x *Writer) Flush() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.pending) == 0 {
		return nil
	}
	_, err := x.w.Write(x.pending)
	x.pending = x.pending[:0]
	return err
}
