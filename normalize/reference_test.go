package normalize

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tagdb/tagdb-action/internal/golden"
)

const (
	corpusFile    = "testdata/corpus.jsonl"
	referenceFile = "testdata/reference.jsonl"
	referenceTool = "testdata/pyref/reference.py"
)

// pyRecord is one line of testdata/reference.jsonl, written by reference.py.
type pyRecord struct {
	In          string   `json:"in"`
	Kaomoji     bool     `json:"kaomoji"`
	Lower       string   `json:"lower"`
	SourceTag   string   `json:"source_tag"`
	Tag         string   `json:"tag"`
	PythonTag   *string  `json:"python_tag"`
	Split       []string `json:"split"`
	PythonSplit []string `json:"python_split"`
	Script      string   `json:"script"`
}

// runReference feeds inputs (JSON strings, one a line) to reference.py.
func runReference(t *testing.T, inputs io.Reader) []byte {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil
	}
	cmd := exec.Command(python, referenceTool)
	cmd.Stdin = inputs
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", referenceTool, err, stderr.String())
	}
	return out
}

// checkRecord compares every function with Python's result for one input and
// returns the differences.
func checkRecord(rec pyRecord) []string {
	var diffs []string
	add := func(what string, got, want any) {
		diffs = append(diffs, what+": got "+mustJSON(got)+", Python "+mustJSON(want))
	}
	if got := IsKaomoji(rec.In); got != rec.Kaomoji {
		add("IsKaomoji", got, rec.Kaomoji)
	}
	if got := Lower(rec.In); got != rec.Lower {
		add("Lower", got, rec.Lower)
	}
	if got := SourceTag(rec.In); got != rec.SourceTag {
		add("SourceTag", got, rec.SourceTag)
	}
	if got := Tag(rec.In); got != rec.Tag {
		add("Tag", got, rec.Tag)
	}
	if got := SplitTranslation(rec.In); !slices.Equal(got, rec.Split) && !(len(got) == 0 && len(rec.Split) == 0) {
		add("SplitTranslation", got, rec.Split)
	}
	for _, lang := range []string{"ja", "zh", "ko"} {
		if got := HasRequiredScript(lang, rec.In); got != strings.Contains(rec.Script, lang) {
			add("HasRequiredScript "+lang, got, !got)
		}
	}
	return diffs
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func readRecords(t *testing.T, data []byte, name string) []pyRecord {
	t.Helper()
	var recs []pyRecord
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var rec pyRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("%s line %d: %v", name, n, err)
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

// TestPythonReference compares every function with the Python semantics on
// the inputs of testdata/corpus.jsonl (hand-picked edge cases and seeded
// random strings over an alphabet of troublemakers). The expected values
// were computed by testdata/pyref/reference.py; -update recomputes them.
func TestPythonReference(t *testing.T) {
	if golden.Update() {
		in, err := os.Open(corpusFile)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		out := runReference(t, in)
		if out == nil {
			t.Fatal("-update needs python3 in PATH")
		}
		if err := os.WriteFile(referenceFile, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(referenceFile)
	if err != nil {
		t.Fatal(err)
	}
	recs := readRecords(t, data, referenceFile)
	if len(recs) < 1000 {
		t.Fatalf("%s has only %d records", referenceFile, len(recs))
	}
	var deviations int
	for i, rec := range recs {
		for _, d := range checkRecord(rec) {
			t.Errorf("%s line %d %q: %s", referenceFile, i+1, rec.In, d)
		}
		// Where the documented decisions change Python's result, the
		// input must show the reason, so no other difference hides there.
		if rec.PythonTag != nil {
			deviations++
			if !strings.Contains(rec.In, "＼") && !strings.Contains(*rec.PythonTag, "  ") {
				t.Errorf("line %d %q: Tag differs from Python (%q) for no documented reason", i+1, rec.In, *rec.PythonTag)
			}
		}
		if rec.PythonSplit != nil && !containsInnerSpace(rec.In) {
			t.Errorf("line %d %q: SplitTranslation differs from Python (%q) for no documented reason", i+1, rec.In, rec.PythonSplit)
		}
	}
	t.Logf("%d inputs; Tag differs from plain Python by decision on %d", len(recs), deviations)
}

// containsInnerSpace reports whether s has whitespace other than U+0020,
// the only case where SplitTranslation's repeated strip differs from Python.
func containsInnerSpace(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r != ' ' && IsSpace(r) })
}

// repoRoot is the module root, two levels above this package.
func repoRoot() string { return filepath.Join("..", "..") }

// TestSharedDataMatchesPython runs every tag, alias and translation of the
// real data in /work/shared/data through both this package and the Python
// reference. It is skipped when the data or python3 is missing.
func TestSharedDataMatchesPython(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dir := filepath.Join(repoRoot(), "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not available")
	}
	var inputs []string
	// tagcomplete: tag,category,count,"alias,alias"
	for _, name := range []string{"danbooru.csv", "e621.csv", "e621_sfw.csv"} {
		inputs = readCSV(t, filepath.Join(dir, "tagcomplete", name), inputs, func(rec []string) []string {
			out := rec[:1]
			if len(rec) > 3 {
				out = append(out, strings.Split(rec[3], ",")...)
			}
			return out
		})
	}
	// booru-japanese-tag: tag,japanese (the translation value is split too)
	for _, name := range []string{"danbooru-jp.csv", "danbooru-machine-jp.csv"} {
		inputs = readCSV(t, filepath.Join(dir, "booru-japanese-tag", name), inputs, func(rec []string) []string {
			return rec
		})
	}
	slices.Sort(inputs)
	inputs = sampleInputs(slices.Compact(inputs))

	var in bytes.Buffer
	for _, s := range inputs {
		in.WriteString(mustJSON(s))
		in.WriteByte('\n')
	}
	recs := readRecords(t, runReference(t, &in), "reference.py output")
	if len(recs) != len(inputs) {
		t.Fatalf("reference.py returned %d records for %d inputs", len(recs), len(inputs))
	}
	var failures, kaomoji, changed, deviations int
	for _, rec := range recs {
		if diffs := checkRecord(rec); len(diffs) > 0 {
			failures++
			if failures <= 20 {
				t.Errorf("%q: %s", rec.In, strings.Join(diffs, "; "))
			}
		}
		if rec.Kaomoji {
			kaomoji++
		}
		if rec.Tag != rec.In {
			changed++
		}
		if rec.PythonTag != nil || rec.PythonSplit != nil {
			deviations++
		}
	}
	if failures > 0 {
		t.Errorf("%d of %d inputs differ from Python", failures, len(recs))
	}
	t.Logf("%d distinct inputs: %d kaomoji, Tag changes %d, documented deviations from plain Python %d",
		len(recs), kaomoji, changed, deviations)
}

// sampleInputs keeps the test under a few seconds (Python needs about 40 µs
// an input): every 2nd ASCII input with a character other than [a-z0-9_] (where
// kaomoji, escaping and case live), every 8th non-ASCII input and every 32nd
// plain one. The full set matched when this package was written.
func sampleInputs(all []string) []string {
	var out []string
	var plain, other, ascii int
	for _, s := range all {
		switch {
		case strings.IndexFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0:
			if other++; other%8 == 0 {
				out = append(out, s)
			}
		case strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == "":
			if plain++; plain%32 == 0 {
				out = append(out, s)
			}
		default:
			if ascii++; ascii%2 == 0 {
				out = append(out, s)
			}
		}
	}
	return out
}

func readCSV(t *testing.T, path string, dst []string, pick func([]string) []string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return dst
		}
		if err != nil {
			line, _ := r.FieldPos(0)
			t.Fatalf("%s line %d: %v", path, line, err)
		}
		dst = append(dst, pick(rec)...)
	}
}
