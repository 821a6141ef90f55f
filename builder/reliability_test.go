package builder

// Failure behaviour of Build at the API level (issue 6): whatever stops a
// build, the output path keeps its old bytes and no temporary file stays
// beside it. The command-level cases (exit codes, messages, signals, a full
// disk) are in the repository root's reliability tests.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

const relGoodCSV = "1girl,0,600,\"1girls,sole_female\"\nlong_hair,0,400,longhair\ncat_ears,0,50,nekomimi\n"

// relOutDir makes a folder holding only out (with the bytes of an earlier
// release) and returns out's path.
func relOutDir(t *testing.T) (string, []byte) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "tagdb.sqlite")
	old := []byte("the previous release: any failed build must leave these bytes alone")
	if err := os.WriteFile(out, old, 0o644); err != nil {
		t.Fatal(err)
	}
	return out, old
}

// relAssertOnlyOut checks that out still holds old and is the only file in
// its folder.
func relAssertOnlyOut(t *testing.T, out string, old []byte) {
	t.Helper()
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("output after a failed build: %v", err)
	}
	if string(got) != string(old) {
		t.Errorf("a failed build replaced %s", out)
	}
	ents, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if len(names) != 1 {
		t.Errorf("files beside the output after a failed build: %q", names)
	}
}

func TestBuildFailureLeavesOutputAlone(t *testing.T) {
	manifest := func(extra string) string {
		return "sources:\n  - id: good\n    kind: tagcomplete_csv\n    path: good.csv\n    format: danbooru\n    license: MIT\n" + extra
	}
	boom := errors.New("boom")
	for _, c := range []struct {
		name     string
		manifest string
		mod      func(o *Options, cancel context.CancelFunc)
		cancel   bool // cancel before Build starts
		want     func(error) bool
		wantText string
	}{
		{name: "post-process error", manifest: manifest(""),
			mod: func(o *Options, _ context.CancelFunc) {
				o.PostProcess = func(context.Context, *sql.DB) error { return boom }
			},
			want:     func(err error) bool { return errors.Is(err, boom) },
			wantText: "boom"},
		{name: "cancelled before the start", manifest: manifest(""), cancel: true,
			want: func(err error) bool { return errors.Is(err, context.Canceled) }},
		{name: "cancelled at the end", manifest: manifest(""),
			mod: func(o *Options, cancel context.CancelFunc) {
				o.PostProcess = func(ctx context.Context, db *sql.DB) error {
					cancel()
					_, err := db.ExecContext(ctx, `SELECT 1`)
					return err
				}
			},
			want: func(err error) bool { return errors.Is(err, context.Canceled) }},
		{name: "built file fails validation", manifest: manifest(""),
			mod: func(o *Options, _ context.CancelFunc) {
				// A status row pointing at a tag that does not exist: exactly what
				// validation is there to catch before anything is published.
				o.PostProcess = func(ctx context.Context, db *sql.DB) error {
					_, err := db.ExecContext(ctx, `INSERT INTO TAG_STATUS (tag_id, format_id, type_id, alias, preferred_tag_id) VALUES (999999, 1, 0, 0, 999999)`)
					return err
				}
			},
			want:     func(err error) bool { return err != nil },
			wantText: "fails validation (not published)"},
		{name: "second source broken", manifest: manifest("  - id: bad\n    kind: json\n    path: bad.json\n    license: MIT\n"),
			want:     func(err error) bool { return err != nil },
			wantText: `source "bad": ` + "%DIR%" + `/bad.json: truncated JSON at byte offset`},
		{name: "percentage of bad rows", manifest: manifest("  - id: junk\n    kind: tagcomplete_csv\n    path: junk.csv\n    format: danbooru\n    license: MIT\n"),
			mod:      func(o *Options, _ context.CancelFunc) { o.MaxBadRows, o.MaxBadPercent = -1, 5 },
			want:     func(err error) bool { return err != nil },
			wantText: `source "junk": 100.00% of 1500 rows are bad, more than --max-bad-rows 5%; first: line 1: expected 3 or 4 fields, got 1`},
	} {
		t.Run(c.name, func(t *testing.T) {
			junk := strings.Repeat("tag;0;5\n", 1500)
			dir := writeTree(t, map[string]string{"sources.yml": c.manifest, "good.csv": relGoodCSV,
				"bad.json": `[{"source_tag": "a", "format_id": 1}, {"sour`, "junk.csv": junk})
			m, err := LoadManifest(filepath.Join(dir, "sources.yml"))
			if err != nil {
				t.Fatal(err)
			}
			out, old := relOutDir(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			o := Options{Manifest: m, Profile: "mit", Out: out, BuildTime: fixedTime, MaxBadRows: -1, ProgramVersion: "test"}
			if c.mod != nil {
				c.mod(&o, cancel)
			}
			if c.cancel {
				cancel()
			}
			res, err := Build(ctx, o)
			if err == nil || !c.want(err) {
				t.Fatalf("Build = %v, %v", res, err)
			}
			if want := strings.ReplaceAll(c.wantText, "%DIR%", dir); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
			relAssertOnlyOut(t, out, old)
		})
	}
}

func TestCheckBadRows(t *testing.T) {
	for _, c := range []struct {
		read, bad int64
		rows      int64
		pct       float64
		wantErr   string
	}{
		{read: 100, bad: 3, rows: 3, wantErr: ""},
		{read: 100, bad: 4, rows: 3, wantErr: "4 bad rows, more than --max-bad-rows 3"},
		{read: 100, bad: 1000, rows: -1, wantErr: ""},       // unlimited
		{read: 10, bad: 10, rows: -1, pct: 5, wantErr: ""},  // 20 rows: too few for a share
		{read: 950, bad: 50, rows: -1, pct: 5, wantErr: ""}, // exactly 5% of 1000
		{read: 949, bad: 51, rows: -1, pct: 5, wantErr: "5.10% of 1000 rows are bad"},
		{read: 0, bad: 1000, rows: -1, pct: 5, wantErr: "100.00% of 1000 rows are bad"}, // nothing usable at all
	} {
		t.Run(fmt.Sprintf("%d/%d rows %d pct %g", c.bad, c.read, c.rows, c.pct), func(t *testing.T) {
			u := &unit{name: "src", events: &collector{unit: "src"}}
			u.stats.rowsRead = c.read
			for i := int64(0); i < c.bad; i++ {
				u.events.Skipped(record.Skip{Pos: fmt.Sprintf("line %d", i+1), Reason: "bad"})
			}
			err := Options{MaxBadRows: c.rows, MaxBadPercent: c.pct}.checkBadRows(u)
			switch {
			case c.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Errorf("error %v, want it to contain %q", err, c.wantErr)
			case err != nil && !strings.Contains(err.Error(), `source "src"`) || err != nil && !strings.Contains(err.Error(), "first: line 1: bad"):
				t.Errorf("error %q does not name the source and its first bad rows", err)
			}
		})
	}
}

// relDeadPID returns the pid of a process that has exited and been reaped.
func relDeadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	return cmd.Process.Pid
}

func TestRemoveStaleTemps(t *testing.T) {
	if !processAlive(os.Getpid()) || processAlive(relDeadPID(t)) {
		t.Skip("processAlive cannot tell on this platform")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "tagdb.sqlite")
	live := exec.Command("sleep", "60")
	if err := live.Start(); err != nil {
		t.Skipf("cannot start sleep: %v", err)
	}
	defer func() { live.Process.Kill(); live.Wait() }()
	dead := relDeadPID(t)
	gone := []string{
		fmt.Sprintf("tagdb.sqlite.tmp-%d-0a1b2c3d", dead),
		fmt.Sprintf("tagdb.sqlite.stage-%d-0a1b2c3d", dead), // left by builds before 0.2
		fmt.Sprintf("tagdb.sqlite.counts-%d-0a1b2c3d", dead),
		fmt.Sprintf("tagdb.sqlite.tmp-%d-0a1b2c3d-journal", dead),
	}
	kept := []string{
		"tagdb.sqlite",
		fmt.Sprintf("tagdb.sqlite.tmp-%d-0a1b2c3d", live.Process.Pid), // a build still running
		fmt.Sprintf("tagdb.sqlite.tmp-%d-0a1b2c3d", os.Getpid()),
		"tagdb.sqlite.tmp-notapid-0a1b2c3d",
		fmt.Sprintf("other.sqlite.tmp-%d-0a1b2c3d", dead), // another output's
		"tagdb.sqlite.tmpfile",
	}
	for _, n := range append(append([]string{}, gone...), kept...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removeStaleTemps(out)
	ents, _ := os.ReadDir(dir)
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	sort.Strings(kept)
	if strings.Join(got, "\n") != strings.Join(kept, "\n") {
		t.Errorf("after removeStaleTemps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(kept, "\n"))
	}
}

// A site_tags tree whose files are symlinks to blobs inside the manifest
// folder (the huggingface_hub cache layout) is allowed, and its content is part
// of the fingerprint: a changed blob must not be mistaken for an unchanged
// build and skipped at release.
func TestSymlinkedSiteFilesInsideAreRead(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"sources.yml": "sources:\n  - id: site\n    kind: site_tags\n    path: site_tags\n    license: MIT\n",
	})
	blobs := filepath.Join(dir, "blobs")
	mkSite := func(path, rows string) { writeSiteDB(t, path, rows) }
	mkSite(filepath.Join(blobs, "dan"), `(1, 'linked_tag', 10, 0, 0)`)
	mkSite(filepath.Join(blobs, "e6dir", "tags.sqlite"), `(1, 'linked_folder_tag', 10, 0, 0)`)
	os.MkdirAll(filepath.Join(dir, "site_tags", "danbooru.donmai.us"), 0o755)
	if err := os.Symlink(filepath.Join("..", "..", "blobs", "dan"), filepath.Join(dir, "site_tags", "danbooru.donmai.us", "tags.sqlite")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("..", "blobs", "e6dir"), filepath.Join(dir, "site_tags", "e621.net")); err != nil {
		t.Fatal(err)
	}
	first := build(t, dir, "mit", filepath.Join(t.TempDir(), "a.sqlite"), nil)
	db := sqlitetest.OpenRO(t, first.Out)
	if n := sqlitetest.QueryInt(t, db, `SELECT count(*) FROM TAGS WHERE tag IN ('linked tag', 'linked folder tag')`); n != 2 {
		t.Fatalf("tags through symlinks: %d of 2", n)
	}
	var files []string
	for _, in := range first.Manifest.Inputs {
		for _, f := range in.Files {
			files = append(files, f.Path)
		}
	}
	want := "site_tags/danbooru.donmai.us/tags.sqlite site_tags/e621.net/tags.sqlite"
	if strings.Join(files, " ") != want {
		t.Errorf("build_manifest inputs = %q, want %q", files, want)
	}
	for _, blob := range []string{filepath.Join(blobs, "dan"), filepath.Join(blobs, "e6dir", "tags.sqlite")} {
		mkSite(blob, `(1, 'linked_tag', 10, 0, 0), (2, 'new_tag', 3, 0, 0)`)
		next := build(t, dir, "mit", filepath.Join(t.TempDir(), "b.sqlite"), nil)
		if next.Fingerprint == first.Fingerprint {
			t.Errorf("changing %s left the fingerprint unchanged", blob)
		}
		first = next
	}
}
