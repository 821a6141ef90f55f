package normalize

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchMix imitates the rows a build sees: mostly lowercase booru names with
// underscores, some disambiguated with parentheses, some already spaced or
// capitalised (zerochan, wallhaven), a few Japanese names, kaomoji and
// full-width punctuation.
var benchMix = []string{
	"1girl", "solo", "long_hair", "looking_at_viewer", "blush", "smile", "open_mouth", "short_hair",
	"blue_eyes", "simple_background", "shirt", "large_breasts", "skirt", "thighhighs", "hat",
	"hatsune_miku", "hatsune_miku_(append)", "bow_(weapon)", "ganyu_(genshin_impact)", "saber_(fate)",
	"Hatsune Miku", "Genshin Impact", "Long Hair", "Original", "VOCALOID",
	"highres", "absurdres", "commentary_request", "translated", "1boy", "2girls", "multiple_girls",
	"魔女", "初音ミク", "オリジナル", "Ｔｅｓｔ：ｘ", "ｆａｔｅ／ｇｒａｎｄ　ｏｒｄｅｒ",
	":d", "^_^", "(o_o)", ">_<", "xd", ";)",
	"copyright:vtuber", "artist:some_artist", "/mlp/", "3d", "x-ray",
}

func BenchmarkTag(b *testing.B) {
	benchmarkMix(b, Tag, benchMix)
}

func BenchmarkSourceTag(b *testing.B) {
	benchmarkMix(b, SourceTag, benchMix)
}

func BenchmarkLower(b *testing.B) {
	benchmarkMix(b, Lower, benchMix)
}

// BenchmarkTagSharedData runs Tag over the tags and aliases of the real
// tagcomplete lists, when they are present.
func BenchmarkTagSharedData(b *testing.B) {
	benchmarkMix(b, Tag, sharedTags(b))
}

func BenchmarkSourceTagSharedData(b *testing.B) {
	benchmarkMix(b, SourceTag, sharedTags(b))
}

func BenchmarkSplitTranslation(b *testing.B) {
	mix := []string{"一人の女の子", "魔女､まじょ", ",アークナイツ,アークナイツバトルイラコン", "「魔女」, “まじょ”", "ロングヘア"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		SplitTranslation(mix[i%len(mix)])
	}
}

func benchmarkMix(b *testing.B, f func(string) string, mix []string) {
	var bytes int64
	for _, s := range mix {
		bytes += int64(len(s))
	}
	b.SetBytes(bytes / int64(len(mix)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f(mix[i%len(mix)])
	}
}

func sharedTags(b *testing.B) []string {
	b.Helper()
	path := filepath.Join(repoRoot(), "..", "shared", "data", "tagcomplete", "danbooru.csv")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("shared data not available: %v", err)
	}
	var tags []string
	for line := range strings.Lines(string(data)) {
		// tag,category,count,"alias,alias": the tag and its aliases.
		tag, rest, _ := strings.Cut(strings.TrimRight(line, "\r\n"), ",")
		tags = append(tags, tag)
		if _, aliases, ok := strings.Cut(rest, `"`); ok {
			tags = append(tags, strings.Split(strings.TrimSuffix(aliases, `"`), ",")...)
		}
	}
	return tags
}
