//go:build unix

package pack

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) the test process has used so
// far; benchmarks divide it by wall time to show how many cores worked.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
