//go:build unix && !linux

package builder

import (
	"os"

	"golang.org/x/sys/unix"
)

// preallocate only sizes the file: these systems have no portable call that
// claims the space.
func preallocate(f *os.File, off, n int64) error { return f.Truncate(off + n) }

// punchHole does nothing: a freed stretch keeps its disk space until the
// file is removed.
func punchHole(*os.File, int64, int64) {}

func dontNeed(b []byte) { unix.Madvise(b, unix.MADV_DONTNEED) }

// resident is unknown here: the trimmer then drops the mapped pages at
// every check.
func resident() (total, file int64, ok bool) { return 0, 0, false }
