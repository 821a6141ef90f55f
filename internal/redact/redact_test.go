package redact

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"

	_ "github.com/tagdb/tagdb-action/internal/golden"
)

func TestString(t *testing.T) {
	rd := New("ghp_secret123", "", "abc", "ghp_secret123", "tok-2")
	for in, want := range map[string]string{
		"Authorization: token ghp_secret123": "Authorization: token ***",
		"ghp_secret123ghp_secret123 tok-2":   "****** ***",
		"abc is too short to be a secret":    "abc is too short to be a secret",
		"nothing here":                       "nothing here",
	} {
		if got := rd.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	if got := (*Redactor)(nil).String("ghp_secret123"); got != "ghp_secret123" {
		t.Errorf("nil redactor changed the text: %q", got)
	}
}

func TestError(t *testing.T) {
	rd := New("s3cr3t-token")
	base := fmt.Errorf("GET /x: 401 Bad credentials (Authorization: token s3cr3t-token): %w", fs.ErrPermission)
	err := rd.Error(base)
	if strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "token ***") {
		t.Errorf("error not redacted: %q", err)
	}
	if !errors.Is(err, fs.ErrPermission) {
		t.Error("the error chain was lost")
	}
	if rd.Error(nil) != nil {
		t.Error("nil error became non-nil")
	}
	plain := errors.New("no secret")
	if rd.Error(plain) != plain {
		t.Error("an error without a secret was wrapped")
	}
}

// TestWriterSplitWrites writes the text in every way it can be cut into
// two and three writes: the secret never reaches the output whole or in
// pieces, and everything else arrives unchanged.
func TestWriterSplitWrites(t *testing.T) {
	rd := New("tok_ABCDEFGH", "ABCDxyz1")
	text := "a tok_ABCDEFGH b tok_ABC c ABCDxyz1 end tok_"
	want := "a *** b tok_ABC c *** end tok_"
	for i := 0; i <= len(text); i++ {
		for j := i; j <= len(text); j++ {
			var out bytes.Buffer
			w := rd.Writer(&out).(*Writer)
			for _, part := range []string{text[:i], text[i:j], text[j:]} {
				if n, err := w.Write([]byte(part)); err != nil || n != len(part) {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if out.String() != want {
				t.Fatalf("cut at %d, %d: %q, want %q", i, j, out.String(), want)
			}
		}
	}
}

func TestWriterWithoutSecrets(t *testing.T) {
	var out bytes.Buffer
	if w := New("", "x").Writer(&out); w != &out {
		t.Errorf("a redactor without secrets wrapped the writer: %T", w)
	}
	// With secrets it wraps, and says what it writes to (progress.Detect
	// still finds the terminal behind it).
	w, ok := New("secret-1").Writer(&out).(interface{ Unwrap() io.Writer })
	if !ok || w.Unwrap() != &out {
		t.Errorf("the redacting writer does not unwrap to its destination")
	}
}
