package pack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/golden"
)

// fixture writes n bytes of tag-list-like text (compressible, but not
// trivially so) and returns the path.
func fixture(t testing.TB, dir string, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"1girl", "solo", "long_hair", "smile", "looking_at_viewer", "blush", "open_mouth", "short_hair", "blue_eyes", "simple_background"}
	var b bytes.Buffer
	for b.Len() < n {
		fmt.Fprintf(&b, "%s_%d,%d,%d\n", words[rng.IntN(len(words))], rng.IntN(5000), rng.IntN(6), rng.IntN(1_000_000))
	}
	p := filepath.Join(dir, "in.sqlite")
	if err := os.WriteFile(p, b.Bytes()[:n], 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestCompressRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := fixture(t, dir, 3<<20)
	orig, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []Method{Zstd, ZstdFast, Gzip, None} {
		t.Run(string(m), func(t *testing.T) {
			dst := filepath.Join(dir, "out-"+string(m)+m.Ext())
			f, err := Compress(context.Background(), src, dst, m)
			if err != nil {
				t.Fatal(err)
			}
			packed, err := os.ReadFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			if f.Size != int64(len(packed)) || f.SHA256 != sha(packed) {
				t.Errorf("Compress reported size %d sha %s, file has %d %s", f.Size, f.SHA256, len(packed), sha(packed))
			}
			if f.Name != filepath.Base(dst) || f.Path != dst {
				t.Errorf("File = %+v, want name/path of %s", f, dst)
			}
			if m != None && f.Size >= int64(len(orig))/2 {
				t.Errorf("%s output %d bytes is not much smaller than %d", m, f.Size, len(orig))
			}
			back := filepath.Join(dir, "back-"+string(m))
			if err := Decompress(context.Background(), dst, back, MethodFromName(dst)); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(back)
			if !bytes.Equal(got, orig) {
				t.Fatalf("round trip through %s changed the content", m)
			}
		})
	}
}

func TestCompressCancelledLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	src := fixture(t, dir, 1<<20)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, m := range []Method{Zstd, Gzip, None} {
		dst := filepath.Join(dir, "out"+m.Ext()+".x")
		if _, err := Compress(ctx, src, dst, m); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v, want context.Canceled", m, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("cancelled compression left files behind: %v", names)
	}
}

func TestParseMethod(t *testing.T) {
	for in, want := range map[string]Method{"": Zstd, "zstd": Zstd, "ZST": Zstd, "zstd-fast": ZstdFast, "gzip": Gzip, "gz": Gzip, "none": None} {
		if got, err := ParseMethod(in); err != nil || got != want {
			t.Errorf("ParseMethod(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseMethod("xz"); err == nil || !strings.Contains(err.Error(), `"xz"`) {
		t.Errorf("ParseMethod(xz) error = %v, want it to name the input", err)
	}
}

func TestWriteSumsGoldenAndSha256sum(t *testing.T) {
	dir := t.TempDir()
	var files []File
	for _, name := range []string{"tags.sqlite.zst", "README.md", "build_manifest.json"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("content of "+name+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := HashFile(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	sums, err := WriteSumsFile(filepath.Join(dir, SumsName), files)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(sums.Path)
	golden.Check(t, "SHA256SUMS.golden", got)
	if sums.Name != SumsName || sums.SHA256 != sha(got) {
		t.Errorf("WriteSumsFile returned %+v", sums)
	}

	// The point of the format: the standard tool accepts it.
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", SumsName)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c rejected our file: %v\n%s", err, out)
		}
	}

	parsed, err := ParseSums(bytes.NewReader(got), "SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if parsed[f.Name] != f.SHA256 {
			t.Errorf("ParseSums[%s] = %q, want %q", f.Name, parsed[f.Name], f.SHA256)
		}
	}
}

func TestWriteSumsRejects(t *testing.T) {
	good := strings.Repeat("a", 64)
	tests := []struct {
		name  string
		files []File
		want  string
	}{
		{"duplicate", []File{{Name: "a", SHA256: good}, {Name: "a", SHA256: good}}, `"a" appears twice`},
		{"newline", []File{{Name: "a\nb", SHA256: good}}, "cannot be written"},
		{"bad hash", []File{{Name: "a", SHA256: "xyz"}}, "not 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteSums(&bytes.Buffer{}, tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseSums(t *testing.T) {
	h1, h2 := strings.Repeat("0", 64), strings.Repeat("f", 64)
	tests := []struct {
		name, in string
		want     map[string]string
		err      string
	}{
		{"text and binary forms", h1 + "  a.zst\n\n" + h2 + " *b.json\r\n", map[string]string{"a.zst": h1, "b.json": h2}, ""},
		{"upper-case hex", strings.ToUpper(h2) + "  x\n", map[string]string{"x": h2}, ""},
		{"short line", "abc  x\n", nil, "SHA256SUMS line 1: want"},
		{"not hex", strings.Repeat("g", 64) + "  x\n", nil, "line 1: \"ggg"},
		{"single space", h1 + " x\n", nil, "line 1"},
		{"conflict", h1 + "  x\n" + h2 + "  x\n", nil, "line 2: \"x\" listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSums(strings.NewReader(tt.in), "SHA256SUMS")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		size, part int64
		wantParts  int
		lastSize   int64
	}{
		{1000, 300, 4, 100},
		{900, 300, 3, 300}, // exact multiple: no empty trailing part
		{10, 300, 1, 10},
		{0, 300, 1, 0},
		{2500, 2, 1250, 2}, // four-digit numbering
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_by_%d", tt.size, tt.part), func(t *testing.T) {
			dir := t.TempDir()
			data := make([]byte, tt.size)
			for i := range data {
				data[i] = byte(i * 7)
			}
			src := filepath.Join(dir, "db.zst")
			if err := os.WriteFile(src, data, 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "parts")
			os.Mkdir(out, 0o755)
			parts, err := Split(context.Background(), src, out, tt.part)
			if err != nil {
				t.Fatal(err)
			}
			if len(parts) != tt.wantParts {
				t.Fatalf("%d parts, want %d", len(parts), tt.wantParts)
			}
			width := max(3, len(fmt.Sprint(tt.wantParts)))
			var joined []byte
			for i, p := range parts {
				want := fmt.Sprintf("db.zst.part%0*d", width, i+1)
				if p.Name != want {
					t.Errorf("part %d named %q, want %q", i, p.Name, want)
				}
				b, _ := os.ReadFile(p.Path)
				if int64(len(b)) != p.Size || sha(b) != p.SHA256 {
					t.Errorf("part %s: reported %d/%s, has %d/%s", p.Name, p.Size, p.SHA256, len(b), sha(b))
				}
				joined = append(joined, b...)
			}
			if parts[len(parts)-1].Size != tt.lastSize {
				t.Errorf("last part %d bytes, want %d", parts[len(parts)-1].Size, tt.lastSize)
			}
			if !bytes.Equal(joined, data) {
				t.Error("parts joined in name order differ from the original")
			}
		})
	}
}

func TestSplitJoinCommand(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	src := fixture(t, dir, 5000)
	orig, _ := os.ReadFile(src)
	out := filepath.Join(dir, "dl")
	os.Mkdir(out, 0o755)
	if _, err := Split(context.Background(), src, out, 1024); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", JoinCommand("in.sqlite"))
	cmd.Dir = out
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", JoinCommand("in.sqlite"), err, b)
	}
	got, _ := os.ReadFile(filepath.Join(out, "in.sqlite"))
	if !bytes.Equal(got, orig) {
		t.Error("the documented join command did not rebuild the file")
	}
}

func TestMakeBundle(t *testing.T) {
	dir := t.TempDir()
	db := fixture(t, dir, 200_000)
	card := filepath.Join(dir, "README.md")
	manifest := filepath.Join(dir, "build_manifest.json")
	os.WriteFile(card, []byte("# card\n"), 0o644)
	os.WriteFile(manifest, []byte(`{"fingerprint":"ab"}`), 0o644)
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)

	b, err := MakeBundle(context.Background(), BundleOptions{DB: db, OutDir: out, AssetName: "tags-cc0.sqlite.zst", Manifest: manifest, Extras: []string{card}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range b.Files {
		names = append(names, f.Name)
	}
	if got, want := strings.Join(names, " "), "tags-cc0.sqlite.zst README.md SHA256SUMS build_manifest.json"; got != want {
		t.Errorf("upload order %q, want %q", got, want)
	}
	sums, _ := os.ReadFile(b.Sums.Path)
	parsed, err := ParseSums(bytes.NewReader(sums), "SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	if len(parsed) != 3 || parsed["tags-cc0.sqlite.zst"] != b.DB.SHA256 || parsed["build_manifest.json"] != b.Manifest.SHA256 {
		t.Errorf("SHA256SUMS = %v, bundle DB %s", parsed, b.DB.SHA256)
	}

	// Editions sharing a release name their checksum files apart.
	b3, err := MakeBundle(context.Background(), BundleOptions{DB: db, OutDir: out, SumsName: "tagdb-cc0.SHA256SUMS"})
	if err != nil {
		t.Fatal(err)
	}
	if b3.Sums.Name != "tagdb-cc0.SHA256SUMS" || b3.Sums.Path != filepath.Join(out, "tagdb-cc0.SHA256SUMS") {
		t.Errorf("custom sums file = %+v", b3.Sums)
	}

	// none: published in place, not copied.
	b2, err := MakeBundle(context.Background(), BundleOptions{DB: db, OutDir: out, Method: None})
	if err != nil {
		t.Fatal(err)
	}
	if b2.DB.Path != db || b2.DB.Name != "in.sqlite" {
		t.Errorf("none bundle DB = %+v", b2.DB)
	}

	if _, err := MakeBundle(context.Background(), BundleOptions{DB: db, OutDir: out, Extras: []string{card, filepath.Join(out, "README.md")}}); err == nil || !strings.Contains(err.Error(), `"README.md"`) {
		t.Errorf("clashing extras: err = %v", err)
	}
}
