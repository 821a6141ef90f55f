package sitetags

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tagdb/tagdb-action/internal/files"
)

// Site is one deepghs/site_tags folder ready to be opened.
type Site struct {
	Domain string // folder name, e.g. "danbooru.donmai.us"
	Format int    // TAG_FORMATS.format_id the domain maps to
	Path   string // the folder's tags.sqlite, or tags.parquet when there is no tags.sqlite
}

// DomainFormat returns the format_id of a site_tags domain folder name
// (docs/site-tags.md, "Layout"). Both pixiv hosts share format 18 because
// TAG_FORMATS has a single "pixiv" row. A switch rather than a package map
// keeps the table free of mutable package state.
func DomainFormat(domain string) (int, bool) {
	switch domain {
	case "danbooru.donmai.us":
		return 1, true
	case "e621.net":
		return 2, true
	case "safebooru.donmai.us":
		return 4, true
	case "booru.allthefallen.moe":
		return 5, true
	case "chan.sankakucomplex.com":
		return 6, true
	case "gelbooru.com":
		return 7, true
	case "rule34.xxx":
		return 8, true
	case "xbooru.com":
		return 9, true
	case "hypnohub.net":
		return 10, true
	case "konachan.com":
		return 11, true
	case "konachan.net":
		return 12, true
	case "lolibooru.moe":
		return 13, true
	case "anime-pictures.net":
		return 14, true
	case "wallhaven.cc":
		return 15, true
	case "yande.re":
		return 16, true
	case "zerochan.net":
		return 17, true
	case "en.pixiv.net", "pixiv.net":
		return 18, true
	}
	return 0, false
}

const (
	sqliteFile  = "tags.sqlite"
	parquetFile = "tags.parquet"
	// aliasParquetFile holds the alias pairs next to a tags.parquet.
	aliasParquetFile = "tag_aliases.parquet"
)

// Discover lists the site folders directly under root, sorted by domain.
// Plain files (the dataset's README.md, .gitattributes) and hidden folders
// (.git, .cache left by huggingface_hub downloads) are not sites and are
// ignored. Any other folder must be one of the 18 known domains and hold
// tags.sqlite or tags.parquet; otherwise Discover fails naming it, because a
// silently skipped site would drop a whole format from the build.
func Discover(root string) ([]Site, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("site_tags: %w", err)
	}
	var sites []Site
	for _, e := range entries { // os.ReadDir sorts by name
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		dir := filepath.Join(root, name)
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(dir)
			if err != nil {
				return nil, fmt.Errorf("site_tags: %w", err)
			}
			isDir = st.IsDir()
		}
		if !isDir {
			continue
		}
		format, ok := DomainFormat(name)
		if !ok {
			return nil, fmt.Errorf("site_tags: %s: unknown site folder %q (not one of the 18 deepghs/site_tags domains)", dir, name)
		}
		path, err := siteFile(dir)
		if err != nil {
			return nil, fmt.Errorf("site_tags: %s: %w", dir, err)
		}
		sites = append(sites, Site{Domain: name, Format: format, Path: path})
	}
	return sites, nil
}

// Files lists the files Open reads for the site: its tags.sqlite, or its
// tags.parquet and the tag_aliases.parquet beside it when there is one. They
// are what a build hashes for the site, and all it hashes: the rest of the
// folder (another export, a README, a 30 GB file nobody reads) cannot change
// the output, and hashing it cost minutes.
func (s Site) Files() []string {
	out := []string{s.Path}
	if filepath.Base(s.Path) == parquetFile {
		alias := filepath.Join(filepath.Dir(s.Path), aliasParquetFile)
		if _, err := os.Lstat(alias); err == nil {
			out = append(out, alias)
		}
	}
	return out
}

// siteFile picks tags.sqlite, else tags.parquet, in a site folder.
func siteFile(dir string) (string, error) {
	for _, name := range []string{sqliteFile, parquetFile} {
		p := filepath.Join(dir, name)
		_, err := os.Stat(p)
		if err == nil {
			if err := files.CheckRegular(p); err != nil {
				return "", err
			}
			return p, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("no %s or %s in the site folder", sqliteFile, parquetFile)
}
