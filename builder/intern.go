package builder

import (
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"unsafe"
)

// interner gives each distinct string a dense index. A full-size build holds
// about five million tag names and as many timestamps: a Go map of strings
// would cost several times the text itself and be scanned by every garbage
// collection, so the text lives in large byte chunks and the hash table holds
// plain integers. Nothing in it is a pointer the collector has to follow.
type interner struct {
	src   *chunkSource // where the table and chunks come from (nil: Go's heap)
	seed  maphash.Seed
	text  arena
	refs  chunked[stringRef] // index → where its text is
	table []uint32           // open addressing: 0 empty, else a slot (see slot)
	bits  uint               // log2(len(table))
}

// stringRef says where a string is: chunk index and offset packed in pos
// (textChunkBits of offset), and its length.
type stringRef struct {
	pos, len uint32
}

// textChunkBits sizes a text chunk (1 MiB); a longer string gets a chunk of
// its own. With 32-bit positions an arena holds up to 4 GiB of text.
const (
	textChunkBits = 20
	textChunk     = 1 << textChunkBits
	maxChunks     = 1 << (32 - textChunkBits)
)

func newInterner(src *chunkSource) *interner {
	in := &interner{src: src, seed: maphash.MakeSeed(), text: arena{src: src}, refs: chunked[stringRef]{src: src}}
	in.bits = 16
	in.table = makeHotRecs[uint32](src, 1<<in.bits)
	return in
}

// mask picks a slot position from a hash.
func (in *interner) mask() uint64 { return 1<<in.bits - 1 }

// A slot holds index+1 in its low bits (the table is kept at most three
// quarters full, so index+1 fits in log2 of its size) and, in the bits that
// leaves, the top bits of the string's hash. A probe compares those first
// and reads the candidate's text only when they match: once the state has
// spilled, a text read is a page fault, and an unsuccessful probe at three
// quarters full visits about eight occupied slots.
func (in *interner) slot(h uint64, idx uint32) uint32 {
	return in.fingerprint(h)<<in.bits | (idx + 1)
}

// fingerprint is the hash's top 32 − bits bits: none once the table has 2^32
// slots (Go's shifts past the width give 0).
func (in *interner) fingerprint(h uint64) uint32 { return uint32(h >> (32 + in.bits)) }

// match reports whether slot v may hold the string with hash h, and its
// index.
func (in *interner) match(v uint32, h uint64) (uint32, bool) {
	return v&(1<<in.bits-1) - 1, v>>in.bits == in.fingerprint(h)
}

// Len is the number of distinct strings.
func (in *interner) Len() int { return in.refs.Len() }

// Str returns the text of index i. The string shares the interner's memory
// and stays valid as long as the interner does.
func (in *interner) Str(i uint32) string { return in.text.Str(*in.refs.At(int(i))) }

// Lookup returns the index of s, if interned.
func (in *interner) Lookup(s string) (uint32, bool) {
	h := maphash.String(in.seed, s)
	mask := in.mask()
	for p := h & mask; ; p = (p + 1) & mask {
		v := in.table[p]
		if v == 0 {
			return 0, false
		}
		if i, ok := in.match(v, h); ok && in.Str(i) == s {
			return i, true
		}
	}
}

// Intern returns the index of s, adding it when new; added says which.
func (in *interner) Intern(s string) (idx uint32, added bool) {
	h := maphash.String(in.seed, s)
	mask := in.mask()
	p := h & mask
	for {
		v := in.table[p]
		if v == 0 {
			break
		}
		if i, ok := in.match(v, h); ok && in.Str(i) == s {
			return i, false
		}
		p = (p + 1) & mask
	}
	idx = uint32(in.refs.Len())
	in.refs.Append(in.text.Store(s))
	in.table[p] = in.slot(h, idx)
	if uint64(in.refs.Len())*4 > uint64(len(in.table))*3 {
		in.grow()
	}
	return idx, true
}

// arena keeps strings in large byte chunks. A chunk is never reallocated, so
// the strings Str returns stay valid as long as the arena does.
type arena struct {
	src    *chunkSource
	chunks [][]byte
	// full is set when a string did not fit (more than 4 GiB of text, or one
	// string longer than 4 GiB); Store then returns the empty string's ref
	// and the caller must check full before trusting the results.
	full bool
}

// Store copies s into the arena.
func (a *arena) Store(s string) stringRef {
	if len(s) == 0 {
		return stringRef{}
	}
	last := len(a.chunks) - 1
	if last < 0 || cap(a.chunks[last])-len(a.chunks[last]) < len(s) {
		if len(a.chunks) == maxChunks || uint64(len(s)) > 1<<32-1 {
			a.full = true
			return stringRef{}
		}
		// A string longer than a chunk starts its own, at offset 0.
		a.chunks = append(a.chunks, makeRecs[byte](a.src, max(textChunk, len(s)))[:0])
		last++
	}
	c := a.chunks[last]
	off := len(c)
	a.chunks[last] = append(c, s...)
	return stringRef{pos: uint32(last)<<textChunkBits | uint32(off), len: uint32(len(s))}
}

// Str returns the text r points at.
func (a *arena) Str(r stringRef) string {
	if r.len == 0 {
		return ""
	}
	c, off := r.pos>>textChunkBits, r.pos&(textChunk-1)
	b := a.chunks[c][off : off+r.len]
	return unsafe.String(&b[0], len(b))
}

// grow doubles the table; the strings are rehashed from the chunks.
func (in *interner) grow() {
	freeHotRecs(in.src, in.table)
	in.table = makeHotRecs[uint32](in.src, len(in.table)*2)
	in.bits++
	mask := in.mask()
	for i := 0; i < in.refs.Len(); i++ {
		h := maphash.String(in.seed, in.Str(uint32(i)))
		p := h & mask
		for in.table[p] != 0 {
			p = (p + 1) & mask
		}
		in.table[p] = in.slot(h, uint32(i))
	}
}

// chunked is an append-only slice in fixed-size chunks: growing it never
// copies what is already there, so a multi-hundred-megabyte table does not
// briefly need twice its size.
type chunked[T any] struct {
	src    *chunkSource
	cold   bool // its chunks are makeColdRecs's: it is read in order
	chunks [][]T
	n      int
}

func (c *chunked[T]) newChunk() []T {
	return allocRecs[T](c.src, 1<<chunkBits, c.cold)[:0]
}

const chunkBits = 16

func (c *chunked[T]) Len() int { return c.n }

func (c *chunked[T]) Append(v T) {
	if c.n>>chunkBits == len(c.chunks) {
		c.chunks = append(c.chunks, c.newChunk())
	}
	last := len(c.chunks) - 1
	c.chunks[last] = append(c.chunks[last], v)
	c.n++
}

// grow appends n zeroed elements.
func (c *chunked[T]) grow(n int) {
	for n > 0 {
		if c.n>>chunkBits == len(c.chunks) {
			c.chunks = append(c.chunks, c.newChunk())
		}
		last := len(c.chunks) - 1
		k := min(n, cap(c.chunks[last])-len(c.chunks[last]))
		c.chunks[last] = c.chunks[last][:len(c.chunks[last])+k]
		c.n += k
		n -= k
	}
}

// At returns a pointer to element i. Appending never moves an element, so the
// pointer stays valid until Reset.
func (c *chunked[T]) At(i int) *T {
	return &c.chunks[i>>chunkBits][i&(1<<chunkBits-1)]
}

// Reset drops everything, giving the memory back to its source.
func (c *chunked[T]) Reset() {
	for _, ch := range c.chunks {
		freeRecs(c.src, ch)
	}
	c.chunks, c.n = nil, 0
}

// spill is an append-only list of fixed-size records kept in a temporary file
// while other work needs the memory; load brings it back as a chunked list.
// The file holds the records' memory image: it never outlives the process.
type spill[T any] struct {
	path string
	f    *os.File
	buf  []T
	n    int
	err  error
}

func newSpill[T any](path string) *spill[T] { return &spill[T]{path: path} }

func (s *spill[T]) Len() int { return s.n }

func (s *spill[T]) Append(v T) {
	s.buf = append(s.buf, v)
	s.n++
	if len(s.buf) == 1<<chunkBits {
		s.flush()
	}
}

func (s *spill[T]) flush() {
	if len(s.buf) == 0 || s.err != nil {
		s.buf = s.buf[:0]
		return
	}
	if s.f == nil {
		if s.f, s.err = os.OpenFile(s.path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600); s.err != nil {
			return
		}
	}
	_, s.err = s.f.Write(recordBytes(s.buf))
	s.buf = s.buf[:0]
}

// Err is the first write error; records appended after it are lost.
func (s *spill[T]) Err() error {
	if s.err != nil {
		return fmt.Errorf("spill file %s: %w", s.path, s.err)
	}
	return nil
}

// Load reads every record back, in order, into memory from src, and removes
// the file.
func (s *spill[T]) Load(src *chunkSource) (chunked[T], error) {
	out := chunked[T]{src: src, cold: true}
	s.flush()
	if err := s.Err(); err != nil {
		return out, err
	}
	defer s.Close()
	if s.f == nil {
		return out, nil
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return out, fmt.Errorf("spill file %s: %w", s.path, err)
	}
	// Each chunk is read into a buffer on the heap and copied into its
	// place with storeRecs: read straight into a chunk of the state's own
	// spill file, every fresh page faulted (a fifth of a scale-4 build's
	// samples while the counts were loaded).
	buf := make([]T, min(s.n, 1<<chunkBits))
	for left := s.n; left > 0; {
		c := makeColdRecs[T](src, 1<<chunkBits)[:min(left, 1<<chunkBits)]
		b := buf[:len(c)]
		if _, err := io.ReadFull(s.f, recordBytes(b)); err != nil {
			freeRecs(src, c)
			return out, fmt.Errorf("spill file %s: %w", s.path, err)
		}
		out.chunks = append(out.chunks, c)
		if err := storeRecs(src, &out, out.n, b); err != nil {
			return out, err
		}
		out.n += len(c)
		left -= len(c)
	}
	return out, nil
}

// Close removes the file.
func (s *spill[T]) Close() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	os.Remove(s.path)
}

// recordBytes is the memory of a slice of plain records (no pointers).
func recordBytes[T any](v []T) []byte {
	if len(v) == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), len(v)*int(unsafe.Sizeof(zero)))
}
