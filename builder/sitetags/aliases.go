package sitetags

import (
	"slices"
	"strconv"
	"strings"

	"github.com/tagdb/tagdb-action/builder/record"
)

// Sink targets: an alias to one of these is a "this tag is junk" marker, not
// a redirect (docs/site-tags.md, "Aliases").
const (
	sinkInvalid = "invalid_tag" // e621
	sinkBad     = "bad_tag"     // gelbooru
)

// Per-name flags.
const (
	flagVisiting uint8 = 1 << iota // on the chain being walked
	flagDone                       // final canonical known
	flagSink                       // alias of a sink target
	flagSeen                       // the name has a row in the tags table
)

// aliasIndex holds one site's alias pairs, resolves them, and answers
// "is this tags row an alias, and which aliases does this canonical have"
// while the tags table streams. It is the one structure the adapter keeps for
// a whole site, so every per-name field is a flat array indexed by name id.
type aliasIndex struct {
	names *nameTable
	// target is, while pairs are added, the first candidate of each alias;
	// after resolve, the final canonical of each alias. noID for a name that is
	// not an alias.
	target []uint32
	flags  []uint8
	// extra holds the further distinct candidates of an alias in first-seen
	// order. Most aliases have one candidate, so this map stays small.
	extra map[uint32][]uint32
	// order lists aliases by their first pair; orderPos is that pair's
	// position number (rowid or row), for the positions of synthetic rows.
	order    []uint32
	orderPos []int64
	// posPrefix + number is a pair's Row.Pos ("tag_aliases rowid 12").
	posPrefix string
	// sinkOn: aliases to invalid_tag/bad_tag are sinks. True for tag_aliases
	// tables, false for anime-pictures' id column, as in the Python builder.
	sinkOn bool

	// After resolve: the aliases of canonical c are list[listOff[c]:listOff[c+1]],
	// sorted by name; sinks is sorted by name.
	listOff []uint32
	list    []uint32
	sinks   []posID
	aliases int // resolved non-sink aliases
}

type posID struct {
	id  uint32
	pos int64
}

func newAliasIndex(posPrefix string, sinkOn bool) *aliasIndex {
	return &aliasIndex{names: newNameTable(), extra: map[uint32][]uint32{}, posPrefix: posPrefix, sinkOn: sinkOn}
}

func (x *aliasIndex) pos(n int64) string { return x.posPrefix + strconv.FormatInt(n, 10) }

func (x *aliasIndex) intern(s string) uint32 {
	id, added := x.names.intern(s)
	if added {
		x.target = append(x.target, noID)
		x.flags = append(x.flags, 0)
	}
	return id
}

// add records the pair alias → canonical found at position n. Both are
// trimmed, non-empty and different (the loaders check).
func (x *aliasIndex) add(n int64, alias, canonical string) {
	a := x.intern(alias)
	c := x.intern(canonical)
	switch {
	case x.target[a] == noID:
		x.target[a] = c
		x.order = append(x.order, a)
		x.orderPos = append(x.orderPos, n)
	case x.target[a] == c || slices.Contains(x.extra[a], c):
	default:
		x.extra[a] = append(x.extra[a], c)
	}
}

// resolve picks one canonical per alias, follows chains to their end, breaks
// cycles, marks sinks and builds the per-canonical alias lists. overrides is
// this domain's alias → canonical map (raw spellings).
func (x *aliasIndex) resolve(domain string, overrides map[string]string, skip func(pos, reason string), conflict func(record.AliasConflict)) {
	// Override targets may name tags no pair mentions; intern them all first
	// so that the table can be frozen and every name() below is free.
	for _, ov := range overrides {
		if ov = strings.TrimSpace(ov); ov != "" {
			x.intern(ov)
		}
	}
	x.names.freeze()

	// 1. Several candidates: the override, else the first in pair order
	// (docs/python-differences.md, W15: the loaders read pairs ORDER BY rowid,
	// so "first" is defined).
	for i, a := range x.order {
		ov, hasOv := overrides[x.names.name(a)]
		// Site names are trimmed, so overrides are too; a blank one (only
		// possible when the caller built Overrides by hand) is no override.
		if ov = strings.TrimSpace(ov); ov == "" {
			hasOv = false
		}
		if !hasOv {
			for _, c := range x.extra[a] {
				conflict(record.AliasConflict{Domain: domain, Alias: x.names.name(a),
					Selected: x.names.name(x.target[a]), Rejected: x.names.name(c), Reason: "first-win"})
			}
			continue
		}
		o, _ := x.names.lookup(ov)
		for _, c := range append([]uint32{x.target[a]}, x.extra[a]...) {
			if c != o {
				conflict(record.AliasConflict{Domain: domain, Alias: x.names.name(a),
					Selected: ov, Rejected: x.names.name(c), Reason: "override"})
			}
		}
		if o == a {
			// An override naming the alias itself says "this is not an alias".
			x.target[a] = noID
			x.order[i] = noID
			continue
		}
		x.target[a] = o
	}
	x.extra = nil
	x.compact()

	// 2. Chains (docs/python-differences.md, W8): a → b → c makes a and b
	// aliases of c. Each walk marks its path, and points every name on it
	// straight at the end, so later walks stop early. A walk that meets its own
	// path has found a cycle.
	var path []uint32
	var orderIdx []int32 // name id -> index in order; built at the first cycle
	for _, a := range x.order {
		path = path[:0]
		n := a
		for x.target[n] != noID && x.flags[n]&(flagVisiting|flagDone) == 0 {
			x.flags[n] |= flagVisiting
			path = append(path, n)
			n = x.target[n]
		}
		var root uint32
		switch {
		case x.target[n] == noID:
			root = n
		case x.flags[n]&flagDone != 0:
			root = x.target[n]
		default:
			if orderIdx == nil {
				orderIdx = make([]int32, x.names.len())
				for i, o := range x.order {
					if o != noID {
						orderIdx[o] = int32(i)
					}
				}
			}
			root = x.breakCycle(path[slices.Index(path, n):], orderIdx, skip)
		}
		for _, p := range path {
			x.flags[p] = x.flags[p]&^flagVisiting | flagDone
			if p != root {
				x.target[p] = root
			}
		}
	}
	x.compact() // cycle roots are no longer aliases

	// 3. Sinks, and the alias lists of each canonical, sorted by name.
	counts := make([]uint32, x.names.len()+1)
	for i, a := range x.order {
		c := x.target[a]
		if x.sinkOn {
			if cn := x.names.name(c); cn == sinkInvalid || cn == sinkBad {
				x.flags[a] |= flagSink
				x.sinks = append(x.sinks, posID{a, x.orderPos[i]})
				continue
			}
		}
		counts[c+1]++
		x.aliases++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	x.listOff = counts
	x.list = make([]uint32, x.aliases)
	fill := slices.Clone(counts[:len(counts)-1])
	for _, a := range x.order {
		if x.flags[a]&flagSink == 0 {
			c := x.target[a]
			x.list[fill[c]] = a
			fill[c]++
		}
	}
	byName := func(a, b uint32) int { return strings.Compare(x.names.name(a), x.names.name(b)) }
	for c := 0; c < x.names.len(); c++ {
		if seg := x.list[x.listOff[c]:x.listOff[c+1]]; len(seg) > 1 {
			slices.SortFunc(seg, byName)
		}
	}
	slices.SortFunc(x.sinks, func(a, b posID) int { return byName(a.id, b.id) })
}

// breakCycle reports the cycle and makes its lexicographically smallest member
// canonical, so the result does not depend on where the walk entered it.
// The reported position is the first pair of the cycle in file order.
func (x *aliasIndex) breakCycle(cycle []uint32, orderIdx []int32, skip func(pos, reason string)) uint32 {
	m, first := cycle[0], orderIdx[cycle[0]]
	for _, c := range cycle[1:] {
		if x.names.name(c) < x.names.name(m) {
			m = c
		}
		first = min(first, orderIdx[c])
	}
	var b strings.Builder
	b.WriteString("alias cycle: ")
	b.WriteString(x.names.name(m))
	for c := x.target[m]; ; c = x.target[c] {
		b.WriteString(" -> ")
		b.WriteString(x.names.name(c))
		if c == m {
			break
		}
	}
	skip(x.pos(x.orderPos[first]), b.String())
	x.target[m] = noID
	return m
}

// compact drops from order the names that stopped being aliases: those an
// override declared canonical and the members that broke a cycle.
func (x *aliasIndex) compact() {
	o, p := x.order[:0], x.orderPos[:0]
	for i, a := range x.order {
		if a == noID || x.target[a] == noID {
			continue
		}
		o = append(o, a)
		p = append(p, x.orderPos[i])
	}
	x.order, x.orderPos = o, p
}

// lookup returns the id of a tags row's name if any pair mentions it.
func (x *aliasIndex) lookup(tag string) (uint32, bool) { return x.names.lookup(tag) }

// isAlias: the name is an alias with a real (non-sink) canonical.
func (x *aliasIndex) isAlias(id uint32) bool {
	return x.target[id] != noID && x.flags[id]&flagSink == 0
}

func (x *aliasIndex) isSink(id uint32) bool { return x.flags[id]&flagSink != 0 }

func (x *aliasIndex) markSeen(id uint32) { x.flags[id] |= flagSeen }

// aliasesOf returns the sorted aliases of canonical id.
func (x *aliasIndex) aliasesOf(id uint32) []uint32 { return x.list[x.listOff[id]:x.listOff[id+1]] }

// orphans returns the canonicals that have aliases but no tags row
// (docs/python-differences.md, W9 a),
// sorted by name, each with the position of its first pair.
func (x *aliasIndex) orphans() []posID {
	first := map[uint32]int64{}
	for i, a := range x.order {
		c := x.target[a]
		if x.flags[a]&flagSink != 0 || x.flags[c]&flagSeen != 0 {
			continue
		}
		if _, ok := first[c]; !ok {
			first[c] = x.orderPos[i]
		}
	}
	out := make([]posID, 0, len(first))
	for c, p := range first {
		out = append(out, posID{c, p})
	}
	slices.SortFunc(out, func(a, b posID) int { return strings.Compare(x.names.name(a.id), x.names.name(b.id)) })
	return out
}

// unseenSinks returns the sink aliases that have no tags row, sorted by name.
func (x *aliasIndex) unseenSinks() []posID {
	var out []posID
	for _, s := range x.sinks {
		if x.flags[s.id]&flagSeen == 0 {
			out = append(out, s)
		}
	}
	return out
}
