package normalize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// fuzzSeeds are added to every target besides testdata/fuzz/<FuzzName>.
var fuzzSeeds = []string{
	"", "_", "HATSUNE_MIKU", "bow_(weapon)", `bow_\(weapon\)`, "(o_o)", `\(o_o\)`, "^_^", "100_100", "t_t",
	"XD", "/mlp/", "Ｔｅｓｔ：ｘ", "a__b", "İSTANBUL", "ΟΔΟΣ", "ΑΣ.Α", "ſ:_(b)", "：＜", "＼（", "a\u3000_ b",
	"魔女､まじょ", ",アークナイツ,アークナイツバトルイラコン", "「魔女」, “まじょ”", "\"\t魔女\"", "\x1ctag\x1f", "a\xffB(",
}

// FuzzTag checks Tag and IsKaomoji against the step-by-step reference
// implementation and the guarantees stated in doc.go.
func FuzzTag(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, x string) {
		y := Tag(x)
		if Tag(x) != y {
			t.Fatalf("Tag(%q) not deterministic", x)
		}
		k := IsKaomoji(x)
		if !utf8.ValidString(x) {
			return // no guarantee beyond "no panic" for invalid input
		}
		if !utf8.ValidString(y) {
			t.Fatalf("Tag(%q) = %q is not valid UTF-8", x, y)
		}
		if want := refIsKaomoji(x); k != want {
			t.Fatalf("IsKaomoji(%q) = %v, reference %v", x, k, want)
		}
		if want := refTag(x); y != want {
			t.Fatalf("Tag(%q) = %q, reference %q", x, y, want)
		}
		// The idempotence doc.go promises, exactly.
		if !k || IsKaomoji(y) {
			if z := Tag(y); z != y {
				t.Fatalf("Tag(Tag(%q)) = %q, want %q (kaomoji %v)", x, z, y, k)
			}
		}
		if y != TrimSpace(y) {
			t.Fatalf("Tag(%q) = %q has whitespace at an end", x, y)
		}
		// Only a kaomoji keeps "_" (U+005F) or a double space.
		if !k && (strings.Contains(y, "  ") || strings.Contains(y, "_")) {
			t.Fatalf("Tag(%q) = %q keeps a double space or an underscore", x, y)
		}
	})
}

// FuzzSourceTag checks SourceTag against the reference and for idempotence.
func FuzzSourceTag(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, x string) {
		y := SourceTag(x)
		if SourceTag(x) != y {
			t.Fatalf("SourceTag(%q) not deterministic", x)
		}
		if z := SourceTag(y); z != y {
			t.Fatalf("SourceTag(SourceTag(%q)) = %q, want %q", x, z, y)
		}
		if !utf8.ValidString(x) {
			return
		}
		if !utf8.ValidString(y) {
			t.Fatalf("SourceTag(%q) = %q is not valid UTF-8", x, y)
		}
		if want := refSourceTag(x); y != want {
			t.Fatalf("SourceTag(%q) = %q, reference %q", x, y, want)
		}
		// Tag(SourceTag(x)) == Tag(x) holds for ASCII input (docs/merge-rules.md,
		// "Normalisation"); with
		// Unicode, lowercasing can make or break a kaomoji.
		if isASCII(x) && Tag(y) != Tag(x) {
			t.Fatalf("Tag(SourceTag(%q)) = %q, Tag = %q", x, Tag(y), Tag(x))
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// FuzzSplitTranslation checks the properties the merge relies on.
func FuzzSplitTranslation(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, x string) {
		parts := SplitTranslation(x)
		again := SplitTranslation(x)
		if len(parts) != len(again) {
			t.Fatalf("SplitTranslation(%q) not deterministic", x)
		}
		rest := x
		for i, p := range parts {
			if p != again[i] {
				t.Fatalf("SplitTranslation(%q) not deterministic", x)
			}
			if p == "" {
				t.Fatalf("SplitTranslation(%q) part %d is empty", x, i)
			}
			if strings.ContainsFunc(p, isSplitChar) {
				t.Fatalf("SplitTranslation(%q) part %q holds a split character", x, p)
			}
			first, _ := utf8.DecodeRuneInString(p)
			last, _ := utf8.DecodeLastRuneInString(p)
			for _, r := range []rune{first, last} {
				if IsSpace(r) || unicode.IsSpace(r) || isQuote(r) {
					t.Fatalf("SplitTranslation(%q) part %q starts or ends with %q", x, p, r)
				}
			}
			// Parts are substrings of x, in order.
			j := strings.Index(rest, p)
			if j < 0 {
				t.Fatalf("SplitTranslation(%q) part %q is not in order in the input", x, p)
			}
			rest = rest[j+len(p):]
			if utf8.ValidString(x) && !utf8.ValidString(p) {
				t.Fatalf("SplitTranslation(%q) part %q is not valid UTF-8", x, p)
			}
		}
		if utf8.ValidString(x) {
			want := refSplit(x)
			if len(want) != len(parts) {
				t.Fatalf("SplitTranslation(%q) = %q, reference %q", x, parts, want)
			}
			for i := range want {
				if want[i] != parts[i] {
					t.Fatalf("SplitTranslation(%q) = %q, reference %q", x, parts, want)
				}
			}
		}
	})
}

// FuzzLower checks Lower against the rune-slice reference, idempotence, and
// that it only differs from strings.ToLower where Python does.
func FuzzLower(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, x string) {
		y := Lower(x)
		if Lower(x) != y {
			t.Fatalf("Lower(%q) not deterministic", x)
		}
		if z := Lower(y); z != y {
			t.Fatalf("Lower(Lower(%q)) = %q, want %q", x, z, y)
		}
		if !utf8.ValidString(x) {
			return
		}
		if !utf8.ValidString(y) {
			t.Fatalf("Lower(%q) = %q is not valid UTF-8", x, y)
		}
		if want := refLower(x); y != want {
			t.Fatalf("Lower(%q) = %q, reference %q", x, y, want)
		}
		if !strings.ContainsAny(x, "İΣ") && y != strings.ToLower(x) {
			t.Fatalf("Lower(%q) = %q, strings.ToLower %q", x, y, strings.ToLower(x))
		}
	})
}
