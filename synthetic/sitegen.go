package synthetic

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// siteGen writes one site's tags.sqlite. Every value of row k is a function of
// k (through rowU and the hash streams), so aliases can name any row without
// the generator remembering the rows it wrote.
type siteGen struct {
	un   *universe
	sp   *siteSpec
	r    rng
	salt uint64 // the site group: near-duplicates make the same choices
	own  uint64 // this site alone (count drift)

	scale              float64
	n, nLeader, nAlias int // scaled row counts
	aliasRange         int // rows alias targets are drawn from
	sinkRow            int // the row holding the alias sink tag, or -1
	negStride, negRows int

	edt, est  *time.Location // US Eastern daylight / standard time, as the exports' timestamps
	buf, buf2 []byte
}

func newSiteGen(un *universe, sp *siteSpec, scale float64) *siteGen {
	g := &siteGen{
		un: un, sp: sp, r: un.r, salt: sp.group + 1, own: uint64(sp.format)<<8 | sp.group,
		scale: scale, n: scaled(sp.tags, scale), nAlias: scaled(sp.aliases, scale),
		sinkRow: -1,
		edt:     time.FixedZone("", -4*3600), est: time.FixedZone("", -5*3600),
	}
	g.aliasRange = g.n
	if sp.leaderTags > 0 {
		g.nLeader = min(scaled(sp.leaderTags, scale), g.n)
		g.aliasRange = g.nLeader
	}
	if sp.sink != "" && g.n > 0 {
		g.sinkRow = g.n / 2
	}
	if sp.negMin < 0 && g.n > 0 {
		g.negRows = max(1, g.n/25000)
		g.negStride = max(1, g.n/g.negRows)
	}
	return g
}

// scaled is a real count times the scale, at least 1 for a non-empty table.
func scaled(real int, scale float64) int {
	if real <= 0 {
		return 0
	}
	return max(1, int(float64(real)*scale+0.5))
}

// rowU is the universe index of row k, and whether it is a shared row plus
// its index within the shared or private rows.
func (g *siteGen) rowU(k int) (u uint64, shared bool, j int) {
	if g.sp.leaderTags > 0 && k >= g.nLeader {
		// A near-duplicate's own rows: its private region.
		return privateU(g.sp.group, k-g.nLeader), false, k - g.nLeader
	}
	picked, before := bresenham(k, g.sp.shared)
	if picked {
		return g.un.sharedU(g.salt, before, g.sp.density), true, before
	}
	return privateU(g.sp.group, k-before), false, k - before
}

// rowName appends row k's name as the site spells it.
func (g *siteGen) rowName(dst []byte, k int) []byte {
	if k == g.sinkRow {
		return append(dst, g.sp.sink...)
	}
	u, _, _ := g.rowU(k)
	return g.render(dst, u)
}

// render appends u's name in the site's spelling.
func (g *siteGen) render(dst []byte, u uint64) []byte {
	start := len(dst)
	dst = g.un.name(dst, u)
	if g.un.kaomoji(u) {
		return dst
	}
	switch g.sp.render {
	case renderSpaces:
		underscoresToSpaces(dst[start:])
	case renderTitle:
		underscoresToSpaces(dst[start:])
		dst = append(dst[:start], titleWords(dst[start:])...)
	case renderJapanese:
		if g.r.f(stStyle, g.salt, u) < 0.85 {
			dst = g.un.v.japaneseName(dst[:start], u)
		} else {
			underscoresToSpaces(dst[start:])
		}
	}
	return dst
}

func underscoresToSpaces(b []byte) {
	for i, c := range b {
		if c == '_' {
			b[i] = ' '
		}
	}
}

// titleWords upper-cases the first letter of every space-separated word,
// Cyrillic included ("hatsune miku (cosplay)" → "Hatsune Miku (Cosplay)").
func titleWords(b []byte) []byte {
	out := make([]byte, 0, len(b)+4)
	up := true
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if up && unicode.IsLower(r) {
			r = unicode.ToUpper(r)
		}
		up = r == ' ' || r == '('
		out = utf8.AppendRune(out, r)
		b = b[size:]
	}
	return out
}

// id is row k's site id: increasing, with gaps as real sites have.
func (g *siteGen) id(k int) int64 { return int64(1 + k + k/4) }

// rank is row k's popularity rank on the full-size site: shared rows rank by
// universe index (so a tag is popular on every site that has it), private
// rows by position. Dividing by the scale makes a scaled-down site a sample
// of the whole count distribution, long tail included, not just its head.
func (g *siteGen) rank(u uint64, shared bool, j int) float64 {
	sh := g.sp.shared
	var r float64
	switch {
	case shared:
		r = float64(u) * g.sp.density / sh
	case sh >= 1:
		r = float64(j)
	default:
		r = float64(j) / (1 - sh)
	}
	return r / g.scale
}

func (g *siteGen) count(k int, u uint64, shared bool, j int) int64 {
	if g.negStride > 0 && k%g.negStride == g.negStride/2 && k/g.negStride < g.negRows {
		if k/g.negStride == 0 {
			return int64(g.sp.negMin) // the documented minimum, exactly
		}
		return -int64(1 + g.r.n(stNegative, g.salt, uint64(k), -g.sp.negMin))
	}
	c := countAt(g.sp.maxCount, g.sp.tags, g.rank(u, shared, j), g.r.f(stCount, g.salt, u))
	if g.sp.countDrift > 0 && g.r.f(stCount, g.own, uint64(k)) < g.sp.countDrift {
		c = c * 97 / 100
	}
	return c
}

// timestamp formats a site time as the pandas exports do:
// "2013-03-04 07:12:47.463000-05:00".
func (g *siteGen) timestamp(unix int64, ms int) string {
	t := time.Unix(unix, int64(ms)*int64(time.Millisecond)).UTC()
	loc := g.est
	if m := t.Month(); m >= time.April && m <= time.October {
		loc = g.edt
	}
	return t.In(loc).Format("2006-01-02 15:04:05.000000-07:00")
}

// created is row k's creation time: rows are in id order, so in time order
// between the site's start and the snapshot, with jitter.
func (g *siteGen) created(k int) int64 {
	const snapshot = 1744416000 // 2025-04-12, when most sites were last synced
	span := snapshot - g.sp.since
	t := g.sp.since + int64(float64(span)*float64(k)/float64(max(1, g.n)))
	return t + int64(g.r.n(stTime, g.salt, uint64(k), 86400))
}

func (g *siteGen) updated(k int, created int64) int64 {
	const snapshot = 1744416000
	return created + int64(g.r.f(stTime, g.salt+1000, uint64(k))*float64(snapshot-created))
}

// typeOf is the site's own type value for a kind: an int64 for numbered
// types, a string for gelbooru and zerochan.
func (g *siteGen) typeOf(k kind, h float64) any {
	switch g.sp.family {
	case famDanbooru:
		return pick(k, [numKinds]int64{kGeneral: 0, kArtist: 1, kCircle: 1, kCopyright: 3, kCharacter: 4, kMeta: 5})
	case famE621:
		return pick(k, [numKinds]int64{kGeneral: 0, kArtist: 1, kContributor: 2, kCopyright: 3, kCharacter: 4,
			kSpecies: 5, kInvalid: 6, kMeta: 7, kLore: 8, kCircle: 1})
	case famSankaku:
		if k == kMeta {
			if h < 0.58 {
				return int64(8)
			}
			return int64(9)
		}
		return pick(k, [numKinds]int64{kGeneral: 0, kArtist: 1, kCircle: 2, kCopyright: 3, kCharacter: 4, kGenre: 5})
	case famGelbooru:
		switch k {
		case kArtist, kCircle:
			return "artist"
		case kCopyright:
			return "copyright"
		case kCharacter:
			return "character"
		case kMeta:
			return "metadata"
		case kDeprecated:
			return "deprecated"
		}
		return "general"
	case famMoebooruA:
		return pick(k, [numKinds]int64{kGeneral: 0, kArtist: 1, kCircle: 1, kCopyright: 3, kCharacter: 4, kMeta: 5})
	case famMoebooruB:
		if g.sp.domain == "yande.re" { // yande.re: 5 circle, 6 faults
			return pick(k, [numKinds]int64{kGeneral: 0, kArtist: 1, kCopyright: 3, kCharacter: 4, kCircle: 5, kMeta: 6})
		}
		return pick(k, [numKinds]int64{kGeneral: 0, kArtist: 1, kCopyright: 3, kCharacter: 4, kMeta: 5, kCircle: 6})
	case famLolibooru:
		return pick(k, [numKinds]int64{kGeneral: 0, kArtist: 1, kCopyright: 3, kCharacter: 4, kCircle: 5, kMeta: 6})
	case famAnimePictures:
		switch k {
		case kMeta:
			return int64(0)
		case kCharacter:
			return int64(1)
		case kArtist:
			return int64(4)
		case kCircle:
			return int64(6)
		case kCopyright:
			switch {
			case h < 0.6:
				return int64(3)
			case h < 0.85:
				return int64(5)
			}
			return int64(6)
		}
		if h < 0.05 {
			return int64(7)
		}
		return int64(2)
	case famZerochan:
		switch k {
		case kArtist:
			return "mangaka"
		case kCharacter:
			if h < 0.03 {
				return "character,vtuber"
			}
			return "character"
		case kCopyright:
			switch {
			case h < 0.75:
				return "series"
			case h < 0.9:
				return "game"
			case h < 0.95:
				return "movie"
			}
			return "source"
		case kMeta:
			return "meta"
		case kCircle:
			if h < 0.5 {
				return "studio"
			}
			return "group"
		case kGenre:
			return "artbook"
		}
		return "theme"
	}
	return nil
}

// pick looks a kind up in a per-family table; kinds a family has no type for
// are left at 0, its "general".
func pick(k kind, m [numKinds]int64) int64 { return m[k] }

// ---- aliases ----

// sinkAliasNames are the punctuation-only names e621 really sends to
// invalid_tag; some sink aliases use them.
func sinkAliasNames() []string { return []string{")", "(", "?", "!!", "+", "<3"} }

// aliasPair is tag_aliases row j: alias → target.
func (g *siteGen) aliasPair(j int) (alias, target string) {
	jj := uint64(j)
	if j > 0 && g.r.f(stAlias, g.salt, jj) < 0.003 {
		// An alias listed again with another target: the builder's
		// first-win / override conflict path.
		a, _ := g.aliasPairBase(j - 1)
		_, t := g.aliasPairBase(j)
		if a != t {
			return a, t
		}
	}
	return g.aliasPairBase(j)
}

func (g *siteGen) aliasPairBase(j int) (alias, target string) {
	sp := g.sp
	jj := uint64(j)
	// Sink aliases (e621 invalid_tag, gelbooru bad_tag).
	if sp.sink != "" && g.r.f(stAlias, g.salt+7, jj) < 0.012 {
		names := sinkAliasNames()
		if x := g.r.n(stAliasName, g.salt+7, jj, 50); x < len(names) {
			return names[x], sp.sink
		}
		u := aliasBase + sp.group*regionStride + jj
		return string(g.render(g.buf[:0], u)), sp.sink
	}
	// Target: a row of the site, or a name the site does not list.
	var tu uint64
	var tb []byte
	if g.r.f(stAliasTarget, g.salt, jj) < sp.missingTarget || g.aliasRange == 0 {
		tu = deadBase + sp.group*regionStride + jj
		tb = g.render(g.buf[:0], tu)
	} else {
		kt := g.r.n(stAliasTarget, g.salt+1, jj, g.aliasRange)
		tu, _, _ = g.rowU(kt)
		tb = g.rowName(g.buf[:0], kt)
		if kt == g.sinkRow {
			tu = deadBase + sp.group*regionStride + jj
		}
		// Alias name present in tags: another row. A missing target always
		// comes with a missing alias name, so among present targets the
		// alias is missing less often, to meet the site's overall share.
		if g.r.f(stAliasName, g.salt, jj) >= g.missingAliasGivenTarget() && g.aliasRange > 1 {
			ka := g.r.n(stAliasName, g.salt+1, jj, g.aliasRange-1)
			if ka >= kt {
				ka++
			}
			return string(g.rowName(g.buf2[:0], ka)), string(tb)
		}
	}
	g.buf = tb
	ab := g.variant(g.buf2[:0], j, tu, tb)
	if bytes.Equal(ab, tb) || len(ab) == 0 {
		ab = g.render(ab[:0], aliasBase+sp.group*regionStride+jj)
	}
	g.buf2 = ab
	return string(ab), string(tb)
}

// missingAliasGivenTarget is the chance that an alias whose target is in
// tags is not itself in tags, such that the overall share is missingAlias.
func (g *siteGen) missingAliasGivenTarget() float64 {
	mA, mT := g.sp.missingAlias, g.sp.missingTarget
	if mT >= 1 || mA <= mT {
		return 0
	}
	return (mA - mT) / (1 - mT)
}

// variant appends an alias name derived from the target: the forms real alias
// lists are full of (run-together words, typos, initials, other-language
// names) and, failing those, a fresh name.
func (g *siteGen) variant(dst []byte, j int, tu uint64, target []byte) []byte {
	jj := uint64(j)
	x := g.r.f(stAliasVariant, g.salt, jj)
	if x < g.sp.japaneseAliases {
		return g.un.v.japaneseName(dst, aliasBase+g.sp.group*regionStride+jj)
	}
	x = g.r.f(stAliasVariant, g.salt+1, jj)
	ascii := isASCII(target)
	switch {
	case x < 0.35 && ascii:
		if bytes.ContainsAny(target, "_ ") {
			for _, c := range target {
				if c != '_' && c != ' ' {
					dst = append(dst, c)
				}
			}
			return dst
		}
		return append(append(dst, target...), 's')
	case x < 0.55 && ascii && len(target) > 3:
		p := 1 + g.r.n(stAliasVariant, g.salt+2, jj, len(target)-1)
		return append(append(dst, target[:p-1]...), target[p:]...)
	case x < 0.70 && ascii && len(target) > 3:
		p := 1 + g.r.n(stAliasVariant, g.salt+3, jj, len(target)-2)
		dst = append(dst, target...)
		i := len(dst) - len(target) + p
		dst[i], dst[i+1] = dst[i+1], dst[i]
		return dst
	case x < 0.72 && ascii:
		dst = append(dst, '/')
		start := true
		for _, c := range target {
			if start && c >= 'a' && c <= 'z' {
				dst = append(dst, c)
			}
			start = c == '_' || c == ' '
		}
		return dst
	case x < 0.85:
		return g.un.v.japaneseName(dst, tu)
	}
	return g.render(dst, aliasBase+g.sp.group*regionStride+jj)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// ---- tags tables per family ----

func (g *siteGen) columns() []column {
	I, T, TS := "INTEGER", "TEXT", "TIMESTAMP"
	switch g.sp.family {
	case famDanbooru:
		return []column{{"id", I}, {"name", T}, {"post_count", I}, {"category", I}, {"created_at", TS},
			{"updated_at", TS}, {"is_deprecated", I}, {"words", T}}
	case famE621:
		return []column{{"id", I}, {"name", T}, {"post_count", I}, {"related_tags", T}, {"related_tags_updated_at", TS},
			{"category", I}, {"is_locked", I}, {"created_at", TS}, {"updated_at", TS}}
	case famSankaku:
		cols := []column{{"id", I}, {"name", T}, {"type", I}, {"post_count", I}, {"pool_count", I},
			{"series_count", I}, {"rating", T}, {"version", I}, {"parent_ids", T}, {"child_ids", T}, {"related_ids", T}}
		for _, l := range sankakuLangs() {
			cols = append(cols, column{"trans_" + l.col, T})
		}
		return cols
	case famAnimePictures:
		return []column{{"id", I}, {"tag", T}, {"tag_ru", T}, {"tag_jp", T}, {"num", I}, {"num_pub", I}, {"type", I},
			{"description_en", T}, {"description_ru", T}, {"description_jp", T}, {"alias", I}, {"parent", I}, {"views", I}}
	case famPixiv:
		cols := []column{{"name", T}, {"wiki_url", T}, {"updated_at", TS}, {"views", I}, {"posts", I}, {"checklists", I}}
		for _, f := range pixivFlags() {
			cols = append(cols, column{f, I})
		}
		if g.sp.enPixiv {
			cols = append(cols, column{"trans_ja", T}, column{"trans_ja_wiki_url", T})
		}
		return cols
	case famWallhaven:
		return []column{{"name", T}, {"id", I}, {"category_name", T}, {"category_id", I}, {"posts", I},
			{"views", I}, {"subscriptions", I}}
	case famZerochan:
		return []column{{"tag", T}, {"type", T}, {"parent", T}, {"total", I}, {"strict", I},
			{"children_count", I}, {"parent_count", I}}
	case famGelbooru:
		return []column{{"name", T}, {"count", I}, {"type", T}, {"is_ambiguous", I}}
	case famMoebooruA:
		return []column{{"type", I}, {"count", I}, {"name", T}, {"ambiguous", I}, {"id", I}}
	case famMoebooruB:
		return []column{{"id", I}, {"name", T}, {"count", I}, {"type", I}, {"ambiguous", I}}
	case famLolibooru:
		return []column{{"id", I}, {"name", T}, {"post_count", I}, {"cached_related", T},
			{"cached_related_expires_on", TS}, {"tag_type", I}, {"is_ambiguous", I}}
	}
	panic(fmt.Sprintf("synthetic: no columns for family %d", g.sp.family))
}

// sankakuLang is one sankaku trans_* column: its name suffix, how often it is
// filled, and which script its values are in.
type sankakuLang struct {
	col    string
	rate   float64
	script script
}

type script int

const (
	scriptJapanese script = iota
	scriptChinese
	scriptKorean
	scriptCyrillic
	scriptLatin
	scriptEnglish
	scriptThai
)

func sankakuLangs() []sankakuLang {
	return []sankakuLang{
		{"en", 0.10, scriptEnglish}, {"ja", 0.15, scriptJapanese}, {"ru", 0.03, scriptCyrillic},
		{"pt", 0.01, scriptLatin}, {"zh-CN", 0.06, scriptChinese}, {"fr", 0.01, scriptLatin},
		{"it", 0.005, scriptLatin}, {"ko", 0.02, scriptKorean}, {"vi", 0.005, scriptLatin},
		{"zh-HK", 0.02, scriptChinese}, {"de", 0.01, scriptLatin}, {"es", 0.015, scriptLatin},
		{"th", 0.003, scriptThai},
	}
}

func pixivFlags() []string {
	return []string{"is_anime", "is_manga", "is_novel", "is_game", "is_figure", "is_music", "is_vtuber",
		"is_vocaloid", "is_cosplay", "is_original", "is_character", "is_work", "is_person", "is_group", "is_doujin"}
}

func wallhavenCategories() []string {
	return []string{"Anime & Manga", "People", "Landscapes", "Plants", "Animals", "Architecture",
		"Vehicles", "Art & Design", "Fantasy & Sci-Fi", "Games", "Cities", "Space"}
}

// translation appends a translation of u in a script. salt varies it, so one
// tag can have two different values; every few values carry two
// alternatives joined by one of the separators the builder splits on.
func (g *siteGen) translation(dst []byte, u uint64, sc script, salt uint64) []byte {
	return appendTranslation(dst, g.un, u, sc, salt)
}

func appendTranslation(dst []byte, un *universe, u uint64, sc script, salt uint64) []byte {
	v := un.v
	h := un.r.h(stTrans, salt, u)
	switch sc {
	case scriptJapanese:
		dst = digits(dst, h%60000, 2, "", v.japanese)
	case scriptChinese:
		dst = digits(dst, h%40000, 2, "", v.chinese)
	case scriptKorean:
		n := 2 + int(h%3)
		for i := 0; i < n; i++ {
			dst = utf8.AppendRune(dst, rune(0xAC00+(h>>(8*i+4))%11172))
		}
	case scriptCyrillic:
		dst = digits(dst, h%5000, 1, " ", v.cyrillic)
	case scriptLatin:
		dst = digits(dst, h%3000, 1, " ", v.latin)
	case scriptThai:
		dst = digits(dst, h%100000, 3, "", v.thai)
	case scriptEnglish:
		start := len(dst)
		dst = un.name(dst, u)
		underscoresToSpaces(dst[start:])
	}
	if sc != scriptEnglish && h>>48%8 == 0 {
		seps := []string{", ", "、", "､", "，"}
		dst = append(dst, seps[h>>52%4]...)
		return appendTranslation(dst, un, u, sc, salt+101)
	}
	return dst
}

// writeTags writes the tags table.
func (g *siteGen) writeTags(ctx context.Context, w *tableWriter, progress func(int)) error {
	sp := g.sp
	langs := sankakuLangs()
	flags := pixivFlags()
	cats := wallhavenCategories()
	vals := make([]any, 0, 32)
	var nb, tmp []byte
	for k := 0; k < g.n; k++ {
		if k%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			progress(k)
		}
		u, shared, j := g.rowU(k)
		kd := g.un.kind(u)
		if k == g.sinkRow {
			kd = kInvalid
			if sp.family == famGelbooru {
				kd = kDeprecated
			}
		}
		nb = g.rowName(nb[:0], k)
		name := string(nb)
		cnt := g.count(k, u, shared, j)
		h := g.r.f(stType, g.salt, u)
		typ := g.typeOf(kd, h)
		id := g.id(k)
		kk := uint64(k)
		vals = append(vals[:0], int64(k))
		switch sp.family {
		case famDanbooru:
			c := g.created(k)
			dep := int64(0)
			if g.r.f(stDeprecated, g.salt, kk) < 0.0022 {
				dep = 1
			}
			tmp = pyWords(tmp[:0], nb)
			vals = append(vals, id, name, cnt, typ, g.timestamp(c, k%1000), g.timestamp(g.updated(k, c), (k*7)%1000),
				dep, string(tmp))
		case famE621:
			c := g.created(k)
			var related, relatedAt any
			if cnt >= 1000 {
				tmp = g.related(tmp[:0], k, 8, true)
				related, relatedAt = string(tmp), g.timestamp(g.updated(k, c), 0)
			}
			locked := int64(0)
			if g.r.f(stFlags, g.salt, kk) < 0.01 {
				locked = 1
			}
			vals = append(vals, id, name, cnt, related, relatedAt, typ, locked, g.timestamp(c, k%1000),
				g.timestamp(g.updated(k, c), (k*7)%1000))
		case famSankaku:
			var rating, version any
			if x := g.r.f(stFlags, g.salt, kk); x < 0.3 {
				rating = []string{"s", "q", "e"}[int(x*10)%3]
				version = int64(1 + int(x*100)%5)
			}
			var parentIDs, childIDs any
			if g.r.f(stRelated, g.salt, kk) < 0.06 {
				parentIDs = fmt.Sprint(g.id(g.r.n(stRelated, g.salt+1, kk, g.n)))
			}
			if g.r.f(stRelated, g.salt+2, kk) < 0.05 {
				childIDs = fmt.Sprint(g.id(g.r.n(stRelated, g.salt+3, kk, g.n)))
			}
			vals = append(vals, id, name, typ, cnt, max(0, cnt/500), max(0, cnt/5000), rating, version,
				parentIDs, childIDs, nil)
			for li, l := range langs {
				if g.r.f(stTrans2, g.salt+uint64(li), u) < l.rate {
					tmp = g.translation(tmp[:0], u, l.script, uint64(li))
					vals = append(vals, string(tmp))
				} else {
					vals = append(vals, nil)
				}
			}
		case famAnimePictures:
			var ru, jp, den, dru, djp any
			if g.r.f(stTrans2, g.salt, u) < 0.25 {
				ru = string(g.translation(tmp[:0], u, scriptCyrillic, 1))
			}
			if g.r.f(stTrans2, g.salt+1, u) < 0.35 {
				jp = string(g.translation(tmp[:0], u, scriptJapanese, 2))
			}
			if x := g.r.f(stFlags, g.salt, kk); x < 0.05 {
				den = "Synthetic description of " + name + "."
				if x < 0.02 {
					dru, djp = "Описание: "+name, "説明："+name
				}
			}
			alias, parent := int64(0), int64(0)
			if g.isAliasRow(k) {
				alias = g.id(g.aliasTargetRow(k))
			}
			if g.r.f(stRelated, g.salt, kk) < 0.03 && g.n > 1 {
				parent = g.id(g.r.n(stRelated, g.salt+1, kk, g.n))
			}
			vals = append(vals, id, name, ru, jp, cnt, cnt*9/10, typ, den, dru, djp, alias, parent,
				max(0, cnt)*37+int64(g.r.n(stFlags, g.salt+1, kk, 1000)))
		case famPixiv:
			host := "https://dic.pixiv.net/a/"
			if sp.enPixiv {
				host = "https://en-dic.pixiv.net/a/"
			}
			c := g.created(k)
			upd := time.Unix(g.updated(k, c), int64(k%1000000)*1000).UTC().Format("2006-01-02 15:04:05.000000")
			vals = append(vals, name, host+url.PathEscape(name), upd, cnt*23+int64(k%97), cnt,
				int64(g.r.n(stFlags, g.salt, kk, 100)))
			fl := g.r.h(stFlags, g.salt+1, kk)
			for fi := range flags {
				on := int64(0)
				if fl>>(fi*4)%16 == 0 || (fi == 10 && kd == kCharacter) || (fi == 12 && kd == kArtist) {
					on = 1
				}
				vals = append(vals, on)
			}
			if sp.enPixiv {
				if g.r.f(stTrans2, g.salt, u) < 0.6 {
					tmp = g.un.v.japaneseName(tmp[:0], u)
					ja := string(tmp)
					vals = append(vals, ja, "https://dic.pixiv.net/a/"+url.PathEscape(ja))
				} else {
					vals = append(vals, nil, nil)
				}
			}
		case famWallhaven:
			ci := g.r.n(stType, g.salt, u, len(cats))
			switch kd {
			case kCharacter:
				ci = 0
			case kCopyright:
				ci = []int{0, 9}[ci%2]
			case kArtist:
				ci = 7
			}
			vals = append(vals, name, id, cats[ci], int64(ci+1), cnt, cnt*41+int64(k%89), cnt/20)
		case famZerochan:
			var parent any
			pc := int64(0)
			if kd == kCharacter {
				tmp = append(tmp[:0], g.un.v.series[g.r.n(stQualifier, 0, u, len(g.un.v.series))]...)
				underscoresToSpaces(tmp)
				parent = string(titleWords(tmp))
				pc = 1
			}
			cc := int64(0)
			if kd == kCopyright {
				cc = int64(g.r.n(stRelated, g.salt, kk, 200))
			}
			vals = append(vals, name, typ, parent, cnt, int64(g.r.n(stFlags, g.salt, kk, 2)), cc, pc)
		case famGelbooru:
			vals = append(vals, name, cnt, typ, ambiguous(g, kk))
		case famMoebooruA:
			vals = append(vals, typ, cnt, name, ambiguous(g, kk), id)
		case famMoebooruB:
			vals = append(vals, id, name, cnt, typ, ambiguous(g, kk))
		case famLolibooru:
			var rel, exp any = "", nil
			if cnt >= 100 {
				tmp = g.related(tmp[:0], k, 6, false)
				rel = string(tmp)
				exp = g.timestamp(g.created(k)+86400*30, 0)
			}
			vals = append(vals, id, name, cnt, rel, exp, typ, ambiguous(g, kk))
		}
		if err := w.row(vals...); err != nil {
			return fmt.Errorf("tags row %d: %w", k, err)
		}
	}
	return nil
}

func ambiguous(g *siteGen, k uint64) int64 {
	if g.r.f(stFlags, g.salt+5, k) < 0.004 {
		return 1
	}
	return 0
}

// related appends space-separated names of other rows (e621 related_tags with
// counts, lolibooru cached_related without).
func (g *siteGen) related(dst []byte, k int, n int, withCounts bool) []byte {
	for i := 0; i < n; i++ {
		if i > 0 {
			dst = append(dst, ' ')
		}
		o := g.r.n(stRelated, g.salt+10+uint64(i), uint64(k), g.n)
		dst = g.rowName(dst, o)
		if withCounts {
			dst = append(dst, ' ')
			dst = appendInt(dst, int64(1000>>i))
		}
	}
	return dst
}

// pyWords writes the danbooru words column: the Python repr of the name's
// words, "['long', 'hair']".
func pyWords(dst, name []byte) []byte {
	dst = append(dst, '[')
	for i, w := range strings.FieldsFunc(string(name), func(r rune) bool { return r == '_' || r == ' ' }) {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		q := byte('\'')
		if strings.ContainsRune(w, '\'') {
			q = '"'
		}
		dst = append(dst, q)
		dst = append(dst, w...)
		dst = append(dst, q)
	}
	return append(dst, ']')
}

// isAliasRow: anime-pictures rows whose alias column points at another row.
func (g *siteGen) isAliasRow(k int) bool {
	if g.n < 2 {
		return false
	}
	return g.r.f(stAlias, g.salt, uint64(k)) < float64(g.sp.aliasIDs)/float64(g.sp.tags)
}

// aliasTargetRow picks the preferred row of an alias row: another row that is
// not itself an alias, so the id chain is one step, as on the real site.
func (g *siteGen) aliasTargetRow(k int) int {
	for i := uint64(0); ; i++ {
		t := g.r.n(stAliasTarget, g.salt, uint64(k)*64+i, g.n)
		if t != k && (!g.isAliasRow(t) || i > 60) {
			return t
		}
	}
}

// writeAliases writes tag_aliases(index, alias, tag).
func (g *siteGen) writeAliases(ctx context.Context, w *tableWriter) error {
	for j := 0; j < g.nAlias; j++ {
		if j%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		a, t := g.aliasPair(j)
		if err := w.row(int64(j), a, t); err != nil {
			return fmt.Errorf("tag_aliases row %d: %w", j, err)
		}
	}
	return nil
}

// writeLinks writes a sankaku parents/children table.
func (g *siteGen) writeLinks(ctx context.Context, w *tableWriter, rows int, salt uint64) error {
	for j := 0; j < rows; j++ {
		jj := uint64(j)
		a := g.r.n(stRelated, g.salt+salt, jj, g.n)
		b := g.r.n(stRelated, g.salt+salt+1, jj, g.n)
		if err := w.row(int64(j), g.id(a), g.id(b)); err != nil {
			return fmt.Errorf("row %d: %w", j, err)
		}
	}
	return ctx.Err()
}
