package sitetags

import (
	"math"
	"strconv"
	"testing"
	"time"
)

func TestTimestamp(t *testing.T) {
	cases := []struct {
		in   any
		want string
	}{
		{"2013-02-27 15:57:15.063-05:00", "2013-02-27 15:57:15.063000-05:00"},
		{"2013-02-27T15:57:15.063000-05:00", "2013-02-27 15:57:15.063000-05:00"},
		{"2013-02-27t15:57:15Z", "2013-02-27 15:57:15+00:00"},
		{"2013-02-27 15:57:15z", "2013-02-27 15:57:15+00:00"},
		{" 2013-02-27 15:57 ", "2013-02-27 15:57:00"},
		{"2013-02-27 15:57:15.000000", "2013-02-27 15:57:15"},
		{"2013-02-27 15:57:15,5", "2013-02-27 15:57:15.500000"},
		{"2013-02-27 15:57:15.123456789+0530", "2013-02-27 15:57:15.123456+05:30"},
		{"2013-02-27 15:57:15-03", "2013-02-27 15:57:15-03:00"},
		{"2024-02-29", "2024-02-29 00:00:00"},
		{[]byte("2000-02-29 00:00:00"), "2000-02-29 00:00:00"},
		{"1900-02-29", ""},
		{"2023-02-29", ""},
		{"2023-04-31", ""},
		{"2023-00-10", ""},
		{"2023-01-01 24:00:00", ""},
		{"2023-01-01 23:60:00", ""},
		{"2023-01-01 23:59:60", ""},
		{"2023-01-01 23:59:59+24:00", ""},
		{"2023-01-01 23:59:59 +01:00", ""},
		{"2023-01-01 23:59:59.", ""},
		{"2023-01-01 23:59:59.1234567890", ""},
		{"2023-01-01X23:59:59", ""},
		{"2023/01/01", ""},
		{"yesterday", ""},
		{"", ""},
		{nil, ""},
		{int64(0), "1970-01-01 00:00:00+00:00"},
		{int64(1700000000), "2023-11-14 22:13:20+00:00"},
		{1700000000.25, "2023-11-14 22:13:20.250000+00:00"},
		{math.NaN(), ""},
		{true, ""},
	}
	for _, c := range cases {
		if got := timestamp(c.in); got != c.want {
			t.Errorf("timestamp(%#v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestTimestampsAreISO: whatever isoText produces, Go reads back with the
// layouts Python's fromisoformat accepts.
func TestTimestampsAreISO(t *testing.T) {
	for _, s := range []string{"2013-02-27T15:57:15.063-05:00", "2013-02-27 15:57:15", "2024-02-29", "2013-02-27 15:57:15.5Z"} {
		out := isoText(s)
		ok := false
		for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04:05.000000", "2006-01-02 15:04:05-07:00", "2006-01-02 15:04:05.000000-07:00"} {
			if _, err := time.Parse(layout, out); err == nil {
				ok = true
			}
		}
		if !ok {
			t.Errorf("isoText(%q) = %q, not in the output form", s, out)
		}
	}
}

func TestEpochText(t *testing.T) {
	cases := []struct {
		n    int64
		unit time.Duration
		utc  bool
		want string
	}{
		{1_700_000_000_123_456, time.Microsecond, true, "2023-11-14 22:13:20.123456+00:00"},
		{1_700_000_000_123, time.Millisecond, false, "2023-11-14 22:13:20.123000"},
		{-1, time.Nanosecond, true, "1969-12-31 23:59:59.999999+00:00"},
		{0, time.Microsecond, false, "1970-01-01 00:00:00"},
	}
	for _, c := range cases {
		if got := epochText(c.n, c.unit, c.utc); got != c.want {
			t.Errorf("epochText(%d, %v, %v) = %q, want %q", c.n, c.unit, c.utc, got, c.want)
		}
	}
}

func TestCount(t *testing.T) {
	cases := []struct {
		in     any
		n      int64
		res    countResult
		reason string
	}{
		{int64(10), 10, countOK, ""},
		{int64(0), 0, countOK, ""},
		{int64(-10), 0, countNegative, ""},
		{nil, 0, countMissing, ""},
		{"  ", 0, countMissing, ""},
		{"42", 42, countOK, ""},
		{" +42 ", 42, countOK, ""},
		{"-3", 0, countNegative, ""},
		{"-99999999999999999999", 0, countNegative, ""},
		{"99999999999999999999", 0, countBad, `count is out of range: "99999999999999999999"`},
		{"many", 0, countBad, `count is not a number: "many"`},
		{"12.0", 0, countBad, `count is not a number: "12.0"`},
		{[]byte("7"), 7, countOK, ""},
		{12.0, 12, countOK, ""},
		{12.5, 0, countBad, `count is not a whole number: "12.5"`},
		{-2.0, 0, countNegative, ""},
		{1e19, 0, countBad, `count is out of range: "1e+19"`},
		{math.Inf(1), 0, countBad, `count is not a number: "+Inf"`},
		{true, 0, countBad, `count is not a number: "True"`},
	}
	for _, c := range cases {
		n, res, reason := count(c.in)
		if n != c.n || res != c.res || reason != c.reason {
			t.Errorf("count(%#v) = %d, %d, %q; want %d, %d, %q", c.in, n, res, reason, c.n, c.res, c.reason)
		}
	}
}

func TestTypeAndFlags(t *testing.T) {
	types := []struct {
		in   any
		want int
	}{
		{int64(4), 4}, {nil, -1}, {"3", 3}, {" 5 ", 5}, {"x", -1}, {3.0, 3}, {3.5, -1}, {int64(1) << 40, -1}, {true, -1},
	}
	for _, c := range types {
		if got := typeNumber(c.in); got != c.want {
			t.Errorf("typeNumber(%#v) = %d, want %d", c.in, got, c.want)
		}
	}
	gel := []struct {
		in   any
		want int
		dep  bool
	}{
		{"general", 0, false}, {"artist", 1, false}, {"copyright", 3, false}, {"character", 4, false},
		{"metadata", 5, false}, {" Deprecated ", 6, true}, {"meta", -1, false}, {int64(0), -1, false}, {nil, -1, false},
	}
	for _, c := range gel {
		if got, dep := gelbooruType(c.in); got != c.want || dep != c.dep {
			t.Errorf("gelbooruType(%#v) = %d, %v; want %d, %v", c.in, got, dep, c.want, c.dep)
		}
	}
	flags := []struct {
		in   any
		want bool
	}{
		{int64(1), true}, {int64(0), false}, {nil, false}, {"True", true}, {"false", false}, {"0", false}, {"1", true},
		{1.0, true}, {0.0, false}, {true, true}, {"maybe", false},
	}
	for _, c := range flags {
		if got := truthy(c.in); got != c.want {
			t.Errorf("truthy(%#v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestNameTable(t *testing.T) {
	x := newNameTable()
	var ids []uint32
	for i := 0; i < 5000; i++ { // forces several grows
		id, added := x.intern(string(rune('a'+i%26)) + "_" + strconv.Itoa(i))
		if !added || int(id) != i {
			t.Fatalf("intern #%d = %d, %v", i, id, added)
		}
		ids = append(ids, id)
	}
	if id, added := x.intern("a_0"); added || id != 0 {
		t.Fatalf("re-intern = %d, %v", id, added)
	}
	x.freeze()
	for i, id := range ids {
		want := string(rune('a'+i%26)) + "_" + strconv.Itoa(i)
		if got := x.name(id); got != want {
			t.Fatalf("name(%d) = %q, want %q", id, got, want)
		}
		if got, ok := x.lookup(want); !ok || got != id {
			t.Fatalf("lookup(%q) = %d, %v", want, got, ok)
		}
	}
	if _, ok := x.lookup("absent"); ok {
		t.Fatal("lookup of an absent name succeeded")
	}
}
