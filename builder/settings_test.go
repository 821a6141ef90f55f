package builder

import (
	"testing"
	"time"
)

func TestParseMaxBadRows(t *testing.T) {
	for _, tt := range []struct {
		in   string
		rows int64
		pct  float64
		ok   bool
	}{
		{"5%", -1, 5, true},
		{" 0.5% ", -1, 0.5, true},
		{"100", 100, 0, true},
		{"-1", -1, 0, true},
		{"101%", 0, 0, false},
		{"-2", 0, 0, false},
		{"many", 0, 0, false},
	} {
		rows, pct, err := ParseMaxBadRows(tt.in)
		if (err == nil) != tt.ok || rows != tt.rows || pct != tt.pct {
			t.Errorf("ParseMaxBadRows(%q) = %d, %v, %v; want %d, %v, ok %v", tt.in, rows, pct, err, tt.rows, tt.pct, tt.ok)
		}
	}
}

func TestBuildTimeFromEnv(t *testing.T) {
	env := map[string]string{"SOURCE_DATE_EPOCH": "1700000000"}
	got, err := BuildTimeFromEnv(func(k string) string { return env[k] })
	if err != nil || !got.Equal(time.Unix(1700000000, 0)) {
		t.Errorf("SOURCE_DATE_EPOCH: %v, %v", got, err)
	}
	env["SOURCE_DATE_EPOCH"] = "soon"
	if _, err := BuildTimeFromEnv(func(k string) string { return env[k] }); err == nil {
		t.Error("a bad SOURCE_DATE_EPOCH was accepted")
	}
	if got, err := BuildTimeFromEnv(func(string) string { return "" }); err != nil || time.Since(got) > time.Minute {
		t.Errorf("unset: %v, %v", got, err)
	}
}

func TestParseMaxShrink(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"50%", 50, true},
		{" 12.5% ", 12.5, true},
		{"80", 80, true},
		{"0%", 0, true},
		{"100%", 100, true},
		{"off", -1, true},
		{"OFF", -1, true},
		{"101%", 0, false},
		{"-5%", 0, false},
		{"half", 0, false},
		{"", 0, false},
	} {
		got, err := ParseMaxShrink(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseMaxShrink(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
