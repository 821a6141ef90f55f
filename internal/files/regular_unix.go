//go:build unix

package files

import (
	"os"
	"syscall"
)

// openNoBlock opens path read-only with O_NONBLOCK, which makes opening a
// FIFO return at once instead of waiting for a writer; on a regular file the
// flag changes nothing.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
