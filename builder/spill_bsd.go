//go:build unix && !linux

package builder

import (
	"os"
	"syscall"
)

// preallocate only sizes the file: these systems have no portable call that
// claims the space.
func preallocate(f *os.File, off, n int64) error { return f.Truncate(off + n) }

func dontNeed(b []byte) { syscall.Madvise(b, syscall.MADV_DONTNEED) }

// residentFile is unknown here: the trimmer then drops the mapped pages at
// every check.
func residentFile() int64 { return -1 }
