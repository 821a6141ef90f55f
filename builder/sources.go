package builder

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/builder/sitetags"
	"github.com/tagdb/tagdb-action/builder/tabular"
	"github.com/tagdb/tagdb-action/builder/tagsdb"
)

// unit is one stream of rows: a file of a source, or one site folder of a
// site_tags tree. Reports count per unit.
type unit struct {
	spec     SourceSpec
	name     string // "danbooru-tagcomplete", "site-tags/e621.net"
	path     string
	site     *sitetags.Site
	keysOnly bool
	stats    unitStats
	events   *collector
}

// expandUnits lists the units of a plan in manifest order. Site folders are
// discovered here so that an unknown domain fails before anything is built.
func expandUnits(m *Manifest, p *Plan) ([]*unit, error) {
	var units []*unit
	for _, s := range m.Sources {
		if !s.IsEnabled() {
			continue
		}
		keysOnly := !contains(p.Licenses, s.License)
		for _, f := range s.Files {
			name := s.ID
			if len(s.Files) > 1 {
				name = s.ID + "/" + filepath.Base(f)
			}
			if s.Kind != KindSiteTags {
				units = append(units, &unit{spec: s, name: name, path: f, keysOnly: keysOnly})
				continue
			}
			sites, err := sitetags.Discover(f)
			if err != nil {
				return nil, fmt.Errorf("%s: source %q: %w", filepath.Base(m.Path), s.ID, err)
			}
			for i := range sites {
				if err := siteInside(m.Dir, sites[i]); err != nil {
					return nil, fmt.Errorf("%s: source %q: %w", filepath.Base(m.Path), s.ID, err)
				}
				units = append(units, &unit{spec: s, name: name + "/" + sites[i].Domain, path: sites[i].Path, site: &sites[i], keysOnly: keysOnly})
			}
		}
	}
	for _, u := range units {
		u.events = &collector{unit: u.name}
	}
	return units, nil
}

// siteInside refuses a site folder, or an entry of it, that resolves outside
// the manifest folder. resolvePath checked only the site_tags root, and
// Discover follows symlinks, so a link in the tree could otherwise make a
// build read (and publish) any file the runner can see.
func siteInside(manifestDir string, site sitetags.Site) error {
	realDir, err := filepath.EvalSymlinks(manifestDir)
	if err != nil {
		return err
	}
	dir := filepath.Dir(site.Path)
	paths := []string{dir}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		paths = append(paths, filepath.Join(dir, e.Name()))
	}
	for _, p := range paths {
		real, err := filepath.EvalSymlinks(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // a dangling link is never read
		}
		if err != nil {
			return err
		}
		if rel, err := filepath.Rel(realDir, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			shown := p
			if r, err := filepath.Rel(manifestDir, p); err == nil {
				shown = filepath.ToSlash(r)
			}
			return fmt.Errorf("%s escapes the manifest folder (resolves to %s)", shown, real)
		}
	}
	return nil
}

// open starts the adapter for a unit.
func (u *unit) open(ctx context.Context, ov sitetags.Overrides) (record.Source, error) {
	const batch = 4096
	var ev record.Events = u.events
	switch u.spec.Kind {
	case KindSiteTags:
		return sitetags.Open(ctx, *u.site, sitetags.Options{Events: ev, Overrides: ov, BatchSize: batch})
	case KindTagsDB:
		return tagsdb.Open(ctx, u.path, tagsdb.Options{Events: ev, BatchSize: batch})
	default:
		format := record.NoFormat
		if u.spec.Format != "" {
			format, _ = FormatID(u.spec.Format)
		}
		return tabular.Open(ctx, tabular.Kind(u.spec.Kind), u.path, tabular.Options{
			Format: format, Language: u.spec.Language, Events: ev, BatchSize: batch,
		})
	}
}

// estimateRows guesses how many rows a unit will yield, for the ETA of the
// progress line; 0 when it cannot tell cheaply. SQLite inputs answer from
// max(rowid); text files from their size and the length of their first lines.
func (u *unit) estimateRows(ctx context.Context) int64 {
	switch {
	case u.site != nil && strings.HasSuffix(u.path, ".sqlite"):
		return sqliteRows(ctx, u.path, "tags")
	case u.spec.Kind == KindTagsDB:
		return sqliteRows(ctx, u.path, "TAG_STATUS")
	case u.spec.Kind == KindTagcompleteCSV || u.spec.Kind == KindTranslationCSV || u.spec.Kind == KindCSV:
		return textRows(u.path)
	}
	return 0
}

func sqliteRows(ctx context.Context, path, table string) int64 {
	// An estimate reads the input like its reader does: a view here could
	// hang the build before the reader ever refuses it.
	db, err := sqlitedb.OpenUntrusted(ctx, path)
	if err != nil {
		return 0
	}
	defer db.Close()
	if sqlitedb.CheckTables(ctx, db, path, table) != nil {
		return 0
	}
	var n sql.NullInt64
	db.QueryRowContext(ctx, `SELECT max(rowid) FROM `+sqlitedb.QuoteIdent(table)).Scan(&n)
	return n.Int64
}

func textRows(path string) int64 {
	f, err := files.OpenRegular(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return 0
	}
	buf := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, buf)
	lines := bytes.Count(buf[:n], []byte{'\n'})
	if lines == 0 {
		return 1
	}
	return st.Size() * int64(lines) / int64(n)
}
