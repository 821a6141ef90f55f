package pack

import "testing"

// PartName and PartOf are inverses, and PartOf rejects what Split never writes.
func TestPartNames(t *testing.T) {
	for _, tt := range []struct {
		name  string
		i     int64
		width int
		want  string
	}{
		{"x.zst", 1, 1, "x.zst.part001"},
		{"x", 1234, 4, "x.part1234"},
		{"tagdb-cc0.sqlite.zst", 7, 3, "tagdb-cc0.sqlite.zst.part007"},
	} {
		got := PartName(tt.name, tt.i, tt.width)
		if got != tt.want {
			t.Errorf("PartName(%q, %d, %d) = %q, want %q", tt.name, tt.i, tt.width, got, tt.want)
		}
		if origin, ok := PartOf(got); !ok || origin != tt.name {
			t.Errorf("PartOf(%q) = %q, %v; want %q", got, origin, ok, tt.name)
		}
	}
	for in, want := range map[string]string{"x.zst.part001": "x.zst", "x.part1234": "x", "x.part01": "", "x.partabc": "", ".part001": "", "x.zst": ""} {
		got, ok := PartOf(in)
		if got != want || ok != (want != "") {
			t.Errorf("PartOf(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
