package files

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Copy copies src to dst, which must not exist yet: a leftover file is never
// silently overwritten. The copy is synced to disk; on error a partly written
// dst is removed.
func Copy(src, dst string) error {
	return copyTo(src, dst, func(fs.FileInfo) fs.FileMode { return 0o644 })
}

// CopyKeepMode is Copy with dst taking src's permission bits (a backup that
// may be put back in place of the original).
func CopyKeepMode(src, dst string) error {
	return copyTo(src, dst, func(st fs.FileInfo) fs.FileMode { return st.Mode().Perm() })
}

func copyTo(src, dst string, mode func(fs.FileInfo) fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode(st))
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		if err = out.Sync(); err != nil {
			err = fmt.Errorf("sync %s: %w", dst, err)
		}
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return err
	}
	return nil
}
