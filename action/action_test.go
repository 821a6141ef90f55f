package action

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/builder"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations/check/checktest"
	"github.com/tagdb/tagdb-action/migrations/validate"
	"github.com/tagdb/tagdb-action/release/edition"
	"github.com/tagdb/tagdb-action/release/fakegithub"
	"github.com/tagdb/tagdb-action/release/notes"
	"github.com/tagdb/tagdb-action/release/pipeline"
)

func TestReadInputs(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tt := range []struct {
		name    string
		env     map[string]string
		check   func(*Inputs) bool
		wantErr string
	}{
		{"defaults", map[string]string{"RUNNER_TEMP": "/rt"}, func(in *Inputs) bool {
			return in.Mode == "release" && in.Profile == "cc4" && in.Method == "zstd" && in.MaxBadPercent == 5 &&
				in.Overwrite && in.SkipUnchanged && !in.Split && !in.Draft && in.MigrationsDir == "migrations" &&
				in.Version == "2026.01.02" && in.Tag == "v2026.01.02" && in.ReleaseName == "v2026.01.02" &&
				in.OutDir == "/rt/tagdb-cc4" && in.ReportDir == "/rt/tagdb-cc4/report"
		}, ""},
		{"fallbacks and run number", map[string]string{"GITHUB_REPOSITORY": "o/r", "GITHUB_TOKEN": "t", "GITHUB_API_URL": "http://x", "GITHUB_RUN_NUMBER": "7"}, func(in *Inputs) bool {
			return in.Repo == "o/r" && in.Token == "t" && in.APIURL == "http://x" && in.Version == "2026.01.02.7"
		}, ""},
		{"pushed tag", map[string]string{"GITHUB_REF_TYPE": "tag", "GITHUB_REF_NAME": "v9"}, func(in *Inputs) bool { return in.Tag == "v9" }, ""},
		{"inputs win", map[string]string{"INPUT_REPOSITORY": "a/b", "GITHUB_REPOSITORY": "o/r", "INPUT_SPLIT": "TRUE", "INPUT_MAX_BAD_ROWS": "10", "INPUT_COMPRESS": " none "}, func(in *Inputs) bool {
			return in.Repo == "a/b" && in.Split && in.MaxBadRows == 10 && in.Method == "none"
		}, ""},
		{"bad bool", map[string]string{"INPUT_SPLIT": "maybe"}, nil, `input split: "maybe" is not true or false`},
		{"bad mode", map[string]string{"INPUT_MODE": "deploy"}, nil, `input mode: "deploy"`},
		{"bad make-latest", map[string]string{"INPUT_MAKE_LATEST": "yes"}, nil, "input make-latest"},
		{"bad compress", map[string]string{"INPUT_COMPRESS": "xz"}, nil, "input compress"},
		{"bad max-bad-rows", map[string]string{"INPUT_MAX_BAD_ROWS": "lots"}, nil, "input max-bad-rows"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, err := ReadInputs(func(k string) string { return tt.env[k] }, now)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(in) {
				t.Errorf("inputs %+v, %v", in, err)
			}
		})
	}
}

// Every input of the table is read from its INPUT_* variable.
func TestReadInputsReadsEveryInput(t *testing.T) {
	var asked []string
	if _, err := ReadInputs(func(k string) string { asked = append(asked, k); return "" }, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, i := range Table() {
		if !slices.Contains(asked, i.Env()) {
			t.Errorf("input %s: %s is never read", i.Name, i.Env())
		}
	}
}

// Mode build builds and reports, and talks to no GitHub.
func TestBuildMode(t *testing.T) {
	w := newWorld(t)
	rec := &recorder{outputs: map[string]string{}}
	if err := w.runner(rec, 0).Build(context.Background(), w.inputs(map[string]string{"INPUT_MODE": "build"})); err != nil {
		t.Fatal(err)
	}
	o := rec.outputs
	if o["changed"] != "true" || o["tags-total"] == "" || len(o["sha256"]) != 64 || len(o["schema-hash"]) != 64 || !strings.HasSuffix(o["db-path"], "tagdb-cc4.sqlite") {
		t.Errorf("outputs %v", o)
	}
	if _, ok := o["release-url"]; ok {
		t.Errorf("mode build set release outputs: %v", o)
	}
	for _, want := range []string{"## tagdb v1 — cc4 edition", "| format | tags |", "| total |", "| source | action |", "| tags-v4-sample | imported | CC0-1.0 |", "`tagdb-cc4.README.md`"} {
		if !strings.Contains(rec.summary.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, rec.summary.String())
		}
	}
	if n := len(w.fake.Requests()); n != 0 {
		t.Errorf("mode build made %d API requests", n)
	}
}

// Mode release publishes the edition under its asset names; a second run on
// that release as its base finds the same fingerprint and uploads nothing.
func TestReleaseMode(t *testing.T) {
	w := newWorld(t)
	rec := &recorder{outputs: map[string]string{}}
	if err := w.runner(rec, 0).Build(context.Background(), w.inputs(nil)); err != nil {
		t.Fatal(err)
	}
	rel := w.release()
	want := []string{"tagdb-cc4.sqlite.zst", "tagdb-cc4.SHA256SUMS", "tagdb-cc4.build_manifest.json", "tagdb-cc4.README.md", "tagdb-cc4.source_effects.tsv", "tagdb-cc4.skipped_rows.tsv"}
	for _, name := range want {
		if !slices.Contains(assetNames(rel), name) {
			t.Errorf("release lacks %s: %v", name, assetNames(rel))
		}
	}
	o := rec.outputs
	if rel.Draft || o["changed"] != "true" || !strings.HasSuffix(o["asset-url"], "/v-test/tagdb-cc4.sqlite.zst") || o["release-url"] == "" {
		t.Errorf("release draft=%v, outputs %v", rel.Draft, o)
	}
	if !strings.Contains(rel.Body, "`tagdb-<edition>.sqlite.zst`") || !strings.Contains(rel.Body, "cc0, cc4, mit") {
		t.Errorf("release body: %s", rel.Body)
	}

	if !slices.Contains(assetNames(rel), "tagdb.idmap.tsv.zst") || !strings.Contains(rel.Body, notes.BeginMarker("cc4")) ||
		!strings.Contains(rel.Body, "First release of this edition") || !strings.Contains(rel.Body, "tagdb download --repo tagdb/tags --tag v-test --edition cc4") {
		t.Errorf("release lacks the id map or the cc4 section: %v\n%s", assetNames(rel), rel.Body)
	}

	// The rerun with the same inputs decides from the published manifest
	// alone: no database or id map is downloaded, nothing is built, and the
	// outputs are the published build's.
	first := o
	uploads, since := w.fake.State().Counts.UploadAttempts, len(w.fake.Requests())
	rec = &recorder{outputs: map[string]string{}}
	in := w.inputs(map[string]string{"INPUT_BASE_RELEASE": "v-test", "INPUT_TAG": "v-next", "RUNNER_TEMP": t.TempDir()})
	if err := w.runner(rec, 0).Build(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if got := w.downloads(since); !slices.Equal(got, []string{"tagdb-cc4.SHA256SUMS", "tagdb-cc4.build_manifest.json"}) {
		t.Errorf("unchanged rerun downloaded %v, want the manifest and its checksum file only", got)
	}
	if _, err := os.Stat(filepath.Join(in.OutDir, "tagdb-cc4.sqlite")); !os.IsNotExist(err) {
		t.Errorf("unchanged rerun built a database (%v)", err)
	}
	o = rec.outputs
	if o["changed"] != "false" || w.fake.State().Counts.UploadAttempts != uploads || !strings.Contains(rec.summary.String(), "Nothing changed since base release `v-test`") {
		t.Errorf("second run: outputs %v\n%s", o, rec.summary.String())
	}
	for _, k := range []string{"release-id", "release-url", "asset-url", "sha256", "tags-total", "schema-hash", "version"} {
		if o[k] == "" || o[k] != first[k] {
			t.Errorf("unchanged rerun: output %s = %q, the published build has %q", k, o[k], first[k])
		}
	}

	// skip-unchanged off builds and publishes all the same.
	rec = &recorder{outputs: map[string]string{}}
	if err := w.runner(rec, 0).Build(context.Background(), w.inputs(map[string]string{"INPUT_SKIP_UNCHANGED": "false"})); err != nil {
		t.Fatal(err)
	}
	if rec.outputs["changed"] != "true" || w.fake.State().Counts.UploadAttempts == uploads {
		t.Errorf("skip-unchanged false: outputs %v", rec.outputs)
	}
}

// sampleCopy copies the bundled sample to a temporary folder, so a test
// can change a source.
func sampleCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Dir(sampleManifest))); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "sources.yml")
}

// A week with one changed source downloads this edition's database and the
// id map, not the other editions' databases, and publishes with a diff. A
// base release made before id maps falls back to the other editions'
// databases.
func TestReleaseModeChangedDownloadsOneDatabase(t *testing.T) {
	for _, tt := range []struct {
		name      string
		dropIDMap bool
		want      []string
	}{
		{"id map", false, []string{"tagdb-cc4.sqlite.zst", "tagdb.idmap.tsv.zst"}},
		{"release before id maps", true, []string{"tagdb-cc0.sqlite.zst", "tagdb-cc4.sqlite.zst", "tagdb-mit.sqlite.zst"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			manifest := sampleCopy(t)
			ctx := context.Background()
			for _, ed := range []string{"cc0", "mit", "cc4"} {
				rec := &recorder{outputs: map[string]string{}}
				in := w.inputs(map[string]string{"INPUT_SOURCES": manifest, "INPUT_PROFILE": ed, "INPUT_TAG": "v-1"})
				if err := w.runner(rec, 0).Build(ctx, in); err != nil {
					t.Fatal(err)
				}
			}
			body := w.releaseWithTag("v-1").Body
			for _, ed := range []string{"cc0", "mit", "cc4"} {
				if !strings.Contains(body, notes.BeginMarker(ed)) {
					t.Errorf("release v-1 lacks the %s section:\n%s", ed, body)
				}
			}
			if tt.dropIDMap {
				w.deleteAsset("v-1", edition.IDMap)
			}

			csv := filepath.Join(filepath.Dir(manifest), "tabular", "derpibooru.csv") // CC-BY-4.0: in cc4
			f, err := os.OpenFile(csv, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("brand_new_tag,0,77,,2020-01-02T03:04:05Z\n")
			f.Close()

			since := len(w.fake.Requests())
			rec := &recorder{outputs: map[string]string{}}
			in := w.inputs(map[string]string{"INPUT_SOURCES": manifest, "INPUT_PROFILE": "cc4", "INPUT_TAG": "v-2", "INPUT_BASE_RELEASE": "v-1"})
			if err := w.runner(rec, 0).Build(ctx, in); err != nil {
				t.Fatal(err)
			}
			var large []string
			for _, name := range w.downloads(since) {
				if !strings.HasSuffix(name, ".SHA256SUMS") && !strings.HasSuffix(name, ".json") {
					large = append(large, name)
				}
			}
			if !slices.Equal(large, tt.want) {
				t.Errorf("changed run downloaded %v, want %v", large, tt.want)
			}
			rel := w.releaseWithTag("v-2")
			if rec.outputs["changed"] != "true" || !slices.Contains(assetNames(rel), "tagdb-cc4.diff.json") || !slices.Contains(assetNames(rel), "tagdb.idmap.tsv.zst") {
				t.Errorf("outputs %v, assets %v", rec.outputs, assetNames(rel))
			}
			for _, want := range []string{"Changes since `v-1`", "brand new tag"} {
				if !strings.Contains(rel.Body, want) || !strings.Contains(rec.summary.String(), want) {
					t.Errorf("release body or summary lacks %q:\n%s\n---\n%s", want, rel.Body, rec.summary.String())
				}
			}
			if !strings.Contains(rec.summary.String(), "Downloaded from base release `v-1`: ") {
				t.Errorf("summary does not say what was downloaded:\n%s", rec.summary.String())
			}
		})
	}
}

// The release mode validates fully before it publishes: a database the
// build's quick check passes (an index whose entries no longer match its
// definition) is refused, and nothing is uploaded.
func TestReleaseModeRefusesWhatOnlyTheFullValidationFinds(t *testing.T) {
	w := newWorld(t)
	rec := &recorder{outputs: map[string]string{}}
	in := w.inputs(map[string]string{"INPUT_MODE": "build"})
	r := w.runner(rec, 0)
	j := &job{r: r, in: in, ed: "cc4", editions: []edition.Edition{"cc4"}, base: &Base{}}
	var err error
	if j.manifest, err = builder.LoadManifest(in.Sources); err != nil {
		t.Fatal(err)
	}
	if err := j.build(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The damage, made where SQLite's own statements would refuse it; then
	// the build's own check (quick) on the same connection.
	ctx := context.Background()
	db, err := sqlitedb.Open(ctx, j.res.Out, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	for _, q := range []string{`PRAGMA writable_schema = ON`, `UPDATE sqlite_schema SET sql = 'CREATE INDEX ix_tags_source_tag_nocase ON TAGS (tag)' WHERE name = 'ix_tags_source_tag_nocase'`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	quick, err := validate.Run(ctx, db, validate.Options{Quick: true, RequireDeleteJournal: true})
	db.Close()
	if err != nil || !quick.OK() {
		t.Fatalf("the damage should pass the build's quick check: %+v %v", quick, err)
	}

	in.Mode = "release"
	if j.client, err = r.Client(in); err != nil {
		t.Fatal(err)
	}
	err = j.publish(ctx, nil)
	var se *pipeline.StepError
	var invalid *pipeline.InvalidError
	if !errors.As(err, &se) || se.Step != "validate" || !errors.As(err, &invalid) {
		t.Fatalf("error %v, want the validate step's InvalidError", err)
	}
	if n := w.fake.State().Counts.UploadAttempts; n != 0 {
		t.Errorf("%d uploads of an invalid database", n)
	}
}

// A database over the asset limit fails without the split input, saying
// how to publish it, and is published in parts with it.
func TestReleaseModeSplit(t *testing.T) {
	for _, split := range []bool{false, true} {
		t.Run(fmt.Sprint("split=", split), func(t *testing.T) {
			w := newWorld(t)
			rec := &recorder{outputs: map[string]string{}}
			in := w.inputs(map[string]string{"INPUT_COMPRESS": "none", "INPUT_SPLIT": fmt.Sprint(split)})
			err := w.runner(rec, 32<<10).Build(context.Background(), in)
			if !split {
				if err == nil || !strings.Contains(err.Error(), "split input") {
					t.Fatalf("error %v, want one that names the split input", err)
				}
				if n := w.fake.State().Counts.UploadAttempts; n != 0 {
					t.Errorf("%d uploads", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, name := range assetNames(w.release()) {
				if strings.HasPrefix(name, "tagdb-cc4.sqlite.part") {
					parts = append(parts, name)
				}
			}
			if len(parts) < 2 || slices.Contains(assetNames(w.release()), "tagdb-cc4.sqlite") {
				t.Errorf("assets %v, want the database in parts only", assetNames(w.release()))
			}
			if !strings.Contains(rec.summary.String(), "cat tagdb-cc4.sqlite.part* > tagdb-cc4.sqlite") {
				t.Errorf("summary does not say how to join the parts:\n%s", rec.summary.String())
			}
		})
	}
}

// The editions' jobs publish into one release at the same time: each ends
// with its own section of the body, and the release has one id map.
func TestParallelEditionsShareOneRelease(t *testing.T) {
	w := newWorld(t)
	manifest := sampleCopy(t)
	eds := []string{"cc0", "cc4"}
	ins := map[string]*Inputs{}
	for _, ed := range eds {
		ins[ed] = w.inputs(map[string]string{"INPUT_SOURCES": manifest, "INPUT_PROFILE": ed, "INPUT_TAG": "v-par"})
	}
	errs := make(chan error, len(eds))
	for _, ed := range eds {
		r := w.runner(&recorder{outputs: map[string]string{}}, 0)
		// Longer than the other job's gap between reading and writing the
		// body (notes.UpdateOptions.Settle).
		r.Notes.Settle = 200 * time.Millisecond
		go func() { errs <- r.Build(context.Background(), ins[ed]) }()
	}
	for range eds {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	rel := w.releaseWithTag("v-par")
	for _, ed := range eds {
		if !strings.Contains(rel.Body, notes.BeginMarker(ed)) {
			t.Errorf("body lacks the %s section:\n%s", ed, rel.Body)
		}
	}
	n := 0
	for _, name := range assetNames(rel) {
		if name == edition.IDMap {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d id maps on the release: %v", n, assetNames(rel))
	}
}

// A base release that does not exist yet (the very first run) means a build
// from scratch, with a warning; one that cannot be looked up fails the run
// before anything is built, rather than renumbering every tag.
func TestBaseReleaseMissingOrUnreachable(t *testing.T) {
	w := newWorld(t)
	rec := &recorder{outputs: map[string]string{}}
	if err := w.runner(rec, 0).Build(context.Background(), w.inputs(map[string]string{"INPUT_BASE_RELEASE": "latest"})); err != nil {
		t.Fatal(err)
	}
	if rec.outputs["changed"] != "true" || len(rec.warnings) != 1 || !strings.Contains(rec.warnings[0], "building from scratch") {
		t.Errorf("first run: outputs %v, warnings %q", rec.outputs, rec.warnings)
	}

	w.fake.AddFault(fakegithub.Fault{Route: "get-latest-release", Status: http.StatusUnauthorized, Message: "Bad credentials"})
	rec = &recorder{outputs: map[string]string{}}
	in := w.inputs(map[string]string{"INPUT_BASE_RELEASE": "latest", "RUNNER_TEMP": t.TempDir()})
	err := w.runner(rec, 0).Build(context.Background(), in)
	if err == nil || !strings.Contains(err.Error(), "base release latest") {
		t.Fatalf("error %v, want one naming the base release", err)
	}
	if _, err := os.Stat(filepath.Join(in.OutDir, "tagdb-cc4.sqlite")); !os.IsNotExist(err) {
		t.Errorf("a run that could not look up its base built a database (%v)", err)
	}
}

// Mode check reports through the IO: the summary, an annotation on the
// migration line that drops a column, and a failure.
func TestCheckMode(t *testing.T) {
	dir := checktest.Folder(t, "drop_source_tag")
	rec := &recorder{outputs: map[string]string{}}
	r := &Runner{IO: rec, Log: io.Discard, Getenv: func(string) string { return "" }, ProgramVersion: "test"}
	in := &Inputs{Mode: "check", MigrationsDir: dir, BaseDB: checktest.BaseDB(t)}
	err := r.Check(context.Background(), in)
	if err == nil || !strings.Contains(err.Error(), "schema check failed") {
		t.Fatalf("err = %v, want the check's failure", err)
	}
	if !strings.Contains(rec.summary.String(), "## tagdb schema check") {
		t.Errorf("summary:\n%s", rec.summary.String())
	}
	found := false
	for _, a := range rec.annotations {
		if strings.HasPrefix(a, "error ") && strings.Contains(a, "drop_source_tag.sql:") {
			found = true
		}
	}
	if !found {
		t.Errorf("no error annotation on the migration: %q", rec.annotations)
	}
	in.AllowDestructive = true
	rec.summary.Reset()
	if err := r.Check(context.Background(), in); err != nil {
		t.Errorf("with allow-destructive: %v", err)
	}
}

func TestPullRequestNumber(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tt := range []struct {
		name, path string
		want       int
	}{
		{"pull request", write("pr.json", `{"pull_request":{"number":42}}`), 42},
		{"push", write("push.json", `{"ref":"refs/heads/main"}`), 0},
		{"not JSON", write("bad.json", `{`), 0},
		{"no event file", filepath.Join(dir, "none.json"), 0},
		{"no variable", "", 0},
	} {
		got := pullRequestNumber(func(k string) string {
			if k == "GITHUB_EVENT_PATH" {
				return tt.path
			}
			return ""
		})
		if got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}
