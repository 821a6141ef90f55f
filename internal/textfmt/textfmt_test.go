package textfmt

import "testing"

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 notes", 1: "1 note", 2: "2 notes"} {
		if got := Plural(n, "note"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestShortHash(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "",
		"abc":                        "abc",
		"1c2d61150704f267e59f6178aa": "1c2d61150704",
	} {
		if got := ShortHash(in); got != want {
			t.Errorf("ShortHash(%q) = %q, want %q", in, got, want)
		}
	}
}
