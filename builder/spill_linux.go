package builder

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"syscall"
)

// preallocate claims the disk space, so that running out of it is an error
// now rather than a SIGBUS when the kernel writes a page back.
func preallocate(f *os.File, off, n int64) error {
	err := syscall.Fallocate(int(f.Fd()), 0, off, n)
	if errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.ENOSYS) {
		return f.Truncate(off + n)
	}
	return err
}

// punchHole gives the disk space of a freed stretch back to the file system.
func punchHole(f *os.File, off, n int64) {
	const punchHole, keepSize = 0x02, 0x01 // FALLOC_FL_PUNCH_HOLE, FALLOC_FL_KEEP_SIZE
	syscall.Fallocate(int(f.Fd()), punchHole|keepSize, off, n)
}

func dontNeed(b []byte) { syscall.Madvise(b, syscall.MADV_DONTNEED) }

// resident is the process's resident size and the file-backed and shared
// part of it, in bytes (the second and third fields of /proc/self/statm);
// ok is false when they are unknown.
func resident() (total, file int64, ok bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, 0, false
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0, 0, false
	}
	t, err1 := strconv.ParseInt(string(f[1]), 10, 64)
	s, err2 := strconv.ParseInt(string(f[2]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	page := int64(os.Getpagesize())
	return t * page, s * page, true
}
