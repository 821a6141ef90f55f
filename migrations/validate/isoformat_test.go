package validate

import (
	"database/sql"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// isoCases were checked against CPython 3.11.7's datetime.fromisoformat.
var isoCases = map[string]bool{
	"2024-01-01":                       true,
	"2024-01-01 00:00:00":              true,
	"2024-01-01T12:30:00.123456+09:00": true,
	"2024-01-01 12":                    true,
	"2024-01-01 1230":                  true,
	"2024-01-01x12:30:00":              true,
	"20240101T123000":                  true,
	"2024-W01-1":                       true,
	"2024W011 12":                      true,
	"2024-01-01 12:30:00.1234567":      true,
	"2024-01-01 12:30:00,5Z":           true,
	"2024-01-01 12:30:00+05":           true,
	"2024-01-01 12:30:00+05:99":        true,
	"2024-01-01 12:30:00+0530":         true,
	"2024-01-01 12:30:00+05:30:15.5":   true,
	"2024-01-01T12:00:00-00:00":        true,
	"2020-W53-1":                       true,
	"2024-01-01T":                      false,
	"2024-01-01 12:3":                  false,
	"2024-01-01 12:30:00+24:00":        false,
	"2024-01-01 24:00:00":              false,
	"2024-02-30":                       false,
	"2024-01-01 12:30:00 ":             false,
	"2024-01-01 12:30:00Z00":           false,
	"2021-W53-1":                       false,
	"2024-01-01 12:30:00.":             false,
	"1":                                false,
	"2024-01":                          false,
	"２０２４-01-01":                       false,
	"2024/01/01":                       false,
	"":                                 false,
	"1700000000":                       false,
	"0000-01-01":                       false,
	"2024-13-01":                       false,
	"2024-01-01→12:00":                 true,
	"2024-01-01→":                      false,
}

func TestFromISOFormat(t *testing.T) {
	for s, want := range isoCases {
		if got := fromISOFormat(s) == nil; got != want {
			t.Errorf("fromISOFormat(%q) accepted = %v, want %v", s, got, want)
		}
	}
}

// TestFromISOFormatAgainstPython runs the same strings, and systematic
// variations of them, through the real parser when a Python >= 3.11 is
// installed. It is what keeps the port honest.
func TestFromISOFormatAgainstPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	if out, err := exec.Command(py, "-c", "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)").CombinedOutput(); err != nil {
		t.Skipf("python3 older than 3.11: %s", out)
	}
	inputs := isoCorpus()
	data, _ := json.Marshal(inputs)
	script := `
import json, sys
from datetime import datetime
out = []
for s in json.load(sys.stdin):
    try:
        datetime.fromisoformat(s); out.append(True)
    except Exception:
        out.append(False)
json.dump(out, sys.stdout)`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(string(data))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want []bool
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for i, s := range inputs {
		if got := fromISOFormat(s) == nil; got != want[i] {
			bad++
			if bad <= 20 {
				t.Errorf("fromISOFormat(%q) accepted = %v, Python says %v", s, got, want[i])
			}
		}
	}
	t.Logf("%d strings compared with Python", len(inputs))
}

// The SQL fast path may only accept what fromISOFormat accepts; what it
// leaves out goes through fromISOFormat anyway.
func TestISOFastPathIsSound(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	inputs := append(isoCorpus(), "2024-01-01 00:00:00", "2024-01-01T23:59:59.999999Z", "2024-02-29", "2024-01-01 12:00:00+09:00")
	inputs = append(inputs, "2023-02-29", "2024-04-31 00:00:00", "2024-01-01 24:00:00", "2024-01-01 12:00:00+24:00",
		"2024-01-01 12:00:00.1234567", "2024-00-10", "2024-01-01 12:00:00 ", "2024-01-01  12:00:00", "0000-01-01")
	data, _ := json.Marshal(inputs)
	rows, err := db.Query(`SELECT c FROM (SELECT value AS c FROM json_each(?)) WHERE `+isoFast("c"), string(data))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	fast := 0
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		fast++
		if fromISOFormat(s) != nil {
			t.Errorf("SQL fast path accepts %q, which Python rejects", s)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if fast < 100 {
		t.Errorf("fast path accepted only %d values: it is not doing its job", fast)
	}
}

// isoCorpus is isoCases plus systematic combinations of date forms,
// separators, times and zones, valid and not.
func isoCorpus() []string {
	var inputs []string
	for s := range isoCases {
		inputs = append(inputs, s)
	}
	dates := []string{"2024-01-01", "20240101", "2024-W10-3", "2024W103", "2024-W10", "2024-02-29", "2023-02-29", "9999-12-31"}
	seps := []string{"T", " ", "x", "-", "", "→", "é"}
	times := []string{"", "1", "12", "12:3", "12:30", "1230", "12:30:45", "123045", "12:30:45.1", "12:30:45,123456789",
		"12:30:45.", "12:30:45.12a", "12:30:45:5", "12:30:4", "25:00", "23:59:59", "12:30:45.1234567x", "12:60", "12:00:60"}
	zones := []string{"", "Z", "z", "+00:00", "-05:30", "+0530", "+05", "+5", "+05:30:15", "+05:30:15.25", "+23:59", "-24:00", "+", "Z1", "+05:3"}
	for _, d := range dates {
		inputs = append(inputs, d)
		for _, s := range seps {
			for _, tm := range times {
				for _, z := range zones {
					inputs = append(inputs, d+s+tm+z)
				}
			}
		}
	}
	return inputs
}

// The shapes a built file holds must take the fast path: a value it leaves
// out is re-read by a second scan of its table, which on a big file costs as
// much as the first.
func TestISOFastPathTakesCommonShapes(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []string{
		"2024-01-01", "2024-02-29", "2024-01-01 00:00:00", "2024-01-01T23:59:59", "2024-01-01T00:00:00Z",
		"2024-01-01 12:00:00.5", "2024-01-01 12:00:00.123", "2024-01-01 12:00:00.123456", "2024-01-01 12:00:00.123Z",
		"2011-04-12 17:43:46-04:00", "2025-04-12 07:44:19.590000-04:00", "2024-01-01T12:00:00.1+23:30", "0001-01-01",
	} {
		var ok bool
		if err := db.QueryRow(`SELECT `+isoFast("c")+` FROM (SELECT ? AS c)`, s).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		if !ok {
			t.Errorf("fast path rejects %q", s)
		}
	}
}
