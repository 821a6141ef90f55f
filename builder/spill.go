package builder

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/tagdb/tagdb-action/internal/progress"
)

// chunkSource hands out the merge state's memory: the chunks of its chunked
// lists and text arenas, the interners' hash tables and the groupings. All of
// them are plain records (no Go pointers), so past the state's share of the
// memory budget they can live in a file mapping as well as on Go's heap: the
// merge code keeps its pointers and never knows which it has. The mapped
// file is beside the output and never outlives the build (release).
//
// A shared file mapping's pages count toward the process's resident size
// once touched, though the kernel could drop them at any time. A trimmer
// keeps that share under spillWindow by telling the kernel the process no
// longer needs the pages (MADV_DONTNEED): the data stays in the page cache
// and the file, and the next access maps it in again.
type chunkSource struct {
	heapLeft int64        // bytes the state may still take from Go's heap
	rssLimit int64        // the build's memory budget (0: none): the trimmer keeps the process under it
	onSpill  func()       // called once, when the first chunk is mapped
	hot      int64        // bytes of the hot tables (makeHotRecs) held now
	reserve  atomic.Int64 // sortReserve per sort running over the state (sorting)
	pass     int64        // > 0: the bytes of one sortByRank pass (tests), else sortPass
	share    int64        // heapLeft at the start
	peak     int64        // most bytes the state held on Go's heap at once
	path     string
	pr       *progress.Reporter

	mu     sync.Mutex // maps, against the trimmer
	f      *os.File
	size   int64               // bytes of the file handed out
	maps   map[uintptr]mapping // by the mapping's start
	err    error               // the first error creating or mapping the file
	warned bool                // spilling is unavailable here and was logged
	trim   *trimmer            // nil until the first mapping
}

// mapping is one stretch of the spill file mapped into memory.
type mapping struct {
	b    []byte
	off  int64 // where it is in the file
	cold bool  // makeColdRecs's: read in order, cheap to fault back in
}

// spillWindow is the margin the spill adds above the rest of the budget:
// the least room the mapped state's resident pages always have, and twice
// the headroom the trimmer keeps below the budget.
const spillWindow = 64 * mib

// mappedWindow is how many bytes of the mapped state may stay resident, given
// the process's resident size (total) and its file-backed part (file): what
// the rest of the process leaves of the budget limit, less half the margin
// for what is faulted in between two checks and the room a running sort
// keeps (reserve), and never less than half the margin. A walk over the
// spilled state then keeps as much of it resident as the budget allows: with
// a fixed small window, every trim dropped the pages the walk was about to
// use again, and a scale-2 merge spent minutes in page faults
// (docs/memory.md).
func mappedWindow(total, file, limit, reserve int64) int64 {
	if limit <= 0 {
		return spillWindow / 2
	}
	anon := total - file
	return max(spillWindow/2, limit-spillWindow/2-anon-reserve)
}

// sortReserve is the room kept free below the budget, on top of the
// trimmer's margin, while a sort runs over spilled records. A sort scans
// its records at memory speed: in the sort of the new tags by name at scale
// 4, ~150 MiB of mapped pages came back between two trims, and the build
// peaked at 1133 MiB of a 1024 MiB budget (docs/memory.md).
const sortReserve = 2 * spillWindow

// sorting keeps sortReserve free of mapped pages until done is called.
func (s *chunkSource) sorting() (done func()) {
	s.reserve.Add(sortReserve)
	return func() { s.reserve.Add(-sortReserve) }
}

// newChunkSource gives the state heap bytes of Go's heap; what comes after
// goes to a file at path. heap < 0 means no limit (the file is never made).
func newChunkSource(heap int64, path string, pr *progress.Reporter) *chunkSource {
	if heap < 0 {
		heap = 1 << 62
	}
	return &chunkSource{heapLeft: heap, share: heap, path: path, pr: pr}
}

// makeRecs returns n zeroed records, from Go's heap while the state's share
// lasts, else from the spill file.
func makeRecs[T any](s *chunkSource, n int) []T { return allocRecs[T](s, n, false) }

// makeColdRecs is makeRecs for records that are written and read in order
// (status, count and translation records, sorted copies, sort keys): they
// take Go's heap only while the whole state holds less than half its share,
// and spill first after that, so that what is read in random order (names,
// tag entries) keeps the rest of the heap. Read in order, a spilled record
// costs a page fault per 4 KiB; read at random, one per record. A state
// that fits in half its share never spills (with an eighth, a scale-0.25
// build spilled its records and ran 20 % slower for it).
func makeColdRecs[T any](s *chunkSource, n int) []T { return allocRecs[T](s, n, true) }

func allocRecs[T any](s *chunkSource, n int, cold bool) []T {
	var zero T
	size := int64(n) * int64(unsafe.Sizeof(zero))
	if s == nil || size == 0 {
		return make([]T, n)
	}
	if b := s.alloc(size, cold); b != nil {
		return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), n)
	}
	return make([]T, n)
}

// makeHotRecs returns n zeroed records from Go's heap even past the state's
// share. It is for the interners' hash tables: every lookup and every rehash
// reads them in random order, and mapped, each read would be a page fault
// once the trimmer has dropped the page (a rehash of a scale-4 tag table took
// minutes). They count against the share, and the rest of the state spills
// while there is still room for every hot table to double once: a table that
// grows after the state has spilled then stays inside the share instead of
// eating the collector's headroom. Give them back with freeHotRecs.
func makeHotRecs[T any](s *chunkSource, n int) []T {
	if s != nil {
		var zero T
		size := int64(n) * int64(unsafe.Sizeof(zero))
		s.mu.Lock()
		s.heapLeft -= size
		s.hot += size
		s.peak = max(s.peak, s.share-s.heapLeft)
		s.mu.Unlock()
	}
	return make([]T, n)
}

// freeHotRecs gives back what makeHotRecs returned.
func freeHotRecs[T any](s *chunkSource, v []T) {
	if s == nil {
		return
	}
	var zero T
	size := int64(cap(v)) * int64(unsafe.Sizeof(zero))
	s.mu.Lock()
	s.heapLeft += size
	s.hot -= size
	s.mu.Unlock()
}

// freeRecs gives back what makeRecs returned: heap share or the mapping.
func freeRecs[T any](s *chunkSource, v []T) {
	if s == nil || cap(v) == 0 {
		return
	}
	var zero T
	v = v[:cap(v)]
	s.free(unsafe.Pointer(&v[0]), int64(len(v))*int64(unsafe.Sizeof(zero)))
}

// alloc maps size bytes from the spill file, or returns nil when they are
// to come from Go's heap (counted against its share).
func (s *chunkSource) alloc(size int64, cold bool) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	room := s.heapLeft - s.hot
	if cold {
		room = s.heapLeft - s.share/2
	}
	if size <= room || s.err != nil {
		s.heapLeft -= size
		s.peak = max(s.peak, s.share-s.heapLeft)
		return nil
	}
	if !canMap {
		if !s.warned {
			s.warned = true
			s.pr.Printf("memory: the merge state is past its share of the budget; spilling it to disk is not available on this platform, so it stays in memory")
		}
		s.heapLeft -= size
		return nil
	}
	if s.f == nil {
		if s.f, s.err = os.OpenFile(s.path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); s.err != nil {
			s.heapLeft -= size
			return nil
		}
		s.maps = map[uintptr]mapping{}
		s.pr.Printf("memory: the merge state is past its share of the budget (%d MiB); what follows goes to %s", s.share/mib, s.path)
		if s.onSpill != nil {
			s.onSpill()
		}
		s.trim = startTrimmer(s)
	}
	page := int64(os.Getpagesize())
	length := (size + page - 1) &^ (page - 1)
	b, err := mapFile(s.f, s.size, length)
	if err != nil {
		s.err = err
		s.heapLeft -= size
		return nil
	}
	s.size += length
	s.maps[uintptr(unsafe.Pointer(&b[0]))] = mapping{b, s.size - length, cold}
	return b[:size]
}

func (s *chunkSource) free(p unsafe.Pointer, size int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.maps[uintptr(p)]; ok {
		delete(s.maps, uintptr(p))
		unmap(m.b)
		punchHole(s.f, m.off, int64(len(m.b))) // a freed table's disk space comes back
		return
	}
	s.heapLeft += size
}

// dropRecs tells the kernel the process is done with v's pages for now, if
// v is mapped: a walk that has read its records in order and will not come
// back to them soon keeps the window for what it writes or reads at random.
func dropRecs[T any](s *chunkSource, v []T) {
	if s == nil || cap(v) == 0 {
		return
	}
	v = v[:1]
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.maps[uintptr(unsafe.Pointer(&v[0]))]; ok {
		dontNeed(m.b)
	}
}

// storeRecs copies v into c from element at on: into a mapped chunk with a
// write to the spill file (no page faults; the mapping shares the file's
// pages, so it sees them), into a chunk on the heap with a copy.
func storeRecs[T any](s *chunkSource, c *chunked[T], at int, v []T) error {
	for len(v) > 0 {
		chunk := c.chunks[at>>chunkBits]
		off := at & (1<<chunkBits - 1)
		n := min(len(v), len(chunk)-off)
		if err := s.store(unsafe.Pointer(&chunk[:1][0]), recordBytes(chunk[off:off+n]), recordBytes(v[:n])); err != nil {
			return err
		}
		at += n
		v = v[n:]
	}
	return nil
}

// scanRecs calls fn with every record of c in order, for walks that only
// read. A spilled chunk is read from the spill file into a buffer on Go's
// heap, one read per chunk: walking the mapping instead faults every page
// in and keeps the trimmer dropping them (page faults were a third of the
// samples of the repairs' walks at scale 4). fn gets the buffer's copy of
// such a record, so a change must go through c.At(i).
func scanRecs[T any](s *chunkSource, c *chunked[T], fn func(i int, r *T)) {
	var buf []T
	for ci, chunk := range c.chunks {
		recs := chunk
		if s != nil && len(chunk) > 0 {
			if cap(buf) < len(chunk) {
				buf = make([]T, len(chunk))
			}
			buf = buf[:len(chunk)]
			if s.load(unsafe.Pointer(&chunk[0]), recordBytes(buf), recordBytes(chunk)) {
				recs = buf
			}
		}
		for j := range recs {
			fn(ci<<chunkBits+j, &recs[j])
		}
	}
}

// load reads src, which starts the mapped chunk at base, into dst from the
// spill file and says whether it did; false for a chunk on the heap, or if
// the read fails (the caller then reads the mapping, which holds the same
// bytes).
func (s *chunkSource) load(base unsafe.Pointer, dst, src []byte) bool {
	off, ok := s.fileOffset(base, src)
	if !ok {
		return false
	}
	_, err := s.f.ReadAt(dst, off)
	return err == nil
}

// fileOffset is where b, which lies in the chunk starting at base, is in
// the spill file; false if that chunk is not mapped (it is on the heap).
func (s *chunkSource) fileOffset(base unsafe.Pointer, b []byte) (int64, bool) {
	s.mu.Lock()
	m, ok := s.maps[uintptr(base)]
	s.mu.Unlock()
	if !ok {
		return 0, false
	}
	return m.off + int64(uintptr(unsafe.Pointer(&b[0]))-uintptr(base)), true
}

// store copies src over dst, which lies in the chunk starting at base.
func (s *chunkSource) store(base unsafe.Pointer, dst, src []byte) error {
	if s == nil {
		copy(dst, src)
		return nil
	}
	off, ok := s.fileOffset(base, dst)
	if !ok {
		copy(dst, src)
		return nil
	}
	if _, err := s.f.WriteAt(src, off); err != nil {
		return fmt.Errorf("spill file %s: %w", s.path, err)
	}
	return nil
}

// Err is the first error of the spill file; the state is then incomplete.
func (s *chunkSource) Err() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return fmt.Errorf("spill file %s: %w", s.path, s.err)
	}
	return nil
}

// OnDisk is how many bytes of the state went to the spill file.
func (s *chunkSource) OnDisk() int64 {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// Peak is the most the state held on Go's heap at once, in bytes.
func (s *chunkSource) Peak() int64 {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// dropPages drops the mapped pages of the tables read in order from the process's
// resident set, and with hot, those of every table. Streaming through
// records fills the window fastest, and those pages cost least to fault
// back in; the names and entries read at random stay resident if dropping
// the records is enough.
func (s *chunkSource) dropPages(hot bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.maps {
		if m.cold || hot {
			dontNeed(m.b)
		}
	}
}

// release unmaps everything and removes the file. Strings and pointers into
// mapped chunks are invalid afterwards, so it runs once nothing points into
// them: after the write step, and again (doing nothing) when the build ends.
func (s *chunkSource) release() {
	if s == nil {
		return
	}
	if s.trim != nil {
		s.trim.stop()
		s.trim = nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.maps {
		unmap(m.b)
	}
	s.maps = nil
	if s.f != nil {
		s.f.Close()
		s.f = nil
		os.Remove(s.path)
	}
}
