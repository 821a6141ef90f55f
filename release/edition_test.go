package release_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/progress"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/edition"
	"github.com/tagdb/tagdb-action/release/fakegithub"
	"github.com/tagdb/tagdb-action/release/pack"
)

// sqliteFile writes a real SQLite database whose rows say label, padded with
// random text so that its compressed form spans several small parts.
func sqliteFile(t *testing.T, label string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tags.sqlite")
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// One statement: a commit per row would fsync 200 times.
	if _, err := db.Exec(`CREATE TABLE t (label TEXT, pad TEXT);
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
		INSERT INTO t SELECT ?, hex(randomblob(32)) FROM n`, label); err != nil {
		t.Fatal(err)
	}
	return path
}

// publishEdition publishes db as the edition's asset of release tag,
// compressed with m, with the edition's own checksum file; partSize > 0
// splits the database into parts of that many bytes. It returns the
// database asset as packed.
func publishEdition(t *testing.T, h *harness, tag, ed, db string, m pack.Method, partSize int64) pack.File {
	t.Helper()
	b, err := pack.MakeBundle(context.Background(), pack.BundleOptions{
		DB: db, OutDir: t.TempDir(), Method: m,
		AssetName: edition.Edition(ed).Database(m),
		SumsName:  edition.Edition(ed).Sums(),
	})
	if err != nil {
		t.Fatal(err)
	}
	o := release.PublishOptions{ReleaseSpec: release.ReleaseSpec{Tag: tag}, MakeLatest: "true", Overwrite: true, Assets: release.AssetsOf(b.Files)}
	if partSize > 0 {
		o.Split, o.MaxAssetSize, o.PartSize, o.SplitDir = true, partSize+1, partSize, t.TempDir()
	}
	if _, err := h.client.Publish(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	return b.DB
}

func TestDownloadEdition(t *testing.T) {
	h := newHarness(t)
	dbs := map[string]string{}
	for _, label := range []string{"v1-cc0", "v1-cc4", "v2-cc0", "v2-cc4"} {
		dbs[label] = sqliteFile(t, label)
	}
	packed := map[string]pack.File{
		"v1-cc0": publishEdition(t, h, "v1", "cc0", dbs["v1-cc0"], pack.Gzip, 0),
		"v1-cc4": publishEdition(t, h, "v1", "cc4", dbs["v1-cc4"], pack.None, 0),
		"v2-cc0": publishEdition(t, h, "v2", "cc0", dbs["v2-cc0"], pack.Zstd, 0),
		"v2-cc4": publishEdition(t, h, "v2", "cc4", dbs["v2-cc4"], pack.Zstd, 1000),
	}
	tests := []struct {
		tag, edition string
		want         string // key of dbs
		wantTag      string
		method       pack.Method
		parts        bool
	}{
		{"latest", "cc0", "v2-cc0", "v2", pack.Zstd, false},
		{"latest", "cc4", "v2-cc4", "v2", pack.Zstd, true},
		{"v1", "cc0", "v1-cc0", "v1", pack.Gzip, false},
		{"v1", "cc4", "v1-cc4", "v1", pack.None, false},
	}
	for _, tt := range tests {
		t.Run(tt.tag+"/"+tt.edition, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "tags.sqlite")
			var log bytes.Buffer
			got, err := h.client.DownloadEdition(context.Background(), tt.tag, tt.edition, dest, release.EditionOptions{Progress: progress.New(&log, progress.Lines)})
			if err != nil {
				t.Fatal(err)
			}
			want := packed[tt.want]
			if got.Tag != tt.wantTag || got.Edition != tt.edition || got.Method != tt.method || !got.Verified || got.Asset != want.Name ||
				got.SHA256 != want.SHA256 || got.Size != want.Size || got.Path != dest {
				t.Errorf("got %+v, want %s %s (%s) with %+v", got, tt.wantTag, tt.edition, tt.method, want)
			}
			if (len(got.Parts) > 1) != tt.parts {
				t.Errorf("parts %v, want split=%v", got.Parts, tt.parts)
			}
			if fileSHA(t, dest) != fileSHA(t, dbs[tt.want]) || got.DBSHA256 != fileSHA(t, dest) {
				t.Errorf("database on disk (%s) or reported (%s) differs from the published %s", fileSHA(t, dest), got.DBSHA256, tt.want)
			}
			if st, _ := os.Stat(dest); st == nil || st.Size() != got.DBSize {
				t.Errorf("reported size %d, file %v", got.DBSize, st)
			}
			if !strings.Contains(log.String(), "download "+want.Name+": ") || !strings.Contains(log.String(), "bytes in") {
				t.Errorf("no progress for %s:\n%s", want.Name, log.String())
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".*")); len(left) != 0 {
				t.Errorf("staging files left: %v", left)
			}
		})
	}
}

// zstdOf compresses b as a release would.
func zstdOf(t *testing.T, b []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "in"), filepath.Join(dir, "out.zst")
	write(t, src, string(b))
	if _, err := pack.Compress(context.Background(), src, dst, pack.Zstd); err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sumsLine(t *testing.T, content []byte, name string) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	write(t, p, string(content))
	return []byte(fileSHA(t, p) + "  " + name + "\n")
}

func TestDownloadEditionRefuses(t *testing.T) {
	real, err := os.ReadFile(sqliteFile(t, "cc4"))
	if err != nil {
		t.Fatal(err)
	}
	good := zstdOf(t, real)
	notSQLite := zstdOf(t, bytes.Repeat([]byte("this is not a database\n"), 300))
	const name = "tagdb-cc4.sqlite.zst"
	tests := []struct {
		name       string
		assets     []fakegithub.AssetState
		edition    string
		unverified bool // EditionOptions.AllowUnverified
		wantErr    string
		wantIs     error
	}{
		{"checksum mismatch", []fakegithub.AssetState{{Name: name, Content: good}, {Name: "tagdb-cc4.SHA256SUMS", Content: sumsLine(t, []byte("other"), name)}},
			"cc4", false, "does not match tagdb-cc4.SHA256SUMS", nil},
		{"missing edition", []fakegithub.AssetState{{Name: "tagdb-cc0.sqlite.zst", Content: good}, {Name: "tagdb-mit.sqlite.gz.part001", Content: good}, {Name: "README.md"}},
			"cc4", false, "release v1 has no cc4 edition (it has: cc0, mit)", nil},
		{"no edition at all", []fakegithub.AssetState{{Name: "tags.sqlite.zst", Content: good}},
			"cc4", false, "release v1 has no cc4 edition, and no tagdb-<edition>.sqlite database at all", nil},
		{"not a database", []fakegithub.AssetState{{Name: name, Content: notSQLite}, {Name: "SHA256SUMS", Content: sumsLine(t, notSQLite, name)}},
			"cc4", false, name + " of release v1: not a usable SQLite database", nil},
		{"corrupt stream", []fakegithub.AssetState{{Name: name, Content: good[:len(good)/2]}, {Name: "SHA256SUMS", Content: sumsLine(t, good[:len(good)/2], name)}},
			"cc4", false, name + " of release v1: decompress", nil},
		{"unverified", []fakegithub.AssetState{{Name: name, Content: good}},
			"cc4", false, "no checksum file of the release lists it", release.ErrUnverified},
		{"bad edition name", nil, "../cc4", false, `edition "../cc4"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if _, err := h.fake.AddRelease(testRepo, fakegithub.ReleaseState{Tag: "v1", Assets: tt.assets}); err != nil {
				t.Fatal(err)
			}
			dest := filepath.Join(t.TempDir(), "tags.sqlite")
			write(t, dest, "the previous download")
			_, err := h.client.DownloadEdition(context.Background(), "v1", tt.edition, dest, release.EditionOptions{AllowUnverified: tt.unverified})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("err = %v, want errors.Is %v", err, tt.wantIs)
			}
			if b, _ := os.ReadFile(dest); string(b) != "the previous download" {
				t.Errorf("a refused download changed the destination: %q", b)
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".*")); len(left) != 0 {
				t.Errorf("staging files left: %v", left)
			}
		})
	}
}

func TestDownloadEditionAllowUnverified(t *testing.T) {
	h := newHarness(t)
	db := sqliteFile(t, "cc0")
	real, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.AddRelease(testRepo, fakegithub.ReleaseState{Tag: "v1", Assets: []fakegithub.AssetState{{Name: "tagdb-cc0.sqlite", Content: real}}}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "tags.sqlite")
	got, err := h.client.DownloadEdition(context.Background(), "v1", "cc0", dest, release.EditionOptions{AllowUnverified: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Verified || got.Method != pack.None || got.DBSHA256 != fileSHA(t, db) || fileSHA(t, dest) != fileSHA(t, db) {
		t.Errorf("got %+v, want the unverified uncompressed database", got)
	}
}
