package files

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Atomic is a file that appears at its final path complete or not at all.
// It is written under a temporary name in the same folder (so the final
// rename never crosses a file system), and Commit syncs it and renames it
// into place; Abort, or a failed Commit, removes it. Readers of the final
// path therefore see either the old file or the whole new one.
//
// Writers that need a path rather than an io.Writer (SQLite) use Name: the
// handle stays open until Commit or Abort, which is harmless to them as long
// as they have closed the file before either is called.
type Atomic struct {
	f    *os.File
	path string
	done bool
}

// Create starts an atomic write of path. perm is the mode of the final file,
// less the umask, as with os.OpenFile.
func Create(path string, perm fs.FileMode) (*Atomic, error) {
	// A name can only collide with a file left by this very process after
	// a random 32-bit draw; a few tries make that impossible in practice.
	for try := 0; ; try++ {
		tmp := TempName(path, "tmp")
		f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if err == nil {
			return &Atomic{f: f, path: path}, nil
		}
		if !errors.Is(err, fs.ErrExist) || try == 3 {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
	}
}

// Name is the temporary file's path.
func (a *Atomic) Name() string { return a.f.Name() }

// File is the open temporary file, for callers that read back what they
// wrote (to hash it) before committing.
func (a *Atomic) File() *os.File { return a.f }

// Write writes to the temporary file.
func (a *Atomic) Write(p []byte) (int, error) { return a.f.Write(p) }

// Sync flushes the temporary file to disk. Commit does it too; calling it
// early lets a caller overlap the flush with other work.
func (a *Atomic) Sync() error {
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", a.f.Name(), err)
	}
	return nil
}

// Commit flushes the file to disk, closes it and renames it to the final
// path, then flushes the folder so the rename survives a crash. On any
// error the temporary file is removed and the final path is left as it was.
func (a *Atomic) Commit() error {
	if a.done {
		return fmt.Errorf("commit %s: already committed or aborted", a.path)
	}
	err := a.Sync()
	if cerr := a.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", a.f.Name(), cerr)
	}
	if err == nil {
		if rerr := os.Rename(a.f.Name(), a.path); rerr != nil {
			err = fmt.Errorf("move %s into place: %w", a.path, rerr)
		}
	}
	a.done = true
	if err != nil {
		removeTemp(a.f.Name())
		return err
	}
	SyncDir(filepath.Dir(a.path))
	return nil
}

// Abort closes and removes the temporary file, with any journal SQLite left
// beside it. It is a no-op after Commit, so callers can defer it.
func (a *Atomic) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.f.Close()
	removeTemp(a.f.Name())
}

// removeTemp removes a temporary file and the side files SQLite may have
// made for it; the name is unique, so nothing else can own them.
func removeTemp(name string) {
	for _, side := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(name + side)
	}
}

// WriteAtomic writes path through fill, buffered, as one atomic write: if
// fill or any step after it fails, path is left as it was and no temporary
// file remains.
func WriteAtomic(path string, perm fs.FileMode, fill func(w io.Writer) error) error {
	a, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer a.Abort()
	w := bufio.NewWriter(a)
	if err := fill(w); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", a.Name(), err)
	}
	return a.Commit()
}

// TempName is a fresh name beside path for a temporary file of the given
// kind: path.KIND-PID-RANDOM. The pid lets a later run tell the files of a
// killed process from those of one still running.
func TempName(path, kind string) string {
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s.%s-%d-%s", path, kind, os.Getpid(), hex.EncodeToString(b[:]))
}

// SyncDir flushes a folder's entries (a rename or a new file) to disk where
// the OS allows it; where it does not (Windows cannot open a folder for
// syncing), the rename is still atomic, only its durability is the OS's.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
