package main

import "testing"

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1GiB", 1 << 30, true},
		{"768MiB", 768 << 20, true},
		{"1.5G", 3 << 29, true},
		{"512M", 512 << 20, true},
		{" 2 GiB ", 2 << 30, true},
		{"0", 0, true},
		{"1024", 0, false}, // a bare number is ambiguous: bytes or MiB?
		{"-1GiB", 0, false},
		{"lots", 0, false},
		{"", 0, false},
	} {
		got, err := parseSize(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
