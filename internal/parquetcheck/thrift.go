package parquetcheck

import (
	"errors"
	"fmt"
)

// Thrift compact protocol type ids (the Parquet metadata's encoding).
const (
	tBoolTrue  = 1
	tBoolFalse = 2
	tByte      = 3
	tI16       = 4
	tI32       = 5
	tI64       = 6
	tDouble    = 7
	tBinary    = 8
	tList      = 9
	tSet       = 10
	tMap       = 11
	tStruct    = 12
)

// maxDepth bounds the nesting of structs and lists. Parquet's metadata nests
// a handful of levels; parquet-go skips unknown fields by recursion, so a
// deeper input would only be a way to exhaust the stack.
const maxDepth = 32

// elemCost is what parquet-go allocates per list element of a thrift type
// when it decodes a list (reflect.MakeSlice of the claimed size): the size of
// the largest Go struct in the Parquet metadata (format.ColumnChunk is under
// 1 KiB) for structs, a slice header for binaries, a word otherwise.
func elemCost(t byte) int64 {
	switch t {
	case tStruct:
		return 1024
	case tBinary, tList, tSet, tMap:
		return 24
	}
	return 8
}

var errShort = errors.New("ends in the middle of a value")

// walker checks a thrift compact-protocol value without decoding it: every
// length and element count must fit in the bytes that remain, and the sum of
// what decoding would allocate must stay under budget. After a walk succeeds
// parquet-go's decoder, which allocates what the input claims, is safe to run
// on the same bytes.
type walker struct {
	b      []byte
	i      int
	budget int64 // bytes decoding may still allocate
}

// structLen walks one struct at the start of b and returns its length.
func structLen(b []byte, budget int64) (int, error) {
	w := &walker{b: b, budget: budget}
	if err := w.value(tStruct, 0); err != nil {
		return 0, fmt.Errorf("at byte %d: %w", w.i, err)
	}
	return w.i, nil
}

func (w *walker) spend(n int64) error {
	w.budget -= n
	if w.budget < 0 {
		return errors.New("the metadata claims more elements than the cap allows")
	}
	return nil
}

func (w *walker) byte() (byte, error) {
	if w.i >= len(w.b) {
		return 0, errShort
	}
	c := w.b[w.i]
	w.i++
	return c, nil
}

func (w *walker) uvarint() (uint64, error) {
	var x uint64
	for s := uint(0); s < 70; s += 7 {
		c, err := w.byte()
		if err != nil {
			return 0, err
		}
		x |= uint64(c&0x7f) << s
		if c < 0x80 {
			return x, nil
		}
	}
	return 0, errors.New("varint longer than 10 bytes")
}

// count reads a length or element count and checks that n elements of at
// least one byte each (min 1) can still follow.
func (w *walker) count(n uint64, min int) (int, error) {
	if n > uint64(len(w.b)-w.i)/uint64(min) {
		return 0, fmt.Errorf("a length of %d, but only %d bytes follow", n, len(w.b)-w.i)
	}
	return int(n), nil
}

func (w *walker) skip(n int) error {
	if n > len(w.b)-w.i {
		return errShort
	}
	w.i += n
	return nil
}

func (w *walker) value(t byte, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("values nested more than %d deep", maxDepth)
	}
	switch t {
	case tBoolTrue, tBoolFalse, tByte:
		// In a struct field the boolean is in the type; in a list it is one
		// byte, like tByte. Callers handle the field case.
		return w.skip(1)
	case tI16, tI32, tI64:
		_, err := w.uvarint()
		return err
	case tDouble:
		return w.skip(8)
	case tBinary:
		n, err := w.uvarint()
		if err != nil {
			return err
		}
		m, err := w.count(n, 1)
		if err != nil {
			return err
		}
		if err := w.spend(int64(m)); err != nil {
			return err
		}
		return w.skip(m)
	case tList, tSet:
		h, err := w.byte()
		if err != nil {
			return err
		}
		n, et := uint64(h>>4), h&0x0f
		if n == 15 {
			if n, err = w.uvarint(); err != nil {
				return err
			}
		}
		m, err := w.count(n, 1)
		if err != nil {
			return err
		}
		if err := w.spend(int64(m) * elemCost(et)); err != nil {
			return err
		}
		for range m {
			if err := w.value(et, depth+1); err != nil {
				return err
			}
		}
		return nil
	case tMap:
		n, err := w.uvarint()
		if err != nil || n == 0 {
			return err
		}
		m, err := w.count(n, 2)
		if err != nil {
			return err
		}
		kv, err := w.byte()
		if err != nil {
			return err
		}
		if err := w.spend(int64(m) * (elemCost(kv>>4) + elemCost(kv&0x0f)) * 2); err != nil {
			return err
		}
		for range m {
			if err := w.value(kv>>4, depth+1); err != nil {
				return err
			}
			if err := w.value(kv&0x0f, depth+1); err != nil {
				return err
			}
		}
		return nil
	case tStruct:
		for {
			h, err := w.byte()
			if err != nil {
				return err
			}
			if h == 0 {
				return nil
			}
			if h>>4 == 0 { // long form: the field id follows
				if _, err := w.uvarint(); err != nil {
					return err
				}
			}
			ft := h & 0x0f
			if ft == tBoolTrue || ft == tBoolFalse {
				continue
			}
			if err := w.value(ft, depth+1); err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("unknown thrift type %d", t)
}
