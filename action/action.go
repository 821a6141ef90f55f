package action

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tagdb/tagdb-action/builder"
	"github.com/tagdb/tagdb-action/datadiff"
	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/progress"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/edition"
	"github.com/tagdb/tagdb-action/release/notes"
	"github.com/tagdb/tagdb-action/release/pack"
	"github.com/tagdb/tagdb-action/release/pipeline"
	"github.com/tagdb/tagdb-action/search"
)

// IO is the workflow side of a run: step outputs, the step summary, warning
// annotations and collapsible log groups.
type IO interface {
	SetOutput(name, value string)
	AddStepSummary(markdown string)
	Warningf(format string, args ...any)
	// Annotate attaches a message to a file and line of the pull request
	// (level error, warning or notice; file "" for none, line 0 for the file).
	Annotate(level, title, file string, line int, message string)
	Group(title string)
	EndGroup()
}

// Runner runs the action's modes. Every dependency is a field: tests fill
// them with a getenv map, a recording IO and a fake GitHub.
type Runner struct {
	IO     IO
	Log    io.Writer // progress, pipeline steps, API retries (stderr)
	Getenv func(string) string
	// SampleManifest is built when the sources input is empty.
	SampleManifest string
	ProgramVersion string
	// MemoryLimit is the build's memory budget in bytes (0: none).
	MemoryLimit int64
	// MaxAssetSize and PartSize override GitHub's asset limit and the part
	// size of a split (0: the defaults), so tests can split small files.
	MaxAssetSize, PartSize int64
	// Notes tunes the release-notes update (zero: the real waits).
	Notes notes.UpdateOptions
}

// Client is the release client of the input repository.
func (r *Runner) Client(in *Inputs) (*release.Client, error) {
	if in.Repo == "" {
		return nil, errors.New("no repository: set input repository or GITHUB_REPOSITORY")
	}
	return release.New(release.Options{APIURL: in.APIURL, Token: in.Token, Repo: in.Repo, Logger: release.TextLogger(r.Log)})
}

// job is one run of mode build or release: what each step hands the next.
type job struct {
	r        *Runner
	in       *Inputs
	ed       edition.Edition
	editions []edition.Edition // the manifest's profiles
	manifest *builder.Manifest
	client   *release.Client // nil when no step needs GitHub
	base     *Base
	// fingerprint is this run's build fingerprint, known before the build
	// (set when there is a base release to compare it with).
	fingerprint string
	res         *builder.Result
	diff        *datadiff.Report // the data diff against the base (nil: no base)
	pub         *pipeline.Publication
}

// Build runs modes build and release: decide from the fingerprint whether
// the base release already has this build (then, in mode release, stop
// without downloading or building anything), else fetch the base, build
// the edition on it, and (mode release) publish it with its release notes.
func (r *Runner) Build(ctx context.Context, in *Inputs) error {
	j := &job{r: r, in: in, ed: edition.Edition(in.Profile), base: &Base{DB: in.BaseDB}}
	src := in.Sources
	if src == "" {
		src = r.SampleManifest
	}
	m, err := builder.LoadManifest(src)
	if err != nil {
		return fmt.Errorf("input sources: %w", err)
	}
	j.manifest, j.editions = m, edition.List(m.Profiles)
	if err := os.MkdirAll(in.OutDir, 0o755); err != nil {
		return err
	}
	if in.Mode == "release" || in.BaseRelease != "" {
		if j.client, err = r.Client(in); err != nil {
			return err
		}
	}
	log := release.TextLogger(r.Log)
	if in.BaseRelease != "" {
		if err := pipeline.Run(ctx, log, pipeline.NewStep("fingerprint", j.computeFingerprint), pipeline.NewStep("look up base", j.lookupBase)); err != nil {
			return err
		}
		if in.Mode == "release" && in.SkipUnchanged && release.SameFingerprint(j.base.Fingerprint, j.fingerprint) {
			j.reportUnchanged()
			return nil
		}
	}
	if err := pipeline.Run(ctx, log, pipeline.NewStep("fetch base", j.fetchBase), pipeline.NewStep("build", j.build), pipeline.NewStep("diff", j.diffBase)); err != nil {
		return err
	}
	res := j.res
	r.IO.SetOutput("db-path", res.Out)
	r.IO.SetOutput("sha256", res.SHA256)
	r.IO.SetOutput("version", res.Manifest.BuildInfo.Version)
	r.IO.SetOutput("tags-total", strconv.FormatInt(res.Stats.Tags, 10))
	r.IO.SetOutput("schema-hash", res.Manifest.SchemaHash)

	changed := j.base.Fingerprint == "" || !release.SameFingerprint(j.base.Fingerprint, res.Fingerprint)
	var rel *release.Result
	if in.Mode == "release" {
		if !changed && in.SkipUnchanged {
			fmt.Fprintf(r.Log, "release: base release %s already has fingerprint %s for %s; nothing to publish\n", in.BaseRelease, res.Fingerprint, in.Profile)
		} else {
			r.IO.Group("Publish " + in.Tag)
			err := j.publish(ctx, log)
			r.IO.EndGroup()
			if err != nil {
				return err
			}
			rel = j.pub.Result
			changed = rel.Changed
		}
	}
	r.IO.SetOutput("changed", strconv.FormatBool(changed))
	if rel != nil {
		assetName := j.ed.Database(in.Method)
		r.IO.SetOutput("release-id", strconv.FormatInt(rel.ReleaseID, 10))
		r.IO.SetOutput("release-url", rel.ReleaseURL)
		if pa := rel.Asset(assetName); pa != nil {
			r.IO.SetOutput("asset-url", pa.URL)
		}
		r.IO.SetOutput("asset-path", filepath.Join(j.assetDir(), assetName))
	}
	r.IO.AddStepSummary(buildSummary(summaryData{in: in, ed: j.ed, res: res, rel: rel, changed: changed,
		baseFingerprint: j.base.Fingerprint, downloaded: j.base.Downloaded, diff: j.diffMarkdown(), baseTag: j.baseTag()}))
	return nil
}

// options are the build's options. The fingerprint step computes the
// fingerprint from the same options, so the two cannot disagree.
func (j *job) options() (builder.Options, error) {
	in, r := j.in, j.r
	bt, err := builder.BuildTimeFromEnv(r.Getenv)
	if err != nil {
		return builder.Options{}, err
	}
	o := builder.Options{
		Manifest: j.manifest, Profile: in.Profile, Out: filepath.Join(in.OutDir, j.ed.Database(pack.None)),
		Base: j.base.DB, Reserve: j.base.Reserve, Version: in.Version, BuildTime: bt,
		IDMap:     filepath.Join(in.OutDir, edition.IDMap),
		Overrides: in.Overrides, ReportDir: in.ReportDir, MaxBadRows: in.MaxBadRows, MaxBadPercent: in.MaxBadPercent,
		ProgramVersion: r.ProgramVersion, MemoryLimit: r.MemoryLimit,
		Progress: progress.New(r.Log, progress.Actions),
		// The base is the previous state of the same data: what decides
		// whether anything changed is the sources, overrides, program and
		// profile.
		FingerprintIgnoresBase: true,
	}
	if in.FTS {
		o.PostProcess = search.CreateSubstringIndex
	}
	return o, nil
}

// computeFingerprint hashes the inputs: with FingerprintIgnoresBase that
// is all the fingerprint needs, so it is known before any download.
func (j *job) computeFingerprint(ctx context.Context) error {
	o, err := j.options()
	if err != nil {
		return err
	}
	j.fingerprint, err = builder.Fingerprint(ctx, o)
	return err
}

// lookupBase reads the base release's manifest of this edition, and
// nothing larger.
func (j *job) lookupBase(ctx context.Context) error {
	b, err := j.r.LookupBase(ctx, j.in, j.client)
	if err != nil {
		return err
	}
	b.DB = j.base.DB // base-db, until fetchBase
	j.base = b
	return nil
}

// reportUnchanged ends a release run whose build the base release already
// has: the outputs and the summary describe the published build, read from
// its manifest and the release, and nothing was downloaded but that.
func (j *job) reportUnchanged() {
	r, in, b := j.r, j.in, j.base
	pub, snap := b.Published, b.Release
	fmt.Fprintf(r.Log, "release: base release %s already has fingerprint %s for %s; nothing downloaded, built or published\n", snap.Tag(), j.fingerprint, in.Profile)
	r.IO.SetOutput("changed", "false")
	r.IO.SetOutput("release-id", strconv.FormatInt(snap.ID(), 10))
	r.IO.SetOutput("release-url", snap.URL())
	r.IO.SetOutput("asset-url", snap.AssetURL(j.ed.Database(in.Method)))
	r.IO.SetOutput("sha256", pub.Output.SHA256)
	r.IO.SetOutput("version", pub.BuildInfo.Version)
	r.IO.SetOutput("tags-total", strconv.FormatInt(pub.Statistics.Tags, 10))
	r.IO.SetOutput("schema-hash", pub.SchemaHash)
	if pub.SchemaHash == "" {
		r.IO.Warningf("base release %s: %s has no schema_sha256 (made by an older tagdb); output schema-hash is empty", snap.Tag(), j.ed.Manifest())
	}
	r.IO.AddStepSummary(unchangedSummary(in, j.ed, b, j.fingerprint))
}

// fetchBase downloads the base release's files the build needs (the base
// was looked up by lookupBase).
func (j *job) fetchBase(ctx context.Context) error {
	if j.in.BaseRelease == "" || j.base.Release == nil {
		return nil
	}
	j.r.IO.Group("Download base release " + j.in.BaseRelease)
	defer j.r.IO.EndGroup()
	b := j.base
	given := j.in.BaseDB
	if err := j.r.fetchBaseFiles(ctx, j.in, b, j.editions); err != nil {
		return err
	}
	if given != "" {
		// base-db wins as the base (e.g. the fresh cc0 of this run); the
		// release's own edition then only reserves its ids.
		if b.DB != "" {
			b.Reserve = append(b.Reserve, b.DB)
		}
		b.DB = given
	}
	return nil
}

func (j *job) build(ctx context.Context) error {
	o, err := j.options()
	if err != nil {
		return err
	}
	j.res, err = builder.Build(ctx, o)
	return err
}

// diffBase compares the build with its base: the release notes and the
// summary show the top changes, the release carries the full report.
func (j *job) diffBase(ctx context.Context) error {
	if j.base.DB == "" {
		return nil
	}
	var err error
	j.diff, err = datadiff.Compare(ctx, j.base.DB, j.res.Out, datadiff.Options{})
	if err != nil {
		return fmt.Errorf("diff against the base %s: %w", j.base.DB, err)
	}
	return nil
}

// diffMarkdown is the diff's top items ("" without a base).
func (j *job) diffMarkdown() string {
	if j.diff == nil {
		return ""
	}
	var b strings.Builder
	if err := j.diff.WriteMarkdown(&b, datadiff.MarkdownOptions{Top: 5, JSONName: j.ed.Diff()}); err != nil {
		return ""
	}
	return b.String()
}

// baseTag is what the diff compared with: the base release's tag, or the
// base-db file's name.
func (j *job) baseTag() string {
	switch {
	case j.diff == nil:
		return ""
	case j.in.BaseDB != "":
		return filepath.Base(j.in.BaseDB)
	case j.base.Release != nil:
		return j.base.Release.Tag()
	}
	return filepath.Base(j.base.DB)
}

func (j *job) assetDir() string { return filepath.Join(j.in.OutDir, "assets") }

// publish runs the publish pipeline on the built database, its manifest,
// card and reports, all under the edition's asset names.
func (j *job) publish(ctx context.Context, log *slog.Logger) error {
	in, dir := j.in, j.assetDir()
	var manifest string
	var extras []string
	for _, r := range j.res.Reports {
		dst := filepath.Join(dir, j.ed.Asset(filepath.Base(r)))
		if filepath.Base(r) == release.ManifestName {
			manifest = dst
		} else {
			extras = append(extras, dst)
		}
	}
	stage := pipeline.NewStep("stage", func(context.Context) error {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for _, r := range j.res.Reports {
			if err := files.Copy(r, filepath.Join(dir, j.ed.Asset(filepath.Base(r)))); err != nil {
				return err
			}
		}
		if j.diff != nil {
			return files.WriteAtomic(filepath.Join(dir, j.ed.Diff()), 0o644, j.diff.WriteJSON)
		}
		return nil
	})
	if j.diff != nil {
		extras = append(extras, filepath.Join(dir, j.ed.Diff()))
	}
	idMap := filepath.Join(in.OutDir, edition.IDMap)
	extras = append(extras, idMap)
	names := make([]string, len(j.editions))
	for i, e := range j.editions {
		names[i] = string(e)
	}
	generic := edition.Edition("<edition>")
	body := fmt.Sprintf("Tag database %s. Each edition (%s) is a `%s` asset with its `%s`, `%s`, dataset card, reports and `%s` (the changes since the previous release); `%s` lists every tag's id, shared by the editions.",
		in.Version, strings.Join(names, ", "), generic.Database(in.Method), generic.Sums(), release.ManifestName, generic.Diff(), edition.IDMap)
	j.pub = pipeline.New(pipeline.Options{
		DB: j.res.Out, Manifest: manifest, Extras: extras, OutDir: dir, Method: in.Method,
		AssetName: j.ed.Database(in.Method), SumsName: j.ed.Sums(), SkipUnchanged: in.SkipUnchanged,
		Release: release.PublishOptions{
			ReleaseSpec:  release.ReleaseSpec{Tag: in.Tag, Name: in.ReleaseName, Body: body, Prerelease: in.Prerelease, TargetCommitish: j.r.Getenv("GITHUB_SHA")},
			Draft:        in.Draft,
			MakeLatest:   in.MakeLatest,
			Overwrite:    in.Overwrite,
			BodyOnCreate: true, // the editions' sections are release/notes' (updateNotes)
			ManifestName: j.ed.Manifest(),
			Shared:       []string{edition.IDMap},
			Split:        in.Split,
			MaxAssetSize: j.r.MaxAssetSize,
			PartSize:     j.r.PartSize,
		},
	}, j.client)
	steps := append([]pipeline.Step{stage}, j.pub.Steps()...)
	steps = append(steps, pipeline.NewStep("release notes", j.updateNotes))
	err := pipeline.Run(ctx, log, steps...)
	if err != nil && j.pub.Result != nil && j.pub.Result.ReleaseURL != "" {
		err = fmt.Errorf("%w (release page: %s)", err, j.pub.Result.ReleaseURL)
	}
	return err
}

// updateNotes writes this edition's section of the release body. The
// editions' jobs publish into one release at the same time, so the section
// goes in through notes.UpdateSection, which survives a concurrent edit.
func (j *job) updateNotes(ctx context.Context) error {
	rel, res, in := j.pub.Result, j.res, j.in
	e := notes.Edition{
		Name: string(j.ed), Repo: in.Repo, Tag: rel.Tag, Method: in.Method, Split: len(rel.Parts[j.ed.Database(in.Method)]) > 0,
		Licenses: res.Manifest.BuildInfo.Licenses, Tags: res.Stats.Tags,
		BaseTag: j.baseTag(), Diff: j.diffMarkdown(),
	}
	for _, f := range res.Stats.Formats {
		e.Formats = append(e.Formats, notes.FormatTotal{Name: f.Name, Tags: f.Tags, Canonical: f.Canonical, Aliases: f.Aliases, Deprecated: f.Deprecated, Counts: f.WithCount})
	}
	for _, s := range res.Manifest.Inputs {
		if s.Role == "data" {
			e.Sources = append(e.Sources, notes.Source{ID: s.ID, License: s.License, URL: s.URL})
		}
	}
	return notes.UpdateSection(ctx, j.client, rel.ReleaseID, string(j.ed), notes.Section(e), j.r.Notes)
}
