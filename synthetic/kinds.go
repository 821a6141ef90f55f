package synthetic

// kind is what a tag is about, independent of any site's numbering. A
// universe index has one kind, so a tag is an artist on every site that has
// it; each site maps kinds to its own type column (siteSpec.typeOf).
type kind int

const (
	kGeneral kind = iota
	kArtist
	kCopyright
	kCharacter
	kMeta
	kSpecies
	kContributor
	kInvalid
	kLore
	kCircle // organization, studio, group
	kGenre  // sankaku type 5
	kDeprecated
	numKinds
)

func (k kind) prefix() string {
	switch k {
	case kArtist:
		return "artist:"
	case kCopyright:
		return "copyright:"
	case kCharacter:
		return "character:"
	case kMeta:
		return "meta:"
	case kSpecies:
		return "species:"
	default:
		return "general:"
	}
}

// dist is a kind distribution as cumulative weights.
type dist struct{ cum [numKinds]float64 }

func newDist(w map[kind]float64) dist {
	var d dist
	total := 0.0
	for k := kind(0); k < numKinds; k++ {
		total += w[k]
	}
	acc := 0.0
	for k := kind(0); k < numKinds; k++ {
		acc += w[k] / total
		d.cum[k] = acc
	}
	d.cum[numKinds-1] = 1
	return d
}

func (d dist) pick(x float64) kind { return kind(weighted(d.cum[:], x)) }

func (d dist) weight(k kind) float64 {
	if k == 0 {
		return d.cum[0]
	}
	return d.cum[k] - d.cum[k-1]
}

// privateDist is the distribution a site's private rows must follow so that
// the mix of its shared rows (fraction shared, universal kinds) and private
// rows matches the site's documented distribution target as closely as
// non-negative weights allow.
func privateDist(target, universal dist, shared float64) dist {
	if shared >= 1 {
		return target
	}
	w := map[kind]float64{}
	sum := 0.0
	for k := kind(0); k < numKinds; k++ {
		x := target.weight(k) - shared*universal.weight(k)
		if x < 0 {
			x = 0
		}
		w[k] = x
		sum += x
	}
	if sum == 0 {
		return target
	}
	return newDist(w)
}

// Documented distributions (docs/site-tags.md, "Snapshot figures"). The
// universal distribution is danbooru's, because danbooru takes nearly the
// whole shared universe.
func danbooruKinds() map[kind]float64 {
	return map[kind]float64{kArtist: 620730, kGeneral: 565801, kCharacter: 345077, kCopyright: 60861, kMeta: 1311}
}

func e621Kinds() map[kind]float64 {
	return map[kind]float64{kCharacter: 291651, kArtist: 192376, kGeneral: 129080, kCopyright: 24798,
		kSpecies: 24378, kContributor: 1281, kMeta: 882, kInvalid: 577, kLore: 104}
}

func sankakuKinds() map[kind]float64 {
	return map[kind]float64{kGeneral: 975288, kArtist: 382686, kCharacter: 225313, kCopyright: 45217,
		kCircle: 24452, kMeta: 2176 + 1569, kGenre: 203}
}

func gelbooruKinds() map[kind]float64 {
	return map[kind]float64{kGeneral: 11033, kCharacter: 4202, kArtist: 3169, kCopyright: 1099,
		kDeprecated: 338, kMeta: 145}
}

// Undocumented sites get plausible shapes of their family.
func moebooruKinds() map[kind]float64 {
	return map[kind]float64{kGeneral: 50, kArtist: 28, kCharacter: 14, kCopyright: 6, kCircle: 1.5, kMeta: 0.5}
}

func illustrationKinds() map[kind]float64 {
	return map[kind]float64{kGeneral: 40, kCharacter: 30, kArtist: 20, kCopyright: 8, kMeta: 1, kCircle: 1}
}

func pixivKinds() map[kind]float64 {
	return map[kind]float64{kGeneral: 60, kCharacter: 20, kCopyright: 15, kArtist: 5}
}

func wallhavenKinds() map[kind]float64 {
	return map[kind]float64{kGeneral: 75, kCharacter: 12, kCopyright: 8, kArtist: 5}
}
