package normalize

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestTag(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// docs/merge-rules.md, "Worked examples".
		{"Witch", "witch"},
		{"HATSUNE_MIKU", "hatsune miku"},
		{"spiked_collar", "spiked collar"},
		{"1_girl", "1 girl"},
		{"  tag  ", "tag"},
		{" multiple words ", "multiple words"},
		{":D", ":D"},
		{"(o_o)", `\(o_o\)`},
		{"^_^", "^_^"},
		{"0_0", "0_0"},
		{">_<", ">_<"},
		{"x_x", "x_x"},
		{"3_3", "3_3"},
		{"100_100", "100_100"},
		{"t_t", "t t"},
		{"u_u", "u u"},
		{"@_@", "@ @"},
		{"au_ra", "au ra"},
		{"XD", "XD"},
		{"xd", "xd"},
		{"bow_(weapon)", `bow \(weapon\)`},
		{`bow_\(weapon\)`, `bow \(weapon\)`},
		{"(mlp)", `\(mlp\)`},
		{"/mlp/", "/mlp/"},
		{"Ｔｅｓｔ：ｘ", "ｔｅｓｔ:ｘ"},
		{"_", ""},
		{"__", ""},
		{"", ""},
		{" \t\u3000", ""},
		{"copyright:vtuber", "copyright:vtuber"},
		// Not idempotent for escaped faces (docs/merge-rules.md, "Worked
		// examples").
		{`\(o_o\)`, `\(o o\)`},
		// Decisions: collapsed spaces, one backslash for ＼, no NFKC.
		{"a__b", "a b"},
		{"a_ _b", "a b"},
		{"a\u3000\u3000b", "a b"},
		{"a\t\tb", "a\t\tb"},
		{"a＼b", `a\b`},
		{"＼（ａ）", `\(ａ\)`},
		{"ＴＥＳＴ＿ｘ", "ｔｅｓｔ＿ｘ"},
		{"（Ｘ）", `\(ｘ\)`},
		// Python lowercasing.
		{"İSTANBUL", "i\u0307stanbul"},
		{"ΟΔΟΣ", "οδος"},
		{"ΟΔΟΣ_ΟΔΟΣ", "οδος οδος"},
		{"Σ", "σ"},
		{"ΑΣ'Α", "ασ'α"},
		// Python whitespace, including U+001C..U+001F and U+0085.
		{"\x1cLong_Hair\x1f", "long hair"},
		{"\u0085tag\u00a0", "tag"},
		{"_a_\t", "a"},
		{"a_\u00a0", "a"},
		// Parenthesis escaping looks at the character before.
		{"a(b", `a\(b`},
		{`a\(b`, `a\(b`},
		{`a\\(b`, `a\\(b`},
		{"(a)(b)", `\(a\)\(b\)`},
		{"hatsune_miku_(append)", `hatsune miku \(append\)`},
		{"_(a)", `\(a\)`},
	}
	for _, tt := range tests {
		if got := Tag(tt.in); got != tt.want {
			t.Errorf("Tag(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSourceTag(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Witch", "witch"},
		{"HATSUNE_MIKU", "hatsune_miku"},
		{"Spiked_Collar", "spiked_collar"},
		{"  tag  ", "tag"},
		{":D", ":D"},
		{"XD", "XD"},
		{"(o_o)", "(o_o)"},
		{"(O_O)", "(O_O)"},
		{"T_T", "t_t"},
		{"Bow_(Weapon)", "bow_(weapon)"},
		{"Ｔｅｓｔ：ｘ", "ｔｅｓｔ：ｘ"},
		{"_", "_"},
		{"__", "__"},
		{"a__b", "a__b"},
		{"", ""},
		{"İ", "i\u0307"},
	}
	for _, tt := range tests {
		if got := SourceTag(tt.in); got != tt.want {
			t.Errorf("SourceTag(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsKaomoji(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", false},
		{"   ", false},
		{":D", true},
		{" :D ", true},
		{"XD", true},
		{"xd", true},
		{"xp", true}, // a known false positive (docs/python-differences.md, W14), kept
		{";)", true},
		{"8)", true},
		{":-P", true},
		{`x-\`, true},
		{":<", true},
		{":>=", true},
		{";>", true},
		{"(o_o)", true},
		{"(9)", true},
		{"(ooooo)", true},
		{"(oooooo)", false}, // a block has at most five characters
		{"(ooooo_ooooo)", true},
		{"(mlp)", false},
		{"(MLP)", false},
		{"^_^", true},
		{"0_0", true},
		{">_<", true},
		{"x_x", true},
		{"3_3", true},
		{"100_100", true},
		{"1000_1", false}, // 4 characters in a block, and 2 alnum-free runes are missing
		{"t_t", false},
		{"u_u", false},
		{"v_v", false},
		{"au_ra", false},
		{"@_@", false},
		{"o_o_o", true},
		{"^^;", true}, // rule 9
		{">:(", true},
		{"=^.^=", true},
		{"orz", false},
		{"bow_(weapon)", false},
		{"/mlp/", false},
		{"/a:b/", false},       // rule 3 before rule 9
		{"/A:B/", false},       // rule 3 ignores case
		{"a:_(b)", false},      // rule 2 before rule 9
		{"ſ:_(b)", false},      // Python's IGNORECASE [a-z] matches ſ
		{"K:_(a)", false},      // ... and the Kelvin sign
		{"İ:_(a)", false},      // ... and İ
		{"é:_(a)", true},       // but not é, so rule 9 decides
		{"i\u0307:_(a)", true}, // lowercased İ is no longer a rule 2 match
		{"^_^" + strings.Repeat("_^", 10) + "_", true}, // 24 runes
		{"^_^" + strings.Repeat("_^", 11), false},      // 25 runes
		{"(´・ω・`)", false},                             // no ^;:<>= at all
		{"\\(^o^)/", true},
	}
	for _, tt := range tests {
		if got := IsKaomoji(tt.in); got != tt.want {
			t.Errorf("IsKaomoji(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if got := refIsKaomoji(tt.in); got != tt.want {
			t.Errorf("refIsKaomoji(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLower(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"abc", "abc"},
		{"ABC", "abc"},
		// Where Go's strings.ToLower differs from Python.
		{"İ", "i\u0307"},
		{"İSTANBUL", "i\u0307stanbul"},
		{"ΟΔΟΣ", "οδος"},
		{"ΟΔΟΣ ΟΔΟΣ", "οδος οδος"},
		{"ΣΑ", "σα"},
		{"Σ", "σ"},
		{"ΑΣ.", "ας."},   // "." is case-ignorable, then end of string
		{"ΑΣ.Α", "ασ.α"}, // ... then a cased letter
		{"Α.Σ", "α.ς"},   // case-ignorable before
		{"ΑΣ\u0301", "ας\u0301"},
		{"ΑΣ\u0301Β", "ασ\u0301β"},
		{"ΑΣ_Β", "ας_β"},       // "_" is neither cased nor case-ignorable
		{"\u0345Σ", "\u0345σ"}, // U+0345 is cased but also case-ignorable
		{"ǅΣ", "ǆς"},           // title case counts as cased
		{"ΑΣΣ", "ασς"},
		{"ΑΣ：Α", "ασ：α"}, // U+FF1A is case-ignorable like ":"
		{"ΑΣ＾Α", "ασ＾α"}, // U+FF3E is Sk
		{"ẞ", "ß"},
		{"K", "k"}, // Kelvin sign
		{"Ω", "ω"},
		{"Ｔｅｓｔ", "ｔｅｓｔ"},
		{"a\xffB", "a\xffb"}, // invalid UTF-8 is kept
	}
	for _, tt := range tests {
		if got := Lower(tt.in); got != tt.want {
			t.Errorf("Lower(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The cases above where Go differs must really differ, or the test proves
	// nothing about Python compatibility.
	for _, in := range []string{"İ", "ΟΔΟΣ", "ΑΣ."} {
		if strings.ToLower(in) == Lower(in) {
			t.Errorf("strings.ToLower(%q) == Lower: not a distinguishing case", in)
		}
	}
}

func TestTrimSpace(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"a", "a"},
		{" a ", "a"},
		{"\x1c\x1d\x1e\x1fa\t\n\v\f\r", "a"},
		{"\u0085\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000a\u3000", "a"},
		{"\u200ba\u200b", "\u200ba\u200b"}, // zero-width space is not whitespace
		{"\u180ea", "\u180ea"},
		{"　全角　", "全角"},
	}
	for _, tt := range tests {
		if got := TrimSpace(tt.in); got != tt.want {
			t.Errorf("TrimSpace(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestIsSpaceCoversUnicode checks that every rune Go calls white space is
// Python white space too, and that the extra ones are exactly U+001C..U+001F.
func TestIsSpaceCoversUnicode(t *testing.T) {
	for r := rune(0); r <= 0x3000; r++ {
		py, g := IsSpace(r), unicode.IsSpace(r)
		switch {
		case g && !py:
			t.Errorf("unicode.IsSpace(%U) but not IsSpace", r)
		case py && !g && (r < 0x1c || r > 0x1f):
			t.Errorf("IsSpace(%U) but not unicode.IsSpace", r)
		}
	}
}

// TestLowerIsIdempotentPerRune: Lower(Lower(s)) == Lower(s) relies on every
// lowercase mapping being a fixed point of the mapping.
func TestLowerIsIdempotentPerRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); unicode.ToLower(l) != l {
			t.Fatalf("ToLower(ToLower(%U)) != ToLower(%U)", r, r)
		}
	}
}

// TestFullWidthKeepsSigmaContext: normalizeWord reads the Final_Sigma context
// from the unmapped string, which is right only if mapping full-width
// punctuation never changes Cased or Case_Ignorable.
func TestFullWidthKeepsSigmaContext(t *testing.T) {
	for r := rune(0x3000); r <= 0xffff; r++ {
		a := fullWidthASCII(r)
		if a == 0 {
			continue
		}
		m := rune(a)
		if cased(r) != cased(m) || caseIgnorable(r) != caseIgnorable(m) {
			t.Errorf("%U and its ASCII %q differ in Cased/Case_Ignorable", r, m)
		}
	}
}

func TestFullWidthTable(t *testing.T) {
	var got []string
	for r := rune(0x3000); r <= 0xffff; r++ {
		if a := fullWidthASCII(r); a != 0 {
			got = append(got, string(r)+string(rune(a)))
		}
	}
	want := []string{"\u3000 ", "！!", "＃#", "％%", "＆&", "（(", "）)", "＊*", "＋+", "，,", "－-", "．.", "／/",
		"：:", "；;", "＜<", "＝=", "＞>", "？?", "＠@", "［[", `＼\`, "］]", "＾^", "｛{", "｜|", "｝}", "～~"}
	if !slices.Equal(got, want) {
		t.Errorf("full-width table = %q, want %q", got, want)
	}
	if len(want) != 28 { // 27 punctuation characters and U+3000
		t.Errorf("table has %d entries", len(want))
	}
}

func TestSplitTranslation(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"魔女", []string{"魔女"}},
		{",アークナイツ,アークナイツバトルイラコン", []string{"アークナイツ", "アークナイツバトルイラコン"}},
		{",崩壊", []string{"崩壊"}},
		{"つくよみちゃん,", []string{"つくよみちゃん"}},
		{"魔女､まじょ", []string{"魔女", "まじょ"}}, // U+FF64
		{"魔女､ウィッチ", []string{"魔女", "ウィッチ"}},
		{"a，b、c﹐d､e,f", []string{"a", "b", "c", "d", "e", "f"}},
		{" 「魔女」 , “まじょ” ", []string{"魔女", "まじょ"}},
		{`"'魔女'"`, []string{"魔女"}},
		{"‘a’，’b‘", []string{"a", "b"}},
		{"\"\t魔女\"", []string{"魔女"}}, // Python keeps the tab
		{" , ,、\"\" ", nil},
		{"a,a", []string{"a", "a"}},
		{"Digimon Universe：Appli Monsters", []string{"Digimon Universe：Appli Monsters"}},
		{"a b", []string{"a b"}},
	}
	for _, tt := range tests {
		if got := SplitTranslation(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("SplitTranslation(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHasRequiredScript(t *testing.T) {
	tests := []struct {
		lang, text string
		want       bool
	}{
		// docs/merge-rules.md, "Worked examples": of these ja rows only 猫耳 and ねこみみ are kept.
		{"ja", "猫耳", true},
		{"ja", "！！", false},
		{"ja", "abc", false},
		{"ja", "Digimon Universe：Appli Monsters", false},
		{"ja", "ねこみみ", true},
		{"ja", "ネコ", true},
		{"ja", "ﾈｺ", false}, // half-width katakana does not count
		{"ja", "𠀀", false},  // CJK Ext-B does not count
		{"ja", "豈", true},   // compatibility ideograph
		{"ja", "㐀", true},   // Ext-A
		{"ja", "", true},
		{"ja", " ", false},
		{"zh", "猫", true},
		{"zh", "ねこ", false},
		{"zh", "abc猫", true},
		{"ko", "고양이", true},
		{"ko", "ㄱ", false}, // Hangul jamo are not syllables
		{"ko", "猫", false},
		{"en", "abc", true},
		{"zh-cn", "abc", true},
		{"ru", "", true},
	}
	for _, tt := range tests {
		if got := HasRequiredScript(tt.lang, tt.text); got != tt.want {
			t.Errorf("HasRequiredScript(%q, %q) = %v, want %v", tt.lang, tt.text, got, tt.want)
		}
	}
}

func TestLanguageCode(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means ok == false
	}{
		{"trans_ja", "ja"},
		{"trans_en", "en"},
		{"trans_zh-CN", "zh-cn"},
		{"trans_zh-HK", "zh-hk"},
		{"trans_pt", "pt"},
		{"trans_vi", "vi"},
		{"trans_th", "th"},
		{"TRANS_DE", "de"},
		{"trans_japanese", "ja"},
		{"trans_ja_wiki_url", ""},
		{"trans_", ""},
		{"tag_jp", "ja"},
		{"tag_ja", "ja"},
		{"name_JA", "ja"},
		{"tag_ru", "ru"},
		{"tag_ko", "ko"},
		{"tag_zh", "zh"},
		{"ja", "ja"},
		{"EN", "en"},
		{"zh", "zh"},
		{"ko", "ko"},
		{"fr", "fr"},
		{"de", "de"},
		{"es", "es"},
		{"ru", "ru"},
		{"pt", "pt"},
		{"it", "it"},
		{"vi", "vi"},
		{"th", "th"},
		{"zh-CN", "zh-cn"},
		{"zh-HK", "zh-hk"},
		{"zh-TW", "zh-tw"},
		{"zh-Hant", "zh-hant"},
		{"zh_CN", "zh-cn"},
		{"jp", "ja"},
		{" japanese ", "ja"},
		{"Japanese", "ja"},
		{"english", "en"},
		{"chinese", "zh"},
		{"korean", "ko"},
		{"french", "fr"},
		{"german", "de"},
		{"spanish", "es"},
		{"russian", "ru"},
		{"portuguese", "pt"},
		{"italian", "it"},
		{"vietnamese", "vi"},
		{"thai", "th"},
		{"translation", ""}, // Python: "tr"
		{"other_names", ""},
		{"zh-Hans", ""},
		{"", ""},
		{"tr\u212aa", ""},
	}
	for _, tt := range tests {
		got, ok := LanguageCode(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("LanguageCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.want != "")
		}
	}
}

func TestCategoryPrefixes(t *testing.T) {
	want := []string{"general:", "artist:", "copyright:", "character:", "species:", "invalid:", "meta:", "lore:"}
	got := CategoryPrefixes()
	if !slices.Equal(got, want) {
		t.Fatalf("CategoryPrefixes() = %q, want %q", got, want)
	}
	got[0] = "changed"
	if CategoryPrefixes()[0] != "general:" {
		t.Error("CategoryPrefixes returns shared storage")
	}
}

func TestStripCategoryPrefix(t *testing.T) {
	tests := []struct {
		in, base string
		ok       bool
	}{
		{"copyright:vtuber", "vtuber", true},
		{"copyright:onlyprefixed", "onlyprefixed", true},
		{"Copyright:VTuber", "VTuber", true}, // prefix case ignored, base kept
		{"ARTIST: name ", "name", true},
		{"general:a", "a", true},
		{"character:hatsune miku", "hatsune miku", true},
		{"species:cat", "cat", true},
		{"invalid:x", "x", true},
		{"meta:x", "x", true},
		{"lore:x", "x", true},
		{"copyright:", "", false},
		{"copyright:  ", "", false},
		{"vtuber", "", false},
		{"copyrights:x", "", false},
		{" copyright:x", "", false}, // Tag output is trimmed; no leading space
		{"meta", "", false},
		{"\u212aore:x", "", false}, // Kelvin sign is not k
		{"", "", false},
	}
	for _, tt := range tests {
		base, ok := StripCategoryPrefix(tt.in)
		if base != tt.base || ok != tt.ok {
			t.Errorf("StripCategoryPrefix(%q) = %q, %v; want %q, %v", tt.in, base, ok, tt.base, tt.ok)
		}
	}
}

func TestIdempotence(t *testing.T) {
	// The documented exception: a face that is no longer one once escaped.
	if x := "(o_o)"; Tag(Tag(x)) == Tag(x) {
		t.Errorf("Tag(Tag(%q)) == Tag(%q): the documented exception no longer exists; update doc.go", x, x)
	}
	for _, x := range []string{"HATSUNE_MIKU", `a\(b`, `\\(`, "＼（", "ΑΣ_Β", "İ:_(a)", "：＜", "(mlp)", "^_^", `\(o_o\)`} {
		if y := Tag(x); Tag(y) != y {
			t.Errorf("Tag(Tag(%q)) = %q, want %q", x, Tag(y), y)
		}
	}
}

func TestAllocations(t *testing.T) {
	tests := []struct {
		name   string
		f      func(string) string
		in     string
		allocs float64
	}{
		{"Tag unchanged", Tag, "1girl", 0},
		{"Tag unchanged with space", Tag, "long hair", 0},
		{"Tag unchanged Japanese", Tag, "魔女", 0},
		{"Tag underscores", Tag, "looking_at_viewer", 1},
		{"Tag upper case", Tag, "Long_Hair", 1},
		{"Tag parentheses", Tag, "hatsune_miku_(append)", 1},
		{"Tag kaomoji", Tag, "^_^", 0},
		{"Tag kaomoji parentheses", Tag, "(o_o)", 1},
		{"SourceTag unchanged", SourceTag, "long_hair", 0},
		{"SourceTag upper case", SourceTag, "Long_Hair", 1},
		{"Lower unchanged", Lower, "long_hair", 0},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(100, func() { tt.f(tt.in) }); got > tt.allocs {
			t.Errorf("%s: %v allocations, want at most %v", tt.name, got, tt.allocs)
		}
	}
	var base string
	if got := testing.AllocsPerRun(100, func() { base, _ = StripCategoryPrefix("copyright:vtuber") }); got != 0 {
		t.Errorf("StripCategoryPrefix: %v allocations", got)
	}
	if base != "vtuber" {
		t.Errorf("StripCategoryPrefix(copyright:vtuber) = %q", base)
	}
}

// TestOutputValidUTF8 spot-checks that valid input gives valid output even
// where a rune grows (İ) or shrinks (K).
func TestOutputValidUTF8(t *testing.T) {
	for _, in := range []string{"İ_K_(Σ)", "ΑΣ＼（）", "\u3000İ\u3000"} {
		for _, out := range []string{Tag(in), SourceTag(in), Lower(in)} {
			if !utf8.ValidString(out) {
				t.Errorf("invalid UTF-8 %q from %q", out, in)
			}
		}
	}
}
