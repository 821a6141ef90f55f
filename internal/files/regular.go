package files

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is wrapped by the errors of CheckRegular and OpenRegular.
var ErrNotRegular = errors.New("not a regular file")

// CheckRegular fails unless path (after symlinks) is a regular file. Every
// input file passes through here or OpenRegular before it is opened, hashed
// or listed: opening a FIFO blocks until a writer appears, ignoring SIGTERM,
// a device can be read forever, and a folder where a file is expected gives
// a confusing error deep in a reader.
func CheckRegular(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err // *PathError names the file
	}
	return regular(path, st)
}

// OpenRegular opens path for reading if it is a regular file. The open itself
// cannot block (openNoBlock), and the type is checked again on the open file,
// so a file swapped for a FIFO between the two checks is refused too.
func OpenRegular(path string) (*os.File, error) {
	if err := CheckRegular(path); err != nil {
		return nil, err
	}
	f, err := openNoBlock(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil {
		err = regular(path, st)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func regular(path string, st fs.FileInfo) error {
	if st.Mode().IsRegular() {
		return nil
	}
	return fmt.Errorf("%s: %w (%s): only regular files are read", path, ErrNotRegular, kindOf(st.Mode()))
}

// kindOf names a file type for messages.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "type " + m.Type().String()
}

// ReadRegular is os.ReadFile through OpenRegular, for small inputs read
// whole (sources.yml, overrides.yml).
func ReadRegular(path string) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
