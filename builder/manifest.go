package builder

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tagdb/tagdb-action/internal/files"
)

// Source kinds a manifest may name.
const (
	KindTagsDB         = "tags_db"
	KindTagcompleteCSV = "tagcomplete_csv"
	KindTranslationCSV = "translation_csv"
	KindCSV            = "csv"
	KindJSON           = "json"
	KindParquet        = "parquet"
	KindSiteTags       = "site_tags"
)

var knownKinds = []string{KindTagsDB, KindTagcompleteCSV, KindTranslationCSV, KindCSV, KindJSON, KindParquet, KindSiteTags}

// knownLicenses are the SPDX ids a source may declare. A licence outside this
// list is almost always a typo ("CC-BY 4.0"), and a typo must not silently drop
// a source from every edition, so it is an error.
var knownLicenses = []string{
	"CC0-1.0", "MIT", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-3.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0",
	"Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Unlicense", "0BSD",
	"ODC-By-1.0", "ODbL-1.0", "PDDL-1.0", "GPL-3.0-only", "LGPL-3.0-only",
}

// DefaultProfiles are the licence editions when a manifest names none.
func DefaultProfiles() map[string][]string {
	return map[string][]string{
		"cc0": {"CC0-1.0"},
		"mit": {"CC0-1.0", "MIT"},
		"cc4": {"CC0-1.0", "CC-BY-4.0"},
	}
}

var idPattern = regexp.MustCompile(`^[a-z0-9._-]+$`)

// Manifest is a parsed sources.yml.
type Manifest struct {
	Path     string // the file it was read from
	Dir      string // its folder: every source path is relative to it
	Sources  []SourceSpec
	Profiles map[string][]string
	// MaxShrink is max-shrink: how far (percent) a source's row count may
	// fall against the base release; nil when the manifest does not say, -1
	// for off.
	MaxShrink *float64
}

// SourceSpec is one entry of sources.yml.
type SourceSpec struct {
	ID       string `yaml:"id"`
	Kind     string `yaml:"kind"`
	Path     string `yaml:"path"`
	Format   string `yaml:"format"`
	License  string `yaml:"license"`
	URL      string `yaml:"url"`
	Language string `yaml:"language"`
	Enabled  *bool  `yaml:"enabled"`
	// AllowEmpty accepts a source that gives the build no usable row; by
	// default such a source fails the build (a site whose table is empty, a
	// file in the wrong layout must not be published without its rows).
	AllowEmpty bool `yaml:"allow-empty"`

	// Files are the resolved, sorted absolute paths the path matched.
	Files []string `yaml:"-"`
}

// IsEnabled reports whether the source takes part in builds (default true).
func (s SourceSpec) IsEnabled() bool { return s.Enabled == nil || *s.Enabled }

type rawManifest struct {
	Sources   []SourceSpec        `yaml:"sources"`
	Profiles  map[string][]string `yaml:"profiles"`
	MaxShrink *string             `yaml:"max-shrink"`
}

// LoadManifest reads and checks a sources.yml. Every error names the file and
// the source it is about; nothing is read from a source's files yet, but every
// path is resolved and must stay inside the manifest's folder.
func LoadManifest(path string) (*Manifest, error) {
	data, err := files.ReadRegular(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	return ParseManifest(path, data)
}

// ParseManifest is LoadManifest on bytes already read; path names the file in
// errors and anchors relative source paths.
func ParseManifest(path string, data []byte) (*Manifest, error) {
	name := filepath.Base(path)
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // sources.yml files are often saved with a BOM
	var raw rawManifest
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty manifest: it needs a 'sources:' list", name)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(raw.Sources) == 0 {
		return nil, fmt.Errorf("%s: no sources: the manifest needs a non-empty 'sources:' list", name)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m := &Manifest{Path: abs, Dir: filepath.Dir(abs), Profiles: DefaultProfiles()}
	if raw.MaxShrink != nil {
		p, err := ParseMaxShrink(*raw.MaxShrink)
		if err != nil {
			return nil, fmt.Errorf("%s: max-shrink %w", name, err)
		}
		m.MaxShrink = &p
	}
	for p, lics := range raw.Profiles {
		if !idPattern.MatchString(p) {
			return nil, fmt.Errorf("%s: profile %q: name must match [a-z0-9._-]+", name, p)
		}
		if len(lics) == 0 {
			return nil, fmt.Errorf("%s: profile %q: lists no licences (an empty profile would include nothing)", name, p)
		}
		for _, l := range lics {
			if canonicalLicense(l) == "" {
				return nil, fmt.Errorf("%s: profile %q: unknown licence %q (use an SPDX id such as %s)", name, p, l, strings.Join(knownLicenses[:3], ", "))
			}
		}
		m.Profiles[p] = canonicalLicenses(lics)
	}
	seen := map[string]int{}
	for i, s := range raw.Sources {
		where := fmt.Sprintf("%s: source #%d", name, i+1)
		if s.ID != "" {
			where = fmt.Sprintf("%s: source %q", name, s.ID)
		}
		if s.ID == "" {
			return nil, fmt.Errorf("%s: missing id", where)
		}
		if !idPattern.MatchString(s.ID) {
			return nil, fmt.Errorf("%s: id must match [a-z0-9._-]+", where)
		}
		if j, dup := seen[s.ID]; dup {
			return nil, fmt.Errorf("%s: duplicate id (also source #%d)", where, j+1)
		}
		seen[s.ID] = i
		if !contains(knownKinds, s.Kind) {
			if s.Kind == "" {
				return nil, fmt.Errorf("%s: missing kind (one of %s)", where, strings.Join(knownKinds, ", "))
			}
			return nil, fmt.Errorf("%s: unknown kind %q (one of %s)", where, s.Kind, strings.Join(knownKinds, ", "))
		}
		if s.License == "" {
			return nil, fmt.Errorf("%s: missing license: every source must declare its SPDX licence", where)
		}
		lic := canonicalLicense(s.License)
		if lic == "" {
			return nil, fmt.Errorf("%s: unknown license %q (use an SPDX id such as %s)", where, s.License, strings.Join(knownLicenses[:3], ", "))
		}
		s.License = lic
		if s.Path == "" {
			return nil, fmt.Errorf("%s: missing path", where)
		}
		switch s.Kind {
		case KindTagcompleteCSV:
			if s.Format == "" {
				return nil, fmt.Errorf("%s: kind %s needs format (the TAG_FORMATS.format_name its rows belong to)", where, s.Kind)
			}
		case KindTranslationCSV:
			if s.Format != "" {
				return nil, fmt.Errorf("%s: kind %s takes no format (translations belong to tags, not formats)", where, s.Kind)
			}
		case KindSiteTags, KindTagsDB:
			if s.Format != "" {
				return nil, fmt.Errorf("%s: kind %s takes no format (each row carries its own)", where, s.Kind)
			}
		}
		if s.Format != "" {
			if _, ok := FormatID(s.Format); !ok {
				return nil, fmt.Errorf("%s: unknown format %q (one of %s)", where, s.Format, strings.Join(FormatNames(), ", "))
			}
		}
		files, err := resolvePath(m.Dir, s.Path, s.Kind == KindSiteTags)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		s.Files = files
		m.Sources = append(m.Sources, s)
	}
	return m, nil
}

// resolvePath expands a manifest path (file, folder or glob) relative to dir and
// refuses anything that leaves dir: "..", absolute paths, and symlinks that
// point outside. wantDir says the kind reads folders (site_tags).
func resolvePath(dir, p string, wantDir bool) ([]string, error) {
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) || filepath.VolumeName(p) != "" {
		return nil, fmt.Errorf("path %q is absolute: paths are relative to the manifest folder and may not leave it", p)
	}
	clean := filepath.Clean(filepath.FromSlash(p))
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("path %q escapes the manifest folder", p)
	}
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, err
	}
	pattern := filepath.Join(dir, clean)
	var matches []string
	if strings.ContainsAny(clean, "*?[") {
		matches, err = filepath.Glob(pattern)
		if err != nil {
			return nil, fmt.Errorf("path %q: bad glob: %w", p, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("path %q matches no file", p)
		}
	} else {
		if _, err := os.Stat(pattern); err != nil {
			if os.IsNotExist(err) {
				return nil, fmt.Errorf("path %q does not exist (looked for %s)", p, pattern)
			}
			return nil, fmt.Errorf("path %q: %w", p, err)
		}
		matches = []string{pattern}
	}
	sort.Strings(matches)
	for _, f := range matches {
		real, err := filepath.EvalSymlinks(f)
		if err != nil {
			return nil, fmt.Errorf("path %q: %w", p, err)
		}
		rel, err := filepath.Rel(realDir, real)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("path %q escapes the manifest folder (%s resolves to %s)", p, f, real)
		}
		st, err := os.Stat(real)
		if err != nil {
			return nil, fmt.Errorf("path %q: %w", p, err)
		}
		if st.IsDir() != wantDir {
			if wantDir {
				return nil, fmt.Errorf("path %q: %s is a file, this kind reads a folder", p, f)
			}
			return nil, fmt.Errorf("path %q: %s is a folder, this kind reads files (use a glob such as %s/*.csv)", p, f, p)
		}
		if !wantDir {
			// A FIFO or device would block or never end when read.
			if err := files.CheckRegular(real); err != nil {
				return nil, fmt.Errorf("path %q: %w", p, err)
			}
		}
	}
	return matches, nil
}

func canonicalLicense(l string) string {
	for _, k := range knownLicenses {
		if strings.EqualFold(strings.TrimSpace(l), k) {
			return k
		}
	}
	return ""
}

func canonicalLicenses(ls []string) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		c := canonicalLicense(l)
		if !contains(out, c) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
