package pipeline_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/fakegithub"
	"github.com/tagdb/tagdb-action/release/pack"
	"github.com/tagdb/tagdb-action/release/pipeline"
)

// testDB makes a migrated database holding one tag, then applies edits.
func testDB(t *testing.T, edits ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tags.sqlite")
	stmts := append([]string{
		`INSERT INTO TAGS (tag_id, source_tag, tag) VALUES (1, 'cat_ears', 'cat ears')`,
		`INSERT INTO DATABASE_METADATA VALUES ('version', 'v1')`,
	}, edits...)
	_, err := migrations.MigrateFile(context.Background(), path, migrations.Options{})
	var db *sql.DB
	if err == nil {
		db, err = sqlitedb.Open(context.Background(), path, sqlitedb.ReadWrite)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // PRAGMA writable_schema holds for one connection
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return path
}

// staleIndex is damage only the full validation sees: the index's entries no
// longer match its definition, while quick_check only counts them.
var staleIndex = []string{
	`PRAGMA writable_schema = ON`,
	`UPDATE sqlite_schema SET sql = 'CREATE INDEX ix_tags_source_tag_nocase ON TAGS (tag)' WHERE name = 'ix_tags_source_tag_nocase'`,
}

func TestPublication(t *testing.T) {
	for _, tt := range []struct {
		name      string
		edits     []string
		split     bool
		wantStep  string // the step that fails ("" none)
		wantParts bool
	}{
		{name: "valid"},
		{name: "fails the full validation", edits: staleIndex, wantStep: "validate"},
		{name: "too big without split", wantStep: "publish"},
		{name: "too big, split", split: true, wantParts: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakegithub.New(fakegithub.Options{Token: "tok"})
			srv := httptest.NewServer(fake)
			defer srv.Close()
			client, err := release.New(release.Options{APIURL: srv.URL, Token: "tok", Repo: "o/r"})
			if err != nil {
				t.Fatal(err)
			}
			db := testDB(t, tt.edits...)
			dir := t.TempDir()
			manifest := filepath.Join(dir, "build_manifest.json")
			if err := os.WriteFile(manifest, []byte(`{"fingerprint":"f1"}`), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			o := pipeline.Options{
				DB: db, Manifest: manifest, OutDir: out, Method: pack.None, AssetName: "tagdb-x.sqlite",
				SumsName: "tagdb-x.SHA256SUMS", SkipUnchanged: true,
				Release: release.PublishOptions{ReleaseSpec: release.ReleaseSpec{Tag: "v1"}, Split: tt.split, Overwrite: true},
			}
			if tt.name != "valid" && tt.wantStep != "validate" {
				// The uncompressed database is a few pages: over a limit of 4 KiB.
				o.Release.MaxAssetSize, o.Release.PartSize = 4096, 4000
			}
			p := pipeline.New(o, client)
			err = p.Run(context.Background(), nil)
			var se *pipeline.StepError
			if tt.wantStep != "" {
				if !errors.As(err, &se) || se.Step != tt.wantStep {
					t.Fatalf("error %v, want one of step %s", err, tt.wantStep)
				}
				if n := fake.State().Counts.UploadAttempts; n != 0 {
					t.Errorf("%d uploads after a refusal", n)
				}
				var invalid *pipeline.InvalidError
				if tt.wantStep == "validate" && (!errors.As(err, &invalid) || !strings.Contains(strings.Join(invalid.Report.Problems, "\n"), "integrity_check")) {
					t.Errorf("error %v, want an InvalidError naming integrity_check", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			res := p.Result
			if !res.Changed || (len(res.Parts["tagdb-x.sqlite"]) > 1) != tt.wantParts {
				t.Errorf("result %+v, want changed and parts %v", res, tt.wantParts)
			}
			if rels := fake.State().Repos["o/r"].Releases; len(rels) != 1 || rels[0].Draft {
				t.Fatalf("releases %+v", rels)
			}

			// The same fingerprint again, from a rebuild whose bytes differ:
			// nothing uploaded, and verify still finds every file on the
			// release.
			uploads := fake.State().Counts.UploadAttempts
			if !tt.split {
				// (Split, a bigger file has more parts: not the same assets.)
				o.DB = testDB(t, `INSERT INTO DATABASE_METADATA VALUES ('note', hex(zeroblob(20000)))`)
			}
			p = pipeline.New(o, client)
			if err := p.Run(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			if p.Result.Changed || fake.State().Counts.UploadAttempts != uploads {
				t.Errorf("second run uploaded: %+v", p.Result)
			}
		})
	}
}
