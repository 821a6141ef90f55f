package sitetags

import "hash/maphash"

// noID marks "no name" in the uint32 id arrays.
const noID = ^uint32(0)

// nameTable interns strings into one byte arena and numbers them 0, 1, 2, ...
// It exists because zerochan alone has 507k aliases: a map[string]string of
// them costs about 100 bytes per entry in headers, buckets and separately
// allocated strings, while this costs the bytes of each name plus about
// 12 bytes (an offset and two hash slots). After freeze, every name is a
// substring of a single string, so handing names out allocates nothing.
type nameTable struct {
	seed   maphash.Seed
	buf    []byte // the arena while names are being added
	str    string // the arena after freeze
	frozen bool
	off    []uint32 // name i is arena[off[i]:off[i+1]]
	slots  []uint32 // open addressing; 0 = empty, else id+1
}

func newNameTable() *nameTable {
	return &nameTable{seed: maphash.MakeSeed(), off: []uint32{0}, slots: make([]uint32, 1024)}
}

// len is the number of names.
func (t *nameTable) len() int { return len(t.off) - 1 }

// name returns name id. Before freeze it allocates; call it there only for
// messages.
func (t *nameTable) name(id uint32) string {
	a, b := t.off[id], t.off[id+1]
	if !t.frozen {
		return string(t.buf[a:b])
	}
	return t.str[a:b]
}

func (t *nameTable) equal(id uint32, s string) bool {
	a, b := t.off[id], t.off[id+1]
	if !t.frozen {
		return string(t.buf[a:b]) == s // no allocation: the compiler compares in place
	}
	return t.str[a:b] == s
}

// find returns the id of s, or the slot where it would go.
func (t *nameTable) find(s string) (id uint32, slot int, ok bool) {
	mask := uint64(len(t.slots) - 1)
	i := maphash.String(t.seed, s) & mask
	for {
		v := t.slots[i]
		if v == 0 {
			return 0, int(i), false
		}
		if t.equal(v-1, s) {
			return v - 1, int(i), true
		}
		i = (i + 1) & mask
	}
}

// lookup returns the id of s if it was interned.
func (t *nameTable) lookup(s string) (uint32, bool) {
	id, _, ok := t.find(s)
	return id, ok
}

// intern returns the id of s, adding it if new; added reports which.
func (t *nameTable) intern(s string) (id uint32, added bool) {
	id, slot, ok := t.find(s)
	if ok {
		return id, false
	}
	if t.frozen {
		panic("sitetags: intern after freeze") // a programming error, never input-driven
	}
	id = uint32(t.len())
	t.buf = append(t.buf, s...)
	t.off = append(t.off, uint32(len(t.buf)))
	t.slots[slot] = id + 1
	if 2*t.len() > len(t.slots) { // keep the load factor at or below 1/2
		t.grow()
	}
	return id, true
}

func (t *nameTable) grow() {
	t.slots = make([]uint32, 2*len(t.slots))
	mask := uint64(len(t.slots) - 1)
	for id := 0; id < t.len(); id++ {
		i := maphash.Bytes(t.seed, t.buf[t.off[id]:t.off[id+1]]) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = uint32(id) + 1
	}
}

// freeze ends adding: the arena becomes one string shared by all names.
func (t *nameTable) freeze() {
	if t.frozen {
		return
	}
	t.str = string(t.buf)
	t.buf = nil
	t.frozen = true
}
