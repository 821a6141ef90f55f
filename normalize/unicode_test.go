package normalize

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestUnicodePropertiesMatchPython compares, for every code point assigned
// both in the Unicode version of the local python3 and in Go's tables, the
// properties this package reimplements: the lowercase mapping, isalnum,
// isspace, and Cased / Case_Ignorable as the Final_Sigma rule sees them. It
// backs the claim in doc.go; it needs python3 and is skipped without it.
func TestUnicodePropertiesMatchPython(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not available")
	}
	out, err := exec.Command(python, "testdata/pyref/unicode_props.py").Output()
	if err != nil {
		t.Fatalf("unicode_props.py: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Scan()
	pyVersion := sc.Text()
	var n, failures, skipped int
	for line := 2; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			t.Fatalf("unicode_props.py line %d: %q", line, sc.Text())
		}
		cp, err1 := strconv.ParseUint(f[0], 16, 32)
		flags, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil {
			t.Fatalf("unicode_props.py line %d: %q", line, sc.Text())
		}
		var lower strings.Builder
		for _, h := range strings.Split(f[1], "+") {
			v, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				t.Fatalf("unicode_props.py line %d: %v", line, err)
			}
			lower.WriteRune(rune(v))
		}
		r := rune(cp)
		if !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C) {
			// Assigned in a newer Unicode than Go's tables: nothing to
			// compare (a newer python3 than the 3.11 of the builder).
			skipped++
			continue
		}
		if d := unicodeDiff(r, lower.String(), flags); d != "" {
			if failures++; failures <= 20 {
				t.Errorf("%U: %s", r, d)
			}
		}
		n++
	}
	if failures > 0 {
		t.Errorf("%d of %d code points differ from Python (Unicode %s; Go %s)", failures, n, pyVersion, unicode.Version)
	}
	t.Logf("%d code points of Unicode %s agree (Go tables %s); %d unknown to Go skipped", n, pyVersion, unicode.Version, skipped)
}

func unicodeDiff(r rune, pyLower string, flags int) string {
	c := string(r)
	var diffs []string
	check := func(what string, got, want bool) {
		if got != want {
			diffs = append(diffs, fmt.Sprintf("%s: got %v, Python %v", what, got, want))
		}
	}
	if got := Lower(c); got != pyLower {
		diffs = append(diffs, fmt.Sprintf("Lower: got %q, Python %q", got, pyLower))
	}
	check("isalnum", unicode.IsLetter(r) || unicode.IsNumber(r), flags&1 != 0)
	check("IsSpace", IsSpace(r), flags&2 != 0)
	check(`c+"Σ" final`, Lower(c+"Σ") == Lower(c)+"ς", flags&4 != 0)
	check(`"A"+c+"Σ" final`, strings.HasSuffix(Lower("A"+c+"Σ"), "ς"), flags&8 != 0)
	check(`"AΣ"+c final`, strings.HasPrefix(Lower("AΣ"+c), "aς"), flags&16 != 0)
	return strings.Join(diffs, "; ")
}
