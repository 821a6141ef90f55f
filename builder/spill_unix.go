//go:build unix

package builder

import (
	"os"
	"syscall"
	"time"
)

const canMap = true

// mapFile grows f by n bytes at off (the disk space claimed up front where
// the system can, so a full disk is an error here and not a fault later) and
// maps them shared: written pages go back to the file, not to swap.
func mapFile(f *os.File, off, n int64) ([]byte, error) {
	if err := preallocate(f, off, n); err != nil {
		return nil, err
	}
	return syscall.Mmap(int(f.Fd()), off, int(n), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
}

func unmap(b []byte) { syscall.Munmap(b) }

// trimmer watches the resident size of the mapped state and drops its pages
// from the process when they pass half the window (they stay in the file and
// the page cache). It checks often: a walk faulting pages in at memory speed
// should not overshoot the window between two checks.
type trimmer struct{ quit, done chan struct{} }

func startTrimmer(s *chunkSource) *trimmer {
	t := &trimmer{quit: make(chan struct{}), done: make(chan struct{})}
	base := residentFile()
	go func() {
		defer close(t.done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-t.quit:
				return
			case <-tick.C:
			}
			if r := residentFile(); r < 0 || r-base > spillWindow/2 {
				s.trimAll()
			}
		}
	}()
	return t
}

func (t *trimmer) stop() {
	close(t.quit)
	<-t.done
}
