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

// residentFile is the process's resident file-backed and shared memory in
// bytes (the third field of /proc/self/statm), or -1 when unknown.
func residentFile() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return -1
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return -1
	}
	n, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return -1
	}
	return n * int64(os.Getpagesize())
}
