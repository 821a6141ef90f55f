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
	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/progress"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/edition"
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
	res      *builder.Result
	pub      *pipeline.Publication
}

// Build runs modes build and release: fetch the base release, build the
// edition on it, and (mode release) publish it unless the base release
// already has this build.
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
	if err := pipeline.Run(ctx, log, pipeline.NewStep("fetch base", j.fetchBase), pipeline.NewStep("build", j.build)); err != nil {
		return err
	}
	res := j.res
	r.IO.SetOutput("db-path", res.Out)
	r.IO.SetOutput("sha256", res.SHA256)
	r.IO.SetOutput("version", res.Manifest.BuildInfo.Version)
	r.IO.SetOutput("tags-total", strconv.FormatInt(res.Stats.Tags, 10))
	schemaHash, err := schemaHashOf(ctx, res.Out)
	if err != nil {
		return err
	}
	r.IO.SetOutput("schema-hash", schemaHash)

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
	r.IO.AddStepSummary(buildSummary(summaryData{in: in, ed: j.ed, res: res, rel: rel, changed: changed, baseFingerprint: j.base.Fingerprint}))
	return nil
}

func (j *job) fetchBase(ctx context.Context) error {
	if j.in.BaseRelease == "" {
		return nil
	}
	j.r.IO.Group("Download base release " + j.in.BaseRelease)
	defer j.r.IO.EndGroup()
	b, err := j.r.FetchBase(ctx, j.in, j.client, j.editions)
	if err != nil {
		return err
	}
	j.base.Reserve, j.base.Fingerprint = b.Reserve, b.Fingerprint
	switch {
	case j.base.DB == "":
		j.base.DB = b.DB
	case b.DB != "":
		// base-db wins as the base (e.g. the fresh cc0 of this run); the
		// release's own edition then only reserves its ids.
		j.base.Reserve = append(j.base.Reserve, b.DB)
	}
	return nil
}

func (j *job) build(ctx context.Context) error {
	in, r := j.in, j.r
	bt, err := builder.BuildTimeFromEnv(r.Getenv)
	if err != nil {
		return err
	}
	o := builder.Options{
		Manifest: j.manifest, Profile: in.Profile, Out: filepath.Join(in.OutDir, j.ed.Database(pack.None)),
		Base: j.base.DB, Reserve: j.base.Reserve, Version: in.Version, BuildTime: bt,
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
	j.res, err = builder.Build(ctx, o)
	return err
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
		return nil
	})
	names := make([]string, len(j.editions))
	for i, e := range j.editions {
		names[i] = string(e)
	}
	generic := edition.Edition("<edition>")
	body := fmt.Sprintf("Tag database %s. Each edition (%s) is a `%s` asset with its `%s`, `%s`, dataset card and reports.",
		in.Version, strings.Join(names, ", "), generic.Database(in.Method), generic.Sums(), release.ManifestName)
	j.pub = pipeline.New(pipeline.Options{
		DB: j.res.Out, Manifest: manifest, Extras: extras, OutDir: dir, Method: in.Method,
		AssetName: j.ed.Database(in.Method), SumsName: j.ed.Sums(), SkipUnchanged: in.SkipUnchanged,
		Release: release.PublishOptions{
			ReleaseSpec:  release.ReleaseSpec{Tag: in.Tag, Name: in.ReleaseName, Body: body, Prerelease: in.Prerelease, TargetCommitish: j.r.Getenv("GITHUB_SHA")},
			Draft:        in.Draft,
			MakeLatest:   in.MakeLatest,
			Overwrite:    in.Overwrite,
			ManifestName: j.ed.Manifest(),
			Split:        in.Split,
			MaxAssetSize: j.r.MaxAssetSize,
			PartSize:     j.r.PartSize,
		},
	}, j.client)
	err := pipeline.Run(ctx, log, append([]pipeline.Step{stage}, j.pub.Steps()...)...)
	if err != nil && j.pub.Result != nil && j.pub.Result.ReleaseURL != "" {
		err = fmt.Errorf("%w (release page: %s)", err, j.pub.Result.ReleaseURL)
	}
	return err
}
