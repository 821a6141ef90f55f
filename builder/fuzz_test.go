package builder

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// relFuzzFolder lays out a manifest folder for FuzzParseManifest:
//
//	root/secret.csv, root/outdir/a.csv     outside the manifest folder
//	root/m/good.csv, other.csv, data/x.json, data/y.json
//	root/m/site_tags/danbooru.donmai.us/tags.sqlite
//	root/m/link.csv -> ../secret.csv       a file symlink out
//	root/m/linkdir  -> ../outdir           a folder symlink out
//	root/m/inside.csv -> good.csv          a symlink that stays inside
//
// and returns root/m. The seeds under testdata/fuzz/FuzzParseManifest name
// these files.
func relFuzzFolder(f *testing.F) string {
	root := f.TempDir()
	files := map[string]string{
		"secret.csv":    "secret,0,1\n",
		"outdir/a.csv":  "a,0,1\n",
		"m/good.csv":    "1girl,0,5\n",
		"m/other.csv":   "solo,0,5\n",
		"m/data/x.json": "[]",
		"m/data/y.json": "[]",
		"m/site_tags/danbooru.donmai.us/tags.sqlite": "",
	}
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	dir := filepath.Join(root, "m")
	for link, target := range map[string]string{"link.csv": "../secret.csv", "linkdir": "../outdir", "inside.csv": "good.csv"} {
		if err := os.Symlink(filepath.FromSlash(target), filepath.Join(dir, link)); err != nil {
			f.Skipf("symlinks not available: %v", err)
		}
	}
	return dir
}

// FuzzParseManifest: ParseManifest never panics, fails with a message naming
// the file, and whatever it accepts is safe to build from: unique ids, known
// kinds, canonical licences, and every resolved file inside the manifest
// folder even through symlinks. Parsing is deterministic.
func FuzzParseManifest(f *testing.F) {
	dir := relFuzzFolder(f)
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("sources:\n  - id: good\n    kind: tagcomplete_csv\n    path: good.csv\n    format: danbooru\n    license: MIT\n"))
	f.Add([]byte("\xef\xbb\xbfsources:\n  - {id: j, kind: json, path: 'data/*.json', license: cc0-1.0}\n  - {id: s, kind: site_tags, path: site_tags, license: CC-BY-4.0}\nprofiles:\n  x: [mit, CC0-1.0]\n"))
	f.Add([]byte("sources:\n  - {id: l, kind: csv, path: '*.csv', license: MIT}\n"))
	f.Add([]byte("sources:\n  - {id: l, kind: csv, path: linkdir/a.csv, license: MIT}\n"))
	path := filepath.Join(dir, "sources.yml")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(path, data)
		if err != nil {
			if m != nil {
				t.Fatalf("ParseManifest returned a manifest and the error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "sources.yml: ") {
				t.Fatalf("error does not start with the file name: %v", err)
			}
			return
		}
		if len(m.Sources) == 0 {
			t.Fatal("accepted a manifest with no sources")
		}
		seen := map[string]bool{}
		for _, s := range m.Sources {
			if s.ID == "" || seen[s.ID] || !idPattern.MatchString(s.ID) {
				t.Fatalf("id %q: empty, duplicate or not [a-z0-9._-]+", s.ID)
			}
			seen[s.ID] = true
			if !contains(knownKinds, s.Kind) {
				t.Fatalf("source %q: unknown kind %q accepted", s.ID, s.Kind)
			}
			if s.License == "" || canonicalLicense(s.License) != s.License {
				t.Fatalf("source %q: licence %q is not a canonical SPDX id", s.ID, s.License)
			}
			if len(s.Files) == 0 {
				t.Fatalf("source %q: accepted with no file", s.ID)
			}
			for _, file := range s.Files {
				real, err := filepath.EvalSymlinks(file)
				if err != nil {
					t.Fatalf("source %q: resolved file %s: %v", s.ID, file, err)
				}
				rel, err := filepath.Rel(realDir, real)
				if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
					t.Fatalf("source %q: %s resolves to %s, outside the manifest folder", s.ID, file, real)
				}
				st, err := os.Stat(real)
				if err != nil || st.IsDir() != (s.Kind == KindSiteTags) {
					t.Fatalf("source %q (%s): %s is the wrong kind of file (%v)", s.ID, s.Kind, file, err)
				}
			}
		}
		for name, lics := range m.Profiles {
			if len(lics) == 0 {
				t.Fatalf("profile %q has no licence", name)
			}
			for _, l := range lics {
				if canonicalLicense(l) != l {
					t.Fatalf("profile %q: licence %q is not canonical", name, l)
				}
			}
		}
		again, err := ParseManifest(path, data)
		if err != nil || !reflect.DeepEqual(m, again) {
			t.Fatalf("a second parse differs: %v", err)
		}
	})
}
