package files

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRegularOnly: every kind of non-regular file is refused by all three
// doors, promptly (a FIFO with no writer would block a plain open forever),
// and the message names the file and its kind.
func TestRegularOnly(t *testing.T) {
	dir := t.TempDir()
	mk := map[string]func(p string) error{
		"a named pipe": func(p string) error { return syscall.Mkfifo(p, 0o644) },
		"a folder":     func(p string) error { return os.Mkdir(p, 0o755) },
		"a character device": func(p string) error {
			return syscall.Mknod(p, syscall.S_IFCHR|0o644, 1<<8|3) // like /dev/null
		},
		"a socket": func(p string) error {
			l, err := net.Listen("unix", p)
			if err == nil {
				t.Cleanup(func() { l.Close() })
			}
			return err
		},
	}
	for kind, mkFile := range mk {
		t.Run(kind, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(kind, " ", "_"))
			if err := mkFile(p); err != nil {
				t.Skipf("cannot make %s here: %v", kind, err)
			}
			link := p + ".link"
			if err := os.Symlink(p, link); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{p, link} {
				for name, open := range map[string]func(string) error{
					"CheckRegular": CheckRegular,
					"OpenRegular": func(p string) error {
						f, err := OpenRegular(p)
						if err == nil {
							f.Close()
						}
						return err
					},
					"ReadRegular": func(p string) error { _, err := ReadRegular(p); return err },
				} {
					done := make(chan error, 1)
					go func() { done <- open(path) }()
					select {
					case err := <-done:
						want := path + ": not a regular file (" + kind + ")"
						if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), want) {
							t.Errorf("%s(%s) = %v, want %q", name, path, err, want)
						}
					case <-time.After(10 * time.Second):
						t.Fatalf("%s(%s) blocked", name, path)
					}
				}
			}
		})
	}
	p := filepath.Join(dir, "plain.txt")
	if err := os.WriteFile(p, []byte("ok"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadRegular(p); err != nil || string(b) != "ok" {
		t.Errorf("ReadRegular(regular file) = %q, %v", b, err)
	}
}
