package builder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/tagdb/tagdb-action/internal/files"
)

// FileRef is one file a build read or wrote.
type FileRef struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

type hashJob struct {
	wg   sync.WaitGroup
	refs map[string]FileRef
	err  error
}

// startHashing hashes every input file (sources of all roles, base, reserve
// databases, overrides) in the background. The hashes make the fingerprint
// that lets a rerun with unchanged inputs skip publishing. A site folder
// contributes the files its reader reads (sitetags.Site.Files), not every
// file in it: a file that is not read cannot change the output. Hashing
// opens through files.OpenRegular, so a FIFO among the inputs fails here
// instead of blocking the build.
func startHashing(ctx context.Context, o Options, units []*unit) *hashJob {
	var paths []string
	for _, u := range units {
		if u.site != nil {
			paths = append(paths, u.site.Files()...)
			continue
		}
		paths = append(paths, u.path)
	}
	if o.Base != "" {
		paths = append(paths, o.Base)
	}
	paths = append(paths, o.Reserve...)
	if o.Overrides != "" {
		paths = append(paths, o.Overrides)
	}
	j := &hashJob{refs: map[string]FileRef{}}
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		for _, p := range paths {
			if ctx.Err() != nil {
				j.err = ctx.Err()
				return
			}
			sum, size, err := fileSHA256(p)
			if err != nil {
				j.err = fmt.Errorf("hash input %s: %w", p, err)
				return
			}
			j.refs[p] = FileRef{Path: p, SHA256: sum, Size: size}
		}
	}()
	return j
}

func (j *hashJob) wait() (map[string]FileRef, error) {
	j.wg.Wait()
	return j.refs, j.err
}

func fileSHA256(path string) (string, int64, error) {
	f, err := files.OpenRegular(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// BuildManifest is build_manifest.json.
type BuildManifest struct {
	Fingerprint string         `json:"fingerprint"`
	BuildInfo   BuildInfo      `json:"build_info"`
	Inputs      []InputSource  `json:"inputs"`
	Output      FileRef        `json:"output"`
	Statistics  Stats          `json:"statistics"`
	Health      Health         `json:"health_checks"`
	Effects     []SourceEffect `json:"source_effects"`
	// SchemaHash is migrations/schema's hash of the output's schema. With
	// Output.SHA256 and Statistics.Tags it is what a rerun that finds this
	// fingerprint published reports without downloading the database.
	SchemaHash string `json:"schema_sha256,omitempty"`
}

// BuildInfo says what was built and how.
type BuildInfo struct {
	Version       string    `json:"version"`
	Profile       string    `json:"profile"`
	Licenses      []string  `json:"licenses"`
	BuiltAt       string    `json:"built_at"`
	TagdbVersion  string    `json:"tagdb_version"`
	SchemaVersion int       `json:"schema_version"`
	Base          *FileRef  `json:"base,omitempty"`
	Reserve       []FileRef `json:"reserve_ids,omitempty"`
	Overrides     *FileRef  `json:"overrides,omitempty"`
	// OverridesHash hashes the parsed overrides, so editing a comment in
	// overrides.yml does not force a rebuild (docs/python-differences.md, W5).
	OverridesHash string `json:"overrides_sha256,omitempty"`
}

// InputSource is one manifest source and the files it read.
type InputSource struct {
	ID      string    `json:"id"`
	Kind    string    `json:"kind"`
	License string    `json:"license"`
	URL     string    `json:"url,omitempty"`
	Role    string    `json:"role"` // "data", "ids-only" (licence outside the profile), "disabled"
	Files   []FileRef `json:"files,omitempty"`
}

// Health is the validation result.
type Health struct {
	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
	Notes    []string `json:"notes"`
}

// SourceEffect is one row of source_effects.tsv.
type SourceEffect struct {
	Source      string `json:"source"`
	Action      string `json:"action"`
	License     string `json:"license"`
	RowsRead    int64  `json:"rows_read"`
	RowsChanged int64  `json:"rows_changed"`
	RowsSkipped int64  `json:"rows_skipped"`
	// ValuesDropped counts the values left out of rows that were used (an
	// alias, a translation part). Dropped counts the skipped rows and the
	// dropped values together, by reason.
	ValuesDropped int64            `json:"values_dropped,omitempty"`
	Dropped       map[string]int64 `json:"dropped,omitempty"`
	Note          string           `json:"note,omitempty"`
}

// DroppedText renders Dropped for the reports: "reason=count; ...", the
// largest count first.
func (e SourceEffect) DroppedText() string {
	reasons := make([]string, 0, len(e.Dropped))
	for r := range e.Dropped {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		a, b := reasons[i], reasons[j]
		if e.Dropped[a] != e.Dropped[b] {
			return e.Dropped[a] > e.Dropped[b]
		}
		return a < b
	})
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = r + "=" + strconv.FormatInt(e.Dropped[r], 10)
	}
	return strings.Join(parts, "; ")
}

func effects(units []*unit, plan *Plan) []SourceEffect {
	var out []SourceEffect
	for _, u := range units {
		e := SourceEffect{Source: u.name, License: u.spec.License, RowsRead: u.stats.rowsRead, RowsSkipped: u.events.skippedCount()}
		if d := u.events.skipReasons(); len(d) > 0 || len(u.stats.dropped) > 0 {
			for r, n := range u.stats.dropped {
				e.ValuesDropped += n
				d[r] += n
			}
			e.Dropped = d
		}
		switch {
		case u.keysOnly:
			e.Action = "ids_only"
			e.Note = fmt.Sprintf("licence %s is not in profile %s: tag names read for id assignment only", u.spec.License, plan.Profile)
		default:
			e.Action = "imported"
			e.RowsChanged = u.stats.changed
			var notes []string
			if u.stats.translationMiss > 0 {
				notes = append(notes, fmt.Sprintf("%d translations for tags not in this edition", u.stats.translationMiss))
			}
			e.Note = strings.Join(notes, "; ")
		}
		out = append(out, e)
	}
	for _, s := range plan.Disabled {
		out = append(out, SourceEffect{Source: s.ID, Action: "disabled", License: s.License, Note: "enabled: false"})
	}
	return out
}

func newBuildManifest(o Options, plan *Plan, units []*unit, hashes map[string]FileRef, st Stats, res *Result, ovHash string) *BuildManifest {
	m := &BuildManifest{
		BuildInfo: BuildInfo{
			Version: o.Version, Profile: plan.Profile, Licenses: plan.Licenses,
			BuiltAt: o.BuildTime.Format("2006-01-02T15:04:05Z"), TagdbVersion: o.ProgramVersion,
			SchemaVersion: schemaVersion(),
		},
		Output:     FileRef{Path: filepath.Base(res.Out), SHA256: res.SHA256, Size: res.Size},
		Statistics: st,
		Effects:    effects(units, plan),
	}
	if res.Validation != nil {
		m.Health = Health{OK: res.Validation.OK(), Problems: nonNil(res.Validation.Problems), Notes: nonNil(res.Validation.Notes)}
	}
	in := describeInputs(o, plan, hashes, ovHash)
	m.Inputs = in.sources
	m.BuildInfo.Base, m.BuildInfo.Reserve = in.base, in.reserve
	m.BuildInfo.Overrides, m.BuildInfo.OverridesHash = in.overrides, in.overridesHash
	m.Fingerprint = in.fingerprint(o, plan)
	return m
}

// buildInputs is what a build read, as the manifest records it and the
// fingerprint is computed from. It needs the input files' hashes, not their
// rows, so it is known before any source is read.
type buildInputs struct {
	sources       []InputSource
	base          *FileRef
	reserve       []FileRef
	overrides     *FileRef
	overridesHash string
}

func describeInputs(o Options, plan *Plan, hashes map[string]FileRef, ovHash string) buildInputs {
	rel := func(p string) string {
		if r, err := filepath.Rel(o.Manifest.Dir, p); err == nil {
			return filepath.ToSlash(r)
		}
		return filepath.Base(p)
	}
	var in buildInputs
	if o.Base != "" {
		r := hashes[o.Base]
		r.Path = filepath.Base(o.Base)
		in.base = &r
	}
	for _, p := range o.Reserve {
		r := hashes[p]
		r.Path = filepath.Base(p)
		in.reserve = append(in.reserve, r)
	}
	if o.Overrides != "" {
		r := hashes[o.Overrides]
		r.Path = filepath.Base(o.Overrides)
		in.overrides = &r
		in.overridesHash = ovHash
	}
	for _, s := range o.Manifest.Sources {
		src := InputSource{ID: s.ID, Kind: s.Kind, License: s.License, URL: s.URL, Role: "data"}
		switch {
		case !s.IsEnabled():
			src.Role = "disabled"
		case !contains(plan.Licenses, s.License):
			src.Role = "ids-only"
		}
		if s.IsEnabled() {
			var files []string
			for p := range hashes {
				for _, f := range s.Files {
					if p == f || isUnder(p, f) {
						files = append(files, p)
						break
					}
				}
			}
			sort.Strings(files)
			for _, f := range files {
				r := hashes[f]
				r.Path = rel(f)
				src.Files = append(src.Files, r)
			}
		}
		in.sources = append(in.sources, src)
	}
	return in
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func isUnder(p, dir string) bool {
	r, err := filepath.Rel(dir, p)
	return err == nil && r != "." && r != ".." && !filepath.IsAbs(r) && len(r) > 0 && r[0] != '.'
}

// fingerprint identifies everything that decides a build's content: the
// program and schema, the profile, every input file's hash and role, the
// overrides, the base and reserved ids. It leaves out the version string and
// the build time, so a rerun with nothing new is recognised as unchanged.
func (in buildInputs) fingerprint(o Options, plan *Plan) string {
	type fp struct {
		Program   string        `json:"program"`
		Schema    string        `json:"schema"`
		Profile   string        `json:"profile"`
		Licenses  []string      `json:"licenses"`
		Inputs    []InputSource `json:"inputs"`
		Base      *FileRef      `json:"base"`
		Reserve   []FileRef     `json:"reserve"`
		Overrides string        `json:"overrides"`
	}
	// Only content counts: a base downloaded under another name is the same base.
	anon := func(r *FileRef) *FileRef {
		if r == nil {
			return nil
		}
		return &FileRef{SHA256: r.SHA256, Size: r.Size}
	}
	var reserve []FileRef
	for _, r := range in.reserve {
		reserve = append(reserve, *anon(&r))
	}
	base := anon(in.base)
	if o.FingerprintIgnoresBase {
		base, reserve = nil, nil
	}
	b, _ := json.Marshal(fp{o.ProgramVersion, schemaChecksum(), plan.Profile, plan.Licenses, in.sources,
		base, reserve, in.overridesHash})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
