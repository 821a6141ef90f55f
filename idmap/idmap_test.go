package idmap

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	_ "github.com/tagdb/tagdb-action/internal/golden"
)

func readAll(t *testing.T, path string) ([]Entry, error) {
	t.Helper()
	var got []Entry
	err := ReadFile(path, func(e Entry) error { got = append(got, e); return nil })
	return got, err
}

func TestRoundTrip(t *testing.T) {
	entries := []Entry{{"1girl", 0}, {"tab\there", 3}, {`back\slash`, 4}, {"new\nline\r", 9}, {"ends\\", 10}, {"日本", 1 << 30}}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, p := range []string{a, b} {
		if err := WriteFile(p, entries); err != nil {
			t.Fatal(err)
		}
	}
	got, err := readAll(t, a)
	if err != nil || !slices.Equal(got, entries) {
		t.Fatalf("read %+v, %v; want %+v", got, err, entries)
	}
	// Equal entries, equal bytes: parallel jobs upload the same file.
	ba, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ba, bb) {
		t.Error("two writes of the same entries differ")
	}
	if ok, err := IsIDMap(a); !ok || err != nil {
		t.Errorf("IsIDMap = %v, %v", ok, err)
	}
	// The text itself: one escaped line per entry (README, "Id map").
	dec, err := zstd.NewReader(bytes.NewReader(ba))
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	text, err := dec.DecodeAll(ba, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Header + "\n1girl\t0\ntab\\there\t3\nback\\\\slash\t4\nnew\\nline\\r\t9\nends\\\\\t10\n日本\t1073741824\n"
	if string(text) != want {
		t.Errorf("text:\n%q\nwant:\n%q", text, want)
	}
}

func TestWriteRefusesUnsorted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m")
	err := WriteFile(path, []Entry{{"a", 2}, {"b", 2}})
	if err == nil || !strings.Contains(err.Error(), `entry 1 ("b", id 2)`) {
		t.Fatalf("error %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a failed write left %s", path)
	}
}

// TestWriterStopsAtTheFirstError checks that an entry out of order stops the
// writer for good: later entries and Close report the same error, so a
// caller streaming entries need not check every Add.
func TestWriterStopsAtTheFirstError(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Entry{{"a", 1}, {"b", 5}} {
		if err := w.Add(e); err != nil {
			t.Fatalf("Add(%v): %v", e, err)
		}
	}
	first := w.Add(Entry{"c", 3})
	if first == nil || !strings.Contains(first.Error(), `entry 2 ("c", id 3) does not follow id 5 ("b")`) {
		t.Fatalf("out-of-order Add: %v", first)
	}
	if err := w.Add(Entry{"d", 9}); err != first {
		t.Errorf("Add after the error = %v, want %v", err, first)
	}
	if err := w.Close(); err != first {
		t.Errorf("Close after the error = %v, want %v", err, first)
	}
}

func TestReadErrors(t *testing.T) {
	z := func(s string) []byte {
		var b bytes.Buffer
		w, _ := zstd.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	for _, tt := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"sqlite file", []byte("SQLite format 3\x00 rest"), "not zstd-compressed"},
		{"empty stream", z(""), "empty"},
		{"wrong header", z("id\ttag\n1\ta\n"), "line 1: header"},
		{"no tab", z(Header + "\nabc\n"), "line 2: no tab"},
		{"bad id", z(Header + "\na\t1\nb\tx\n"), `line 3: tag_id "x"`},
		{"negative id", z(Header + "\na\t-1\n"), `line 2: tag_id "-1"`},
		{"bad escape", z(Header + "\na\\q\t1\n"), `line 2: tag has an unknown escape \q`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m")
			if err := os.WriteFile(path, tt.content, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := readAll(t, path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v, want one naming %s and %q", err, path, tt.want)
			}
		})
	}
}
