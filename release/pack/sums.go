package pack

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tagdb/tagdb-action/internal/files"
)

// SumsName is the conventional name of the checksum asset.
// ManifestName is the asset that carries a build's fingerprint
// (builder.Manifest as JSON); a release uploads it last.
const ManifestName = "build_manifest.json"

const SumsName = "SHA256SUMS"

// WriteSums writes one `<sha256>  <name>` line per file, sorted by name: the
// text-mode format of `sha256sum`, so `sha256sum -c SHA256SUMS` checks a
// download directly. Names must be unique and single-line.
func WriteSums(w io.Writer, files []File) error {
	sorted := slices.Clone(files)
	slices.SortFunc(sorted, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	for i, f := range sorted {
		if f.Name == "" || strings.ContainsAny(f.Name, "\n\r\\") {
			return fmt.Errorf("%s: file %q: name cannot be written to a checksum file", SumsName, f.Name)
		}
		if i > 0 && sorted[i-1].Name == f.Name {
			return fmt.Errorf("%s: file name %q appears twice", SumsName, f.Name)
		}
		if !isHexSHA256(f.SHA256) {
			return fmt.Errorf("%s: file %q: checksum %q is not 64 lower-case hex digits", SumsName, f.Name, f.SHA256)
		}
		if _, err := fmt.Fprintf(w, "%s  %s\n", f.SHA256, f.Name); err != nil {
			return err
		}
	}
	return nil
}

// WriteSumsFile writes WriteSums output to path (atomically) and returns the
// checksum file itself as a File to publish alongside the others.
func WriteSumsFile(path string, list []File) (File, error) {
	out, err := files.Create(path, 0o600)
	if err != nil {
		return File{}, fmt.Errorf("write %s: %w", path, err)
	}
	defer out.Abort()
	bw := bufio.NewWriter(out)
	if err := WriteSums(bw, list); err != nil {
		return File{}, fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return File{}, fmt.Errorf("write %s: %w", path, err)
	}
	if err := out.Commit(); err != nil {
		return File{}, fmt.Errorf("write %s: %w", path, err)
	}
	// The checksum file is a few lines long; no cancellation needed.
	return HashFile(context.Background(), path)
}

// ParseSums reads a sha256sum-format file into name → hex checksum. source
// names the input in errors ("SHA256SUMS of release v1"). Both the text
// (`hash  name`) and binary (`hash *name`) forms are accepted; blank lines are
// skipped.
func ParseSums(r io.Reader, source string) (map[string]string, error) {
	sums := map[string]string{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if len(text) < 66 || text[64] != ' ' || (text[65] != ' ' && text[65] != '*') {
			return nil, fmt.Errorf("%s line %d: want \"<sha256>  <name>\", got %q", source, line, text)
		}
		sum, name := strings.ToLower(text[:64]), text[66:]
		if !isHexSHA256(sum) {
			return nil, fmt.Errorf("%s line %d: %q is not a sha256 checksum", source, line, text[:64])
		}
		if name == "" {
			return nil, fmt.Errorf("%s line %d: no file name", source, line)
		}
		if prev, ok := sums[name]; ok && prev != sum {
			return nil, fmt.Errorf("%s line %d: %q listed twice with different checksums", source, line, name)
		}
		sums[name] = sum
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return sums, nil
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}
