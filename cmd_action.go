package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	githubactions "github.com/sethvargo/go-githubactions"

	"github.com/tagdb/tagdb-action/builder"
	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/progress"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/internal/textfmt"
	"github.com/tagdb/tagdb-action/migrations/check"
	"github.com/tagdb/tagdb-action/migrations/schema"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/pack"
)

const actionAbout = `
Run as the GitHub Action. action.yml maps every input to an INPUT_<NAME> variable
(upper case, '-' as '_'), because the runner does not export inputs to the steps
of a composite action. Modes: release (build, validate, publish), build (build and
validate only), check (the pull-request schema check). Outputs go to $GITHUB_OUTPUT,
the summary to $GITHUB_STEP_SUMMARY; outside Actions they are printed.`

// actionInputs are the action's inputs after defaults and parsing.
type actionInputs struct {
	mode, profile, sources, overrides, baseDB, baseRelease, version, tag, releaseName string
	makeLatest, compress, token, apiURL, reportDir, outDir, repo                      string
	baseSchema, migrationsDir, maxBad                                                 string
	draft, prerelease, overwrite, skipUnchanged, allowDestructive, fts                bool
}

// actionIO wraps go-githubactions so that the action also runs (and is tested)
// without the runner's files: outputs and the summary then go to stdout.
type actionIO struct {
	gh *githubactions.Action
	e  *env
}

func (a *actionIO) output(k, v string) {
	if a.e.getenv("GITHUB_OUTPUT") == "" {
		fmt.Fprintf(a.e.stdout, "%s=%s\n", k, v)
		return
	}
	a.gh.SetOutput(k, v)
}

func (a *actionIO) summary(md string) {
	if a.e.getenv("GITHUB_STEP_SUMMARY") == "" {
		fmt.Fprintln(a.e.stdout, md)
		return
	}
	a.gh.AddStepSummary(md)
}

func cmdAction(e *env, args []string) error {
	fs := newFlags(e, "action", "", actionAbout)
	if pos, err := parseFlags(e, fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	a := &actionIO{gh: githubactions.New(githubactions.WithGetenv(e.getenv), githubactions.WithWriter(e.stdout)), e: e}
	in, err := readActionInputs(a, e)
	if err != nil {
		a.gh.Errorf("%v", err)
		return &exitError{code: 1}
	}
	switch in.mode {
	case "build", "release":
		err = actionBuild(a, e, in)
	case "check":
		err = actionCheck(a, e, in)
	}
	if err != nil {
		// One annotation that says what failed; the log above has the detail.
		a.gh.Errorf("%s", strings.ReplaceAll(err.Error(), "\n", " "))
		return &exitError{code: 1}
	}
	return nil
}

func readActionInputs(a *actionIO, e *env) (*actionInputs, error) {
	get := func(name, def string) string {
		if v := a.gh.GetInput(name); v != "" {
			return v
		}
		return def
	}
	boolIn := func(name string, def bool) (bool, error) {
		v := get(name, strconv.FormatBool(def))
		b, err := strconv.ParseBool(strings.ToLower(v))
		if err != nil {
			return false, fmt.Errorf("input %s: %q is not true or false", strings.ReplaceAll(name, "_", "-"), v)
		}
		return b, nil
	}
	in := &actionInputs{
		mode: get("mode", "release"), profile: get("profile", "cc4"), sources: get("sources", ""),
		overrides: get("overrides", ""), baseDB: get("base_db", ""), baseRelease: get("base_release", ""),
		version: get("version", ""), tag: get("tag", ""), releaseName: get("release_name", ""),
		makeLatest: get("make_latest", "true"), compress: get("compress", "zstd"),
		token: get("github_token", e.getenv("GITHUB_TOKEN")), apiURL: get("api_url", e.getenv("GITHUB_API_URL")),
		reportDir: get("report_dir", ""), outDir: get("out_dir", ""), repo: get("repository", e.getenv("GITHUB_REPOSITORY")),
		baseSchema: get("base_schema", ""), migrationsDir: get("migrations_dir", "migrations"), maxBad: get("max_bad_rows", "5%"),
	}
	if in.token != "" {
		// Before anything could print it.
		a.gh.AddMask(in.token)
	}
	var err error
	for _, b := range []struct {
		dst  *bool
		name string
		def  bool
	}{
		{&in.draft, "draft", false}, {&in.prerelease, "prerelease", false}, {&in.overwrite, "overwrite_assets", true},
		{&in.skipUnchanged, "skip_unchanged", true}, {&in.allowDestructive, "allow_destructive", false}, {&in.fts, "fts", false},
	} {
		if *b.dst, err = boolIn(b.name, b.def); err != nil {
			return nil, err
		}
	}
	switch in.mode {
	case "build", "release", "check":
	default:
		return nil, fmt.Errorf("input mode: %q is not release, build or check", in.mode)
	}
	switch in.makeLatest {
	case "true", "false", "legacy":
	default:
		return nil, fmt.Errorf("input make-latest: %q is not true, false or legacy", in.makeLatest)
	}
	if in.outDir == "" {
		tmp := e.getenv("RUNNER_TEMP")
		if tmp == "" {
			tmp = os.TempDir()
		}
		in.outDir = filepath.Join(tmp, "tagdb-"+in.profile)
	}
	if in.version == "" {
		in.version = time.Now().UTC().Format("2006.01.02")
		if n := e.getenv("GITHUB_RUN_NUMBER"); n != "" {
			in.version += "." + n
		}
	}
	if in.tag == "" {
		if e.getenv("GITHUB_REF_TYPE") == "tag" {
			in.tag = strings.TrimPrefix(e.getenv("GITHUB_REF_NAME"), "refs/tags/")
		} else {
			in.tag = "v" + strings.TrimPrefix(in.version, "v")
		}
	}
	if in.releaseName == "" {
		in.releaseName = in.tag
	}
	if in.reportDir == "" {
		in.reportDir = filepath.Join(in.outDir, "report")
	}
	return in, nil
}

// editionAsset names the files of one edition inside a release that holds
// all three (tagdb-cc0.sqlite.zst, tagdb-cc0.build_manifest.json, ...).
func editionAsset(profile, suffix string) string { return "tagdb-" + profile + "." + suffix }

func (in *actionInputs) client(e *env) (*release.Client, error) {
	if in.repo == "" {
		return nil, errors.New("no repository: set input repository or GITHUB_REPOSITORY")
	}
	return release.New(release.Options{
		APIURL: in.apiURL, Token: in.token, Repo: in.repo,
		Logger: slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
}

// fetchBase downloads this edition's database from the base release, and the
// other editions' databases whose ids must be kept. A release without this
// edition (the very first run) means a build from scratch, with a warning.
func fetchBase(a *actionIO, e *env, in *actionInputs, c *release.Client, method pack.Method) (base string, reserve []string, baseFingerprint string, err error) {
	dir := filepath.Join(in.outDir, "base")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, "", err
	}
	get := func(profile string) (string, error) {
		asset := editionAsset(profile, "sqlite"+method.Ext())
		d, err := c.Download(e.ctx, in.baseRelease, asset, filepath.Join(dir, asset))
		if err != nil {
			return "", err
		}
		db := filepath.Join(dir, "tagdb-"+profile+".sqlite")
		if _, err := pack.Decompress(e.ctx, d.Path, db, pack.MethodFromName(asset)); err != nil {
			return "", fmt.Errorf("base release %s: %s: %w", d.Tag, asset, err)
		}
		verified := "not listed in a checksum file"
		if d.Verified {
			verified = "sha256 verified"
		}
		fmt.Fprintf(e.stderr, "base: %s of release %s (%s)\n", asset, d.Tag, verified)
		return db, nil
	}
	base, err = get(in.profile)
	if err != nil {
		a.gh.Warningf("base release %q has no %s database (%v); building from scratch", in.baseRelease, in.profile, err)
		return "", nil, "", nil
	}
	for _, p := range []string{"cc0", "mit", "cc4"} {
		if p == in.profile {
			continue
		}
		if db, err := get(p); err == nil {
			reserve = append(reserve, db)
		}
	}
	mf := editionAsset(in.profile, "build_manifest.json")
	if d, err := c.Download(e.ctx, in.baseRelease, mf, filepath.Join(dir, mf)); err == nil {
		baseFingerprint, _ = release.ReadFingerprint(d.Path)
	}
	return base, reserve, baseFingerprint, nil
}

func actionBuild(a *actionIO, e *env, in *actionInputs) error {
	method, err := pack.ParseMethod(in.compress)
	if err != nil {
		return fmt.Errorf("input compress: %w", err)
	}
	if err := os.MkdirAll(in.outDir, 0o755); err != nil {
		return err
	}
	var client *release.Client
	if in.mode == "release" || in.baseRelease != "" {
		if client, err = in.client(e); err != nil {
			return err
		}
	}
	base, reserve, baseFingerprint := in.baseDB, []string(nil), ""
	if in.baseRelease != "" {
		a.gh.Group("Download base release " + in.baseRelease)
		var relBase string
		relBase, reserve, baseFingerprint, err = fetchBase(a, e, in, client, method)
		a.gh.EndGroup()
		if err != nil {
			return err
		}
		switch {
		case base == "":
			base = relBase
		case relBase != "":
			// base-db wins as the base (e.g. the fresh cc0 of this run); the
			// release's own edition then only reserves its ids.
			reserve = append(reserve, relBase)
		}
	}

	f := buildFlags{sources: in.sources, profile: in.profile, out: filepath.Join(in.outDir, "tagdb-"+in.profile+".sqlite"),
		base: base, version: in.version, reportDir: in.reportDir, overrides: in.overrides, maxBad: in.maxBad, fts: in.fts}
	f.reserve = reserve
	opts, err := f.options(e)
	if err != nil {
		return err
	}
	opts.Progress = progress.New(e.stderr, progress.Actions)
	// The base is the previous state of the same data: what decides whether
	// anything changed is the sources, overrides, program and profile.
	opts.FingerprintIgnoresBase = true
	res, err := builder.Build(e.ctx, opts)
	if err != nil {
		return err
	}
	schemaHash, err := schemaHashOf(e, res.Out)
	if err != nil {
		return err
	}
	a.output("db-path", res.Out)
	a.output("sha256", res.SHA256)
	a.output("version", res.Manifest.BuildInfo.Version)
	a.output("tags-total", strconv.FormatInt(res.Stats.Tags, 10))
	a.output("schema-hash", schemaHash)

	changed := baseFingerprint == "" || !release.SameFingerprint(baseFingerprint, res.Fingerprint)
	var rel *release.Result
	var assetName string
	if in.mode == "release" {
		if !changed && in.skipUnchanged {
			fmt.Fprintf(e.stderr, "release: base release %s already has fingerprint %s for %s; nothing to publish\n", in.baseRelease, res.Fingerprint, in.profile)
		} else {
			a.gh.Group("Publish " + in.tag)
			rel, assetName, err = publishEdition(e, in, client, method, res)
			a.gh.EndGroup()
			if err != nil {
				return err
			}
			changed = rel.Changed
		}
	}
	a.output("changed", strconv.FormatBool(changed))
	if rel != nil {
		a.output("release-id", strconv.FormatInt(rel.ReleaseID, 10))
		a.output("release-url", rel.ReleaseURL)
		if pa := rel.Asset(assetName); pa != nil {
			a.output("asset-url", pa.URL)
		}
		a.output("asset-path", filepath.Join(in.outDir, "assets", assetName))
	}
	a.summary(buildSummary(in, res, rel, changed, baseFingerprint))
	return nil
}

// publishEdition packs the database, its manifest, card and reports under
// edition-prefixed names and publishes them.
func publishEdition(e *env, in *actionInputs, c *release.Client, method pack.Method, res *builder.Result) (*release.Result, string, error) {
	dir := filepath.Join(in.outDir, "assets")
	if err := os.RemoveAll(dir); err != nil {
		return nil, "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", err
	}
	var manifest string
	var extras []string
	for _, r := range res.Reports {
		dst := filepath.Join(dir, editionAsset(in.profile, filepath.Base(r)))
		if err := files.Copy(r, dst); err != nil {
			return nil, "", err
		}
		if filepath.Base(r) == "build_manifest.json" {
			manifest = dst
			continue
		}
		extras = append(extras, dst)
	}
	assetName := editionAsset(in.profile, "sqlite"+method.Ext())
	bundle, err := pack.MakeBundle(e.ctx, pack.BundleOptions{
		DB: res.Out, OutDir: dir, Method: method, AssetName: assetName, Manifest: manifest, Extras: extras,
		SumsName: editionAsset(in.profile, pack.SumsName),
	})
	if err != nil {
		return nil, "", err
	}
	fp := ""
	if in.skipUnchanged {
		fp = res.Fingerprint
	}
	body := fmt.Sprintf("Tag database %s. Each edition (cc0, mit, cc4) is a `tagdb-<edition>.sqlite%s` asset with its "+
		"`tagdb-<edition>.SHA256SUMS`, `build_manifest.json`, dataset card and reports.", in.version, method.Ext())
	rel, err := c.Publish(e.ctx, release.PublishOptions{
		ReleaseSpec:  release.ReleaseSpec{Tag: in.tag, Name: in.releaseName, Body: body, Prerelease: in.prerelease, TargetCommitish: e.getenv("GITHUB_SHA")},
		Draft:        in.draft,
		MakeLatest:   in.makeLatest,
		Overwrite:    in.overwrite,
		Fingerprint:  fp,
		ManifestName: editionAsset(in.profile, "build_manifest.json"),
		Assets:       release.AssetsOf(bundle.Files),
	})
	if err != nil {
		if rel != nil && rel.ReleaseURL != "" {
			err = fmt.Errorf("%w (release page: %s)", err, rel.ReleaseURL)
		}
		return rel, assetName, err
	}
	return rel, assetName, nil
}

// schemaHashOf hashes the schema dump of a database: equal hashes, equal
// schema, whatever the data.
func schemaHashOf(e *env, path string) (string, error) {
	db, err := sqlitedb.Open(e.ctx, path, sqlitedb.ReadOnly)
	if err != nil {
		return "", err
	}
	defer db.Close()
	snap, err := schema.Inspect(e.ctx, db)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if err := snap.WriteJSON(h); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func buildSummary(in *actionInputs, res *builder.Result, rel *release.Result, changed bool, baseFP string) string {
	var b strings.Builder
	st := res.Stats
	fmt.Fprintf(&b, "## tagdb %s — %s edition\n\n", res.Manifest.BuildInfo.Version, in.profile)
	switch {
	case rel != nil && rel.Changed:
		fmt.Fprintf(&b, "Published to [%s](%s).\n\n", rel.Tag, rel.ReleaseURL)
	case rel != nil:
		fmt.Fprintf(&b, "Release [%s](%s) already has this build: nothing uploaded (%s).\n\n", rel.Tag, rel.ReleaseURL, rel.Reason)
	case in.mode == "release" && !changed:
		fmt.Fprintf(&b, "Nothing changed since base release `%s` (fingerprint `%s`): nothing published.\n\n", in.baseRelease, textfmt.ShortHash(baseFP))
	}
	health := "✅ passed"
	if !res.Manifest.Health.OK {
		health = "❌ failed"
	}
	fmt.Fprintf(&b, "| | |\n|---|---|\n| database | `%s` (%s) |\n| sha256 | `%s` |\n| tags | %d |\n| validation | %s |\n| licences | %s |\n| fingerprint | `%s` |\n\n",
		filepath.Base(res.Out), humanBytes(res.Size), res.SHA256, st.Tags, health, strings.Join(res.Manifest.BuildInfo.Licenses, ", "), textfmt.ShortHash(res.Fingerprint))
	if len(st.Formats) > 0 {
		b.WriteString("### Tags per format\n\n| format | tags | canonical | aliases | deprecated | with count |\n|---|---:|---:|---:|---:|---:|\n")
		for _, f := range st.Formats {
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d |\n", f.Name, f.Tags, f.Canonical, f.Aliases, f.Deprecated, f.WithCount)
		}
		b.WriteString("\n```mermaid\npie showData title Tags per format\n")
		for _, f := range st.Formats {
			fmt.Fprintf(&b, "    %q : %d\n", f.Name, f.Tags)
		}
		b.WriteString("```\n\n")
	}
	b.WriteString("### Sources\n\n| source | action | licence | read | changed | skipped |\n|---|---|---|---:|---:|---:|\n")
	for _, s := range res.Manifest.Effects {
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %d | %d |\n", s.Source, s.Action, s.License, s.RowsRead, s.RowsChanged, s.RowsSkipped)
	}
	if len(res.Manifest.Health.Problems) > 0 {
		b.WriteString("\n### Validation problems\n\n")
		for _, p := range res.Manifest.Health.Problems {
			fmt.Fprintf(&b, "- %s\n", p)
		}
	}
	b.WriteString("\nAttribution for every source in the file is in the dataset card (`tagdb-" + in.profile + ".README.md`).\n")
	return b.String()
}

// actionCheck is mode check: the pull-request schema check, reported in the
// summary, as annotations, and as one PR comment updated in place.
func actionCheck(a *actionIO, e *env, in *actionInputs) error {
	o := check.Options{Migrations: in.migrationsDir, BaseDB: in.baseDB, BaseSchema: in.baseSchema, AllowDestructive: in.allowDestructive}
	var client *release.Client
	if in.repo != "" {
		c, err := in.client(e)
		if err != nil {
			return err
		}
		client = c
	}
	if o.BaseDB == "" && in.baseRelease != "" && client != nil {
		method, _ := pack.ParseMethod(in.compress)
		base, _, _, err := fetchBase(a, e, in, client, method)
		if err != nil {
			return err
		}
		o.BaseDB = base
	}
	res, err := runCheck(e, o)
	if err != nil {
		return err
	}
	for _, an := range res.Annotations {
		fields := map[string]string{"title": an.Title}
		if an.File != "" {
			fields["file"] = an.File
			if an.Line > 0 {
				fields["line"] = strconv.Itoa(an.Line)
			}
		}
		gh := a.gh.WithFieldsMap(fields)
		switch an.Level {
		case "error":
			gh.Errorf("%s", an.Message)
		case "warning":
			gh.Warningf("%s", an.Message)
		default:
			gh.Noticef("%s", an.Message)
		}
	}
	md := res.Markdown()
	a.summary(md)
	if pr := pullRequestNumber(a); pr > 0 && client != nil {
		body := checkCommentMarker + "\n" + md
		if _, err := client.UpsertComment(e.ctx, pr, checkCommentMarker, body); err != nil {
			// A fork's token cannot comment: the summary and annotations stand alone.
			a.gh.Warningf("could not comment on pull request #%d: %v", pr, err)
		}
	}
	if res.Failed {
		return errors.New("schema check failed: see the summary")
	}
	return nil
}

// checkCommentMarker finds the check's own comment among a PR's comments.
const checkCommentMarker = "<!-- tagdb-schema-check -->"

func pullRequestNumber(a *actionIO) int {
	ctx, err := a.gh.Context()
	if err != nil || ctx == nil {
		return 0
	}
	if pr, ok := ctx.Event["pull_request"].(map[string]any); ok {
		if n, ok := pr["number"].(float64); ok {
			return int(n)
		}
	}
	return 0
}
