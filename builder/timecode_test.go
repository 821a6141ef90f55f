package builder

import "testing"

// storedForm is what the merge state keeps of the inputs of TestTimeCode
// that are not in the stored form already.
var storedForm = map[string]string{
	"2005-05-24 02:44:58-04:00":        "2005-05-24 06:44:58",
	"2019-01-01 11:54:00.001000-05:00": "2019-01-01 16:54:00.001000",
	"2020-02-29T23:59:59.123Z":         "2020-02-29 23:59:59.123000",
	"2024-06-01T12:00:00+05:45":        "2024-06-01 06:15:00",
	"2024-06-01T12:00:00+14:00":        "2024-05-31 22:00:00",
	"2021-01-01 00:00:00.12":           "2021-01-01 00:00:00.120000",
	"2021-01-01 00:00:00.123456789":    "2021-01-01 00:00:00.123456",
	"2021-01-01 00:00:00+05:07":        "2020-12-31 18:53:00",
}

func TestTimeCode(t *testing.T) {
	for _, tc := range []struct {
		in     string
		packed bool
	}{
		{"2026-11-23 19:07:54", true},
		{"2005-05-24 02:44:58-04:00", true},
		{"2015-04-14 21:43:49.000001", true},
		{"2019-01-01 11:54:00.001000-05:00", true},
		{"2020-02-29T23:59:59.123Z", true},
		{"1900-01-01 00:00:00", true},
		{"2024-06-01T12:00:00+05:45", true},
		{"2024-06-01T12:00:00+14:00", true},
		{"2171-12-31 23:59:59", true},
		{"2200-01-01 00:00:00", false},    // past the packed range
		{"1899-12-31 23:59:59", false},    // before it
		{"2021-02-30 00:00:00", false},    // no such day: would come back as March 2nd
		{"2021-01-01 24:00:00", false},    // hour 24
		{"2021-01-01 00:00:60", false},    // leap second
		{"2021-01-01 00:00:00.12", false}, // two fraction digits
		{"2021-01-01 00:00:00.123456789", false},
		{"2021-01-01 00:00:00+05:07", false}, // not a quarter hour
		{"2021-01-01 00:00:00 UTC", false},
		{"2021-01-01", false},
		{"1613456789", false},
		{"２０２１-01-01 00:00:00", false},
	} {
		code, ok := packTime(tc.in)
		if ok != tc.packed {
			t.Errorf("packTime(%q) packed = %v, want %v", tc.in, ok, tc.packed)
			continue
		}
		if ok {
			if code == 0 || code&tcInterned == tcInterned {
				t.Errorf("packTime(%q) = %#x: collides with NULL or the interned marker", tc.in, code)
			}
			if got := unpackTime(code); got != tc.in {
				t.Errorf("unpackTime(packTime(%q)) = %q", tc.in, got)
			}
		}
		// Whatever the shape, the merge state gives back the same text, in
		// the stored UTC form (utctime.go) when the text has a zone, a 'T'
		// or another fraction length.
		want := tc.in
		if s, ok := storedForm[tc.in]; ok {
			want = s
		}
		m := newMemState(t.TempDir()+"/spill", nil)
		if got := m.timeText(m.time(tc.in)); got != want {
			t.Errorf("timeText(time(%q)) = %q, want %q", tc.in, got, want)
		}
	}
	m := newMemState(t.TempDir()+"/spill", nil)
	if r := m.time(""); r != (timeRef{}) || m.timeStr(r) != nil {
		t.Errorf("empty timestamp is not NULL: %v", r)
	}
}

func FuzzTimeCode(f *testing.F) {
	for _, s := range []string{"2026-11-23 19:07:54", "2019-01-01 11:54:00.001000-05:00", "2020-02-29T23:59:59.123Z", "2021-02-30 00:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if code, ok := packTime(s); ok {
			if got := unpackTime(code); got != s {
				t.Fatalf("unpackTime(packTime(%q)) = %q", s, got)
			}
			if code == 0 || code&tcInterned == tcInterned {
				t.Fatalf("packTime(%q) = %#x: a reserved code", s, code)
			}
		}
	})
}
