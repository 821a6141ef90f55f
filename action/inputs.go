package action

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tagdb/tagdb-action/builder"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/pack"
)

// Input is one input of the action, as action.yml declares it.
type Input struct {
	Name        string // kebab-case, as workflows write it: base-release
	Default     string // action.yml's default; may be a ${{ }} expression
	Description string
	Required    bool
	// Fallback is the variable read when the input is empty and its default
	// is an expression only the runner evaluates (GITHUB_REPOSITORY for
	// ${{ github.repository }}), e.g. when tagdb runs outside the action.
	Fallback string
}

// Env is the variable action.yml passes the input in: INPUT_BASE_RELEASE.
func (i Input) Env() string { return "INPUT_" + strings.ToUpper(strings.ReplaceAll(i.Name, "-", "_")) }

// Table is every input of the action, in action.yml's order. Adding an input
// is one entry here and one field of Inputs read in ReadInputs.
func Table() []Input {
	return []Input{
		{Name: "mode", Default: "release", Description: "release (build, validate, publish), build (build and validate only) or check (pull-request schema check)"},
		{Name: "profile", Default: "cc4", Description: "Licence edition to build, a profile of the manifest (cc0, mit, cc4)"},
		{Name: "sources", Description: "Path of the sources manifest (sources.yml), relative to the workspace. Empty builds the bundled sample."},
		{Name: "overrides", Description: "site_tags alias overrides file (overrides.yml)"},
		{Name: "base-db", Description: "Build on this database file (e.g. the fresh cc0 edition of the same run)"},
		{Name: "base-release", Description: `Build on the database of this release tag, or "latest"; its checksum is verified. Also the base for mode check.`},
		{Name: "version", Description: "Version written into the database (default YYYY.MM.DD.<run number>)"},
		{Name: "tag", Description: "Release tag (default the pushed tag, else v<version>)"},
		{Name: "release-name", Description: "Release title (default the tag)"},
		{Name: "draft", Default: "false", Description: "Leave the release a draft"},
		{Name: "prerelease", Default: "false", Description: "Mark the release as a prerelease (never made latest)"},
		{Name: "make-latest", Default: "true", Description: "true, false or legacy"},
		{Name: "overwrite-assets", Default: "true", Description: "Replace assets of the same name in place"},
		{Name: "compress", Default: "zstd", Description: "zstd, gzip or none"},
		{Name: "split", Default: "false", Description: "Publish an asset over GitHub's 2 GiB limit as numbered parts (NAME.part001, ...; rebuilt with cat NAME.part* > NAME) instead of failing"},
		{Name: "skip-unchanged", Default: "true", Description: "Upload nothing when the release (or the base release) already carries this build's fingerprint"},
		{Name: "allow-destructive", Default: "false", Description: "Mode check only — report destructive or breaking schema changes as warnings instead of failing"},
		{Name: "max-bad-rows", Default: "5%", Description: "Fail when a source skips more than N rows, or N% of its rows"},
		{Name: "fts", Default: "false", Description: "Add an FTS5 trigram index for substring search (larger file)"},
		{Name: "base-schema", Description: "Mode check only — schema dump (JSON) or database to diff against when there is no base release"},
		{Name: "migrations-dir", Default: "migrations", Description: "Mode check only — the migrations folder of the pull request"},
		{Name: "report-dir", Description: "Where the reports, build_manifest.json and the dataset card are written (default under runner.temp)"},
		{Name: "repository", Default: "${{ github.repository }}", Description: "owner/name of the repository to publish to", Fallback: "GITHUB_REPOSITORY"},
		{Name: "github-token", Default: "${{ github.token }}", Description: "Token for the GitHub API (needs contents write to publish, pull-requests write to comment)", Fallback: "GITHUB_TOKEN"},
		{Name: "api-url", Default: "${{ github.api_url }}", Description: "GitHub REST API root (GitHub Enterprise, tests)", Fallback: "GITHUB_API_URL"},
	}
}

// Inputs are the action's inputs after defaults and parsing.
type Inputs struct {
	Mode, Profile, Sources, Overrides, BaseDB, BaseRelease string
	Version, Tag, ReleaseName, MakeLatest                  string
	Token, APIURL, Repo, ReportDir                         string
	BaseSchema, MigrationsDir                              string
	Method                                                 pack.Method
	MaxBadRows                                             int64
	MaxBadPercent                                          float64
	Draft, Prerelease, Overwrite, SkipUnchanged, Split     bool
	AllowDestructive, FTS                                  bool

	// OutDir holds the database, the base release's files and the assets:
	// a folder per edition under RUNNER_TEMP.
	OutDir string
}

// ReadInputs reads the inputs from their INPUT_* variables, applies the
// defaults of Table and derives the rest (version, tag, folders) from the
// workflow's environment. now dates the default version.
func ReadInputs(getenv func(string) string, now time.Time) (*Inputs, error) {
	vals := map[string]string{}
	for _, i := range Table() {
		v := strings.TrimSpace(getenv(i.Env()))
		switch {
		case v != "":
		case i.Fallback != "":
			v = getenv(i.Fallback)
		default:
			v = i.Default
		}
		vals[i.Name] = v
	}
	get := func(name string) string {
		v, ok := vals[name]
		if !ok {
			panic("action: input " + name + " is not in Table") // a programming error, caught by the tests
		}
		return v
	}
	var errs []string
	boolean := func(name string) bool {
		b, err := strconv.ParseBool(strings.ToLower(get(name)))
		if err != nil {
			errs = append(errs, fmt.Sprintf("input %s: %q is not true or false", name, get(name)))
		}
		return b
	}
	in := &Inputs{
		Mode: get("mode"), Profile: get("profile"), Sources: get("sources"), Overrides: get("overrides"),
		BaseDB: get("base-db"), BaseRelease: get("base-release"), Version: get("version"), Tag: get("tag"),
		ReleaseName: get("release-name"), MakeLatest: get("make-latest"),
		Token: get("github-token"), APIURL: get("api-url"), Repo: get("repository"), ReportDir: get("report-dir"),
		BaseSchema: get("base-schema"), MigrationsDir: get("migrations-dir"),
		Draft: boolean("draft"), Prerelease: boolean("prerelease"), Overwrite: boolean("overwrite-assets"),
		SkipUnchanged: boolean("skip-unchanged"), Split: boolean("split"),
		AllowDestructive: boolean("allow-destructive"), FTS: boolean("fts"),
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	switch in.Mode {
	case "build", "release", "check":
	default:
		return nil, fmt.Errorf("input mode: %q is not release, build or check", in.Mode)
	}
	switch in.MakeLatest {
	case "true", "false", "legacy":
	default:
		return nil, fmt.Errorf("input make-latest: %q is not true, false or legacy", in.MakeLatest)
	}
	var err error
	if in.Method, err = pack.ParseMethod(get("compress")); err != nil {
		return nil, fmt.Errorf("input compress: %w", err)
	}
	if in.MaxBadRows, in.MaxBadPercent, err = builder.ParseMaxBadRows(get("max-bad-rows")); err != nil {
		return nil, fmt.Errorf("input max-bad-rows: %w", err)
	}

	tmp := getenv("RUNNER_TEMP")
	if tmp == "" {
		tmp = os.TempDir()
	}
	in.OutDir = filepath.Join(tmp, "tagdb-"+in.Profile)
	if in.Version == "" {
		in.Version = now.UTC().Format("2006.01.02")
		if n := getenv("GITHUB_RUN_NUMBER"); n != "" {
			in.Version += "." + n
		}
	}
	if in.Tag == "" {
		in.Tag = release.PushedTag(getenv)
	}
	if in.Tag == "" {
		in.Tag = "v" + strings.TrimPrefix(in.Version, "v")
	}
	if in.ReleaseName == "" {
		in.ReleaseName = in.Tag
	}
	if in.ReportDir == "" {
		in.ReportDir = filepath.Join(in.OutDir, "report")
	}
	return in, nil
}
