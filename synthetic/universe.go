package synthetic

import "math"

// Universe regions. Indices below privateBase are the shared vocabulary every
// site draws from (popular first); each site group has its own region of
// private tags above it, and two further regions hold names that are on no
// site: missing alias targets (dead) and fresh alias names.
const (
	privateBase  uint64 = 1 << 26
	regionStride uint64 = 1 << 24
	deadBase     uint64 = 1 << 31
	aliasBase    uint64 = 1 << 32
	baseAliasU   uint64 = 1 << 33 // the base DB's fallback alias names
)

// MaxScale bounds Options.Scale so that every region fits its index range
// (the largest region, the base DB's fallback alias names, holds ≤ 4M names).
const MaxScale = 4

// nameNumber is the number name() spells for u. Shared and private indices
// spell themselves; the dead and alias regions, far above, are folded into
// a compact range just past the private regions, so their names are as short
// as private ones (three English words at most) instead of one word longer.
// The folding is one-to-one for region offsets below subStride.
func nameNumber(u uint64) uint64 {
	const (
		folded    = privateBase + 16*regionStride
		subStride = 1 << 22
	)
	switch {
	case u < deadBase:
		return u
	case u < aliasBase:
		g, j := (u-deadBase)/regionStride, (u-deadBase)%regionStride
		return folded + g*subStride + j
	case u < baseAliasU:
		g, j := (u-aliasBase)/regionStride, (u-aliasBase)%regionStride
		return folded + (16+g)*subStride + j
	}
	return folded + 33*subStride + (u - baseAliasU)
}

// universe knows the kind and canonical name of every universe index.
type universe struct {
	v         *vocab
	r         rng
	universal dist
	private   map[uint64]dist // by site group; read-only after newUniverse
}

func newUniverse(seed uint64, specs []*siteSpec) *universe {
	un := &universe{v: newVocab(), r: rng{seed: seed}, universal: newDist(danbooruKinds()), private: map[uint64]dist{}}
	for _, sp := range specs {
		un.private[sp.group] = privateDist(newDist(sp.kinds), un.universal, sp.shared)
	}
	return un
}

func (un *universe) kind(u uint64) kind {
	if _, ok := un.v.specialAt(u); ok {
		return kGeneral
	}
	if u >= privateBase && u < deadBase {
		g := (u - privateBase) / regionStride
		if d, ok := un.private[g]; ok {
			return d.pick(un.r.f(stKind, g+1, u))
		}
	}
	return un.universal.pick(un.r.f(stKind, 0, u))
}

// name appends the canonical spelling of u.
func (un *universe) name(dst []byte, u uint64) []byte {
	return un.v.name(dst, un.r, u, un.kind(u))
}

func (un *universe) kaomoji(u uint64) bool {
	s, ok := un.v.specialAt(u)
	return ok && s.kaomoji
}

// privateU is private row j of a site group.
func privateU(group uint64, j int) uint64 { return privateBase + group*regionStride + uint64(j) }

// sharedU is shared row j of a site that takes a fraction density of the
// shared universe: about j/density, with a jitter that keeps it strictly
// increasing in j (so no site lists a universe index twice).
func (un *universe) sharedU(salt uint64, j int, density float64) uint64 {
	if density >= 1 {
		return uint64(j)
	}
	step := 1 / density
	base := uint64(float64(j) * step)
	w := int(step)
	if w <= 1 {
		return base
	}
	return base + uint64(un.r.n(stJitter, salt, uint64(j), w))
}

// countAt is a long-tailed count for site rank r: maxCount at rank 0 falling
// as a power law to about 2 at the last rank of the real site, times a noise
// factor in [0.5, 2). Explicit float64 conversions keep the compiler from
// fusing operations, so counts are the same on every platform.
func countAt(maxCount float64, realRows int, r float64, noise float64) int64 {
	alpha := math.Log(maxCount/2) / math.Log(float64(1+realRows))
	c := float64(maxCount * math.Pow(1+r, -alpha))
	c = float64(c * math.Exp2(float64(2*noise-1)))
	return int64(c)
}
