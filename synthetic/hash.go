package synthetic

// Every random choice of the generator is a pure function of (seed, stream,
// index): no generator state is carried from one row to the next. That is what
// lets any row, alias target or base tag be recomputed from its index alone,
// so the generator never holds a site in memory, and what makes the output
// independent of how sites are scheduled over the workers.

// Streams name the independent decisions. Two decisions about the same index
// must use different streams, or they would be correlated.
const (
	stKind uint64 = iota + 1
	stStyle
	stDecor
	stDigits
	stQualifier
	stCount
	stJitter
	stTrans
	stTrans2
	stTransSplit
	stAlias
	stAliasName
	stAliasTarget
	stAliasVariant
	stDeprecated
	stNegative
	stTime
	stFlags
	stRelated
	stType
	stBase
	stBaseFormat
	stBasePref
	stParquet
	stMisc
)

// mix is the SplitMix64 finaliser: a bijection on uint64 with good avalanche.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// rng hashes one decision. salt separates sites (or other owners) that share
// a stream.
type rng struct{ seed uint64 }

func (r rng) h(stream, salt, i uint64) uint64 {
	return mix(mix(mix(r.seed^stream*0xd1b54a32d192ed03)^salt*0x8cb92ba72f3d8dd7) ^ i)
}

// f returns a float64 in [0, 1) for the decision.
func (r rng) f(stream, salt, i uint64) float64 {
	return float64(r.h(stream, salt, i)>>11) / (1 << 53)
}

// n returns an integer in [0, n) for the decision (n > 0).
func (r rng) n(stream, salt, i uint64, n int) int {
	return int(r.h(stream, salt, i) % uint64(n))
}

// bresenham reports whether item k of a sequence is picked when a fraction p
// of the items is wanted, spreading the picks evenly, and how many items were
// picked before k. Unlike a coin flip it is exact and O(1) in both directions,
// which lets the generator map a row number to "shared row number j" without
// counting.
func bresenham(k int, p float64) (picked bool, before int) {
	if p >= 1 {
		return true, k
	}
	if p <= 0 {
		return false, 0
	}
	a := int(float64(k) * p)
	b := int(float64(k+1) * p)
	return b > a, a
}

// weighted picks an index from cumulative weights cum (ascending, last = 1)
// with x in [0, 1).
func weighted(cum []float64, x float64) int {
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}
