package notes

import (
	"strings"
	"testing"
)

func TestMerge(t *testing.T) {
	cc0 := block("cc0", "zero")
	cc4 := block("cc4", "four")
	mit := block("mit", "em")
	for _, tc := range []struct {
		name, body, edition, section, want string
	}{
		{"empty body", "", "cc4", "new", block("cc4", "new") + "\n"},
		{"after the maintainer's text", "Intro.", "cc4", "new", "Intro.\n\n" + block("cc4", "new") + "\n"},
		{"after text ending in a newline", "Intro.\n", "cc4", "new", "Intro.\n\n" + block("cc4", "new") + "\n"},
		{"replace, keeping text around it byte for byte", "Intro  \r\n\n" + cc4 + "\n\nOutro ✓", "cc4", "new",
			"Intro  \r\n\n" + block("cc4", "new") + "\n\nOutro ✓"},
		{"replace only its own", cc0 + "\n\n" + cc4 + "\n\n" + mit, "cc4", "new",
			cc0 + "\n\n" + block("cc4", "new") + "\n\n" + mit},
		{"insert in name order", "Intro\n\n" + cc0 + "\n\n" + mit + "\nOutro", "cc4", "new",
			"Intro\n\n" + cc0 + "\n\n" + block("cc4", "new") + "\n\n" + mit + "\nOutro"},
		{"insert first", "Intro\n" + cc4 + "\nOutro", "cc0", "z", "Intro\n" + block("cc0", "z") + "\n\n" + cc4 + "\nOutro"},
		{"insert last", "Intro\n" + cc0 + "\nOutro", "mit", "m", "Intro\n" + cc0 + "\n\n" + block("mit", "m") + "\nOutro"},
		{"a section cut short runs to the next section", BeginMarker("cc0") + "\ntrunc\n" + cc4, "cc0", "z",
			block("cc0", "z") + cc4},
		{"a section cut short at the end of the body", "Intro\n" + BeginMarker("cc4") + "\nhalf a ta", "cc4", "new",
			"Intro\n" + block("cc4", "new")},
		{"the section's own newlines are normalised", "", "cc4", "\n\nnew\n\n", block("cc4", "new") + "\n"},
		{"a marker-like comment of the maintainer is text", "<!-- tagdb: notes below -->\n", "cc4", "x",
			"<!-- tagdb: notes below -->\n\n" + block("cc4", "x") + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Merge(tc.body, tc.edition, tc.section)
			if got != tc.want {
				t.Fatalf("Merge:\n got %q\nwant %q", got, tc.want)
			}
			if again := Merge(got, tc.edition, tc.section); again != got {
				t.Errorf("a second Merge changed the body:\n%q", again)
			}
			if s, ok := Extract(got, tc.edition); !ok || s != strings.Trim(tc.section, "\n") {
				t.Errorf("Extract = %q, %v", s, ok)
			}
		})
	}
}

func TestEditionsAndExtract(t *testing.T) {
	body := "x\n" + block("mit", "m") + "\n" + block("cc0", "a\r\nb") + "\n"
	if got := strings.Join(Editions(body), ","); got != "cc0,mit" {
		t.Errorf("Editions = %s", got)
	}
	if s, ok := Extract(body, "cc0"); !ok || s != "a\r\nb" {
		t.Errorf("Extract cc0 = %q %v", s, ok)
	}
	if _, ok := Extract(body, "cc4"); ok {
		t.Error("Extract of an absent section succeeded")
	}
}
