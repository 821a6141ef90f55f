package synthetic

// family is a tags.sqlite column layout. deepghs/site_tags has 12 distinct
// schemas over 18 sites (docs/site-tags.md); each family writes one, and each
// hits one detection rule (docs/site-tags.md, "Schema detection").
type family int

const (
	famDanbooru      family = iota // rule 2: danbooru, safebooru, allthefallen
	famE621                        // rule 3
	famSankaku                     // rule 1
	famAnimePictures               // rule 4
	famPixiv                       // rule 5: pixiv.net, en.pixiv.net (+trans_ja)
	famWallhaven                   // rule 6
	famZerochan                    // rule 7
	famGelbooru                    // rule 8: type TEXT
	famMoebooruA                   // rule 9: hypnohub, rule34, xbooru (type,count,name,ambiguous,id)
	famMoebooruB                   // rule 9: konachan, yande.re (id,name,count,type,ambiguous)
	famLolibooru                   // rule 11
)

// rendering is how a site spells a canonical name.
type rendering int

const (
	renderUnderscore rendering = iota // long_hair
	renderSpaces                      // long hair (anime-pictures, wallhaven, en.pixiv)
	renderTitle                       // Long Hair (zerochan)
	renderJapanese                    // ロングヘア for most rows (pixiv.net)
)

// siteSpec describes one synthetic site. Counts are the real snapshot's
// (docs/site-tags.md, "Snapshot figures"); Generate multiplies them by the scale.
type siteSpec struct {
	domain string
	format int // the builder's TAG_FORMATS.format_id for the domain
	family family
	// group names the universe region of the site's private tags and salts
	// its random choices; danbooru and safebooru share a group, and so do
	// konachan.com and konachan.net, which is what makes them near-duplicates.
	group   uint64
	tags    int
	aliases int // tag_aliases rows (0: the site has no tag_aliases table)
	// leaderTags: for a near-duplicate (safebooru), the first leaderTags rows
	// are the group leader's rows; the rest are the site's own.
	leaderTags int
	// countDrift is the fraction of rows whose count differs from the group
	// leader's (snapshots taken at different times).
	countDrift float64
	// shared is the fraction of rows drawn from the shared universe, density
	// how thinly: shared row j is universe index ≈ j/density, so a small site
	// with a low density holds tags of every popularity, not only the top.
	shared, density float64
	kinds           map[kind]float64
	maxCount        float64 // the count of the most popular tag
	negMin          int     // the documented minimum count (< 0), 0 if none
	// missingAlias / missingTarget: fraction of tag_aliases rows whose alias
	// / target is not in tags (docs/site-tags.md, "Snapshot figures").
	missingAlias, missingTarget float64
	// japaneseAliases: fraction of missing alias names that are Japanese
	// alternative names rather than spelling variants (zerochan).
	japaneseAliases float64
	sink            string // alias sink target ("invalid_tag", "bad_tag")
	render          rendering
	aliasIDs        int  // anime-pictures: rows whose tags.alias is non-zero
	enPixiv         bool // en.pixiv.net: adds trans_ja, trans_ja_wiki_url
	copyOf          string
	since           int64 // unix time of the site's first tag
	parents         int   // sankaku parents rows
	children        int   // sankaku children rows
}

// siteSpecs is the table of the 18 domains, in the order the jobs are
// listed (biggest first, so two workers finish close together).
func siteSpecs() []*siteSpec {
	const (
		y2005 = 1116892800 // 2005-05-24
		y2007 = 1171065600 // 2007-02-10
		y2010 = 1262304000
		y2013 = 1356998400
		y2019 = 1546300800
	)
	return []*siteSpec{
		{domain: "chan.sankakucomplex.com", format: 6, family: famSankaku, group: 2, tags: 1656904,
			shared: 0.55, density: 0.6, kinds: sankakuKinds(), maxCount: 9e6, negMin: -40, since: y2007,
			parents: 97531, children: 93467},
		{domain: "danbooru.donmai.us", format: 1, family: famDanbooru, group: 0, tags: 1593780, aliases: 52496,
			shared: 1, density: 1, kinds: danbooruKinds(), maxCount: 6.0e6, missingAlias: 0.5, missingTarget: 0.01,
			since: y2005},
		{domain: "safebooru.donmai.us", format: 4, family: famDanbooru, group: 0, tags: 1593782, aliases: 52496,
			leaderTags: 1593780, countDrift: 0.01,
			shared: 1, density: 1, kinds: danbooruKinds(), maxCount: 6.0e6, missingAlias: 0.5, missingTarget: 0.01,
			since: y2005},
		{domain: "rule34.xxx", format: 8, family: famMoebooruA, group: 10, tags: 1400492, aliases: 8836,
			shared: 0.5, density: 0.5, kinds: moebooruKinds(), maxCount: 8e6,
			missingAlias: 1767.0 / 8836, missingTarget: 1145.0 / 8836, since: y2007},
		{domain: "e621.net", format: 2, family: famE621, group: 3, tags: 665127, aliases: 70547,
			shared: 0.25, density: 0.3, kinds: e621Kinds(), maxCount: 3.4e6,
			missingAlias: 63157.0 / 70547, missingTarget: 12369.0 / 70547, sink: "invalid_tag", since: y2007},
		{domain: "zerochan.net", format: 17, family: famZerochan, group: 14, tags: 459731, aliases: 507454,
			shared: 0.5, density: 0.2, kinds: illustrationKinds(), maxCount: 4e5,
			missingAlias: 506744.0 / 507454, missingTarget: 4774.0 / 507454, japaneseAliases: 0.5,
			render: renderTitle, since: y2007},
		{domain: "booru.allthefallen.moe", format: 5, family: famDanbooru, group: 1, tags: 296356, aliases: 11386,
			shared: 0.7, density: 0.3, kinds: danbooruKinds(), maxCount: 3e5, missingAlias: 0.5, missingTarget: 0.02,
			since: y2019},
		{domain: "lolibooru.moe", format: 13, family: famLolibooru, group: 9, tags: 157149, aliases: 2907,
			shared: 0.6, density: 0.15, kinds: moebooruKinds(), maxCount: 3e5, negMin: -11,
			missingAlias: 0.5, missingTarget: 0.05, since: y2010},
		{domain: "anime-pictures.net", format: 14, family: famAnimePictures, group: 15, tags: 149065,
			aliasIDs: 4119, shared: 0.6, density: 0.1, kinds: illustrationKinds(), maxCount: 5e5,
			render: renderSpaces, since: y2010},
		{domain: "yande.re", format: 16, family: famMoebooruB, group: 13, tags: 132180, aliases: 6203,
			shared: 0.75, density: 0.1, kinds: moebooruKinds(), maxCount: 3e5, negMin: -10,
			missingAlias: 0.5, missingTarget: 0.05, since: y2010},
		{domain: "pixiv.net", format: 18, family: famPixiv, group: 5, tags: 103039,
			shared: 0.8, density: 0.1, kinds: pixivKinds(), maxCount: 1e7, render: renderJapanese, since: y2013},
		{domain: "wallhaven.cc", format: 15, family: famWallhaven, group: 11, tags: 100446,
			shared: 0.3, density: 0.05, kinds: wallhavenKinds(), maxCount: 6e4, render: renderSpaces, since: y2013},
		{domain: "konachan.com", format: 11, family: famMoebooruB, group: 8, tags: 93713, aliases: 678,
			shared: 0.7, density: 0.08, kinds: moebooruKinds(), maxCount: 1.5e5, negMin: -10,
			missingAlias: 0.5, missingTarget: 0.05, since: y2010},
		{domain: "konachan.net", format: 12, family: famMoebooruB, group: 8, tags: 93713, aliases: 678,
			shared: 0.7, density: 0.08, kinds: moebooruKinds(), maxCount: 1.5e5, negMin: -10,
			missingAlias: 0.5, missingTarget: 0.05, since: y2010, copyOf: "konachan.com"},
		{domain: "hypnohub.net", format: 10, family: famMoebooruA, group: 7, tags: 58633, aliases: 631,
			shared: 0.4, density: 0.1, kinds: moebooruKinds(), maxCount: 8e4,
			missingAlias: 0.5, missingTarget: 0.05, since: y2010},
		{domain: "xbooru.com", format: 9, family: famMoebooruA, group: 12, tags: 25266, aliases: 100,
			shared: 0.6, density: 0.03, kinds: moebooruKinds(), maxCount: 5e5,
			missingAlias: 0.5, missingTarget: 0.05, since: y2010},
		{domain: "gelbooru.com", format: 7, family: famGelbooru, group: 6, tags: 19986, aliases: 19090,
			shared: 0.95, density: 0.03, kinds: gelbooruKinds(), maxCount: 1e7,
			missingAlias: 18672.0 / 19090, missingTarget: 12014.0 / 19090, sink: "bad_tag", since: y2007},
		{domain: "en.pixiv.net", format: 18, family: famPixiv, group: 4, tags: 14679, enPixiv: true,
			shared: 0.9, density: 0.02, kinds: pixivKinds(), maxCount: 2e6, render: renderSpaces, since: y2013},
	}
}
