package builder

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// writeSiteDB writes a danbooru-layout tags.sqlite holding rows (SQL
// values), replacing any file at path.
func writeSiteDB(t *testing.T, path, rows string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(path)
	db, err := sqlitedb.Open(context.Background(), path, sqlitedb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`CREATE TABLE tags (id INTEGER, name TEXT, post_count INTEGER, category INTEGER, is_deprecated INTEGER)`,
		`INSERT INTO tags VALUES ` + rows} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSiteHashesWhatIsRead: a site folder's unread files are neither hashed
// nor part of the fingerprint. The unread file is 30 GB (sparse, so it costs
// no disk): hashing it would take minutes, not the seconds the test allows.
func TestSiteHashesWhatIsRead(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"sources.yml": "sources:\n  - id: site\n    kind: site_tags\n    path: site_tags\n    license: MIT\n",
	})
	site := filepath.Join(dir, "site_tags", "danbooru.donmai.us")
	writeSiteDB(t, filepath.Join(site, "tags.sqlite"), `(1, 'a_tag', 10, 0, 0)`)
	unread := filepath.Join(site, "tags.parquet.bak")
	f, err := os.Create(unread)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(30 << 30); err != nil {
		f.Close()
		t.Skip("no sparse files here:", err)
	}
	f.Close()
	start := time.Now()
	first := build(t, dir, "mit", filepath.Join(t.TempDir(), "a.sqlite"), nil)
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("the build took %v: the unread file was read", d)
	}
	var files []string
	for _, in := range first.Manifest.Inputs {
		for _, f := range in.Files {
			files = append(files, f.Path)
		}
	}
	if got, want := strings.Join(files, " "), "site_tags/danbooru.donmai.us/tags.sqlite"; got != want {
		t.Errorf("build_manifest inputs = %q, want %q", got, want)
	}
	if err := os.WriteFile(unread, []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	if next := build(t, dir, "mit", filepath.Join(t.TempDir(), "b.sqlite"), nil); next.Fingerprint != first.Fingerprint {
		t.Error("changing a file the build does not read changed the fingerprint")
	}
}

// TestNonRegularInputsRefused: a FIFO, a device or a folder where the
// manifest or a site folder expects a file fails the build at once, naming
// the file, instead of blocking it.
func TestNonRegularInputsRefused(t *testing.T) {
	for _, tc := range []struct {
		name, manifest, file, want string
		make                       func(path string) error
	}{
		{"fifo csv", "kind: csv\n    path: in.csv\n    format: danbooru", "in.csv", "not a regular file (a named pipe)",
			func(p string) error { return syscall.Mkfifo(p, 0o644) }},
		{"fifo in a glob", "kind: csv\n    path: \"*.csv\"\n    format: danbooru", "in.csv", "not a regular file (a named pipe)",
			func(p string) error { return syscall.Mkfifo(p, 0o644) }},
		{"device csv", "kind: csv\n    path: in.csv\n    format: danbooru", "in.csv", "not a regular file (a character device)",
			mkCharDevice},
		{"fifo tags.sqlite", "kind: site_tags\n    path: site_tags", "site_tags/danbooru.donmai.us/tags.sqlite", "not a regular file (a named pipe)",
			func(p string) error { return syscall.Mkfifo(p, 0o644) }},
		{"device tags_db", "kind: tags_db\n    path: tags.db", "tags.db", "not a regular file (a character device)",
			mkCharDevice},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"sources.yml": "sources:\n  - id: s\n    " + tc.manifest + "\n    license: MIT\n"})
			p := filepath.Join(dir, filepath.FromSlash(tc.file))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := tc.make(p); err != nil {
				t.Skip("cannot make the input here:", err)
			}
			out := filepath.Join(t.TempDir(), "out.sqlite")
			done := make(chan error, 1)
			go func() {
				// The manifest check or the build may refuse it; either way
				// the message must name the file.
				m, err := LoadManifest(filepath.Join(dir, "sources.yml"))
				if err == nil {
					_, err = Build(context.Background(), Options{Manifest: m, Profile: "mit", Out: out, Version: "v-test",
						BuildTime: fixedTime, MaxBadRows: -1, ProgramVersion: "test"})
				}
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), filepath.Base(tc.file)) {
					t.Fatalf("build = %v, want an error naming %s containing %q", err, tc.file, tc.want)
				}
			case <-time.After(60 * time.Second):
				t.Fatal("the build blocked on the input")
			}
			entries, _ := os.ReadDir(filepath.Dir(out))
			if len(entries) != 0 {
				t.Errorf("the failed build left %d files beside --out", len(entries))
			}
		})
	}
}

// mkCharDevice makes a character device like /dev/null (1, 3) at p; a link
// to /dev/zero would be refused first for leaving the manifest folder.
func mkCharDevice(p string) error {
	return syscall.Mknod(p, syscall.S_IFCHR|0o644, 1<<8|3)
}
