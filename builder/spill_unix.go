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

// trimmer watches the process's resident size and drops the mapped state's
// pages from it (they stay in the file and the page cache) when the mapped
// part passes its window. It checks often: a walk faulting pages in at memory
// speed should not overshoot between two checks.
type trimmer struct{ quit, done chan struct{} }

func startTrimmer(s *chunkSource) *trimmer {
	t := &trimmer{quit: make(chan struct{}), done: make(chan struct{})}
	_, base, _ := resident()
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
			total, file, ok := resident()
			if ok && file-base <= mappedWindow(total, file, s.rssLimit, s.reserve.Load()) {
				continue
			}
			s.dropPages(false)
			if total, file, ok = resident(); !ok || file-base > mappedWindow(total, file, s.rssLimit, s.reserve.Load()) {
				s.dropPages(true)
			}
		}
	}()
	return t
}

func (t *trimmer) stop() {
	close(t.quit)
	<-t.done
}
