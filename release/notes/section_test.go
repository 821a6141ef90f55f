package notes

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/golden"
	"github.com/tagdb/tagdb-action/release/pack"
)

func TestSection(t *testing.T) {
	e := Edition{
		Name: "cc4", Repo: "tagdb/tags", Tag: "v2026.12.01", Licenses: []string{"CC0-1.0", "CC-BY-4.0"}, Tags: 1234567,
		Formats: []FormatTotal{{Name: "danbooru", Tags: 1000, Canonical: 900, Aliases: 100, Deprecated: 40, Counts: 950},
			{Name: "e621", Tags: 10, Canonical: 10, Counts: 10}},
		Sources: []Source{{ID: "site-tags/danbooru.donmai.us", License: "CC-BY-4.0", URL: "https://huggingface.co/datasets/deepghs/site_tags"},
			{ID: "base"}},
		BaseTag: "v2026.11.01",
		Diff:    "**Tags** 1,234,000 → 1,234,567: 567 added, 0 removed, 0 renamed.\n",
	}
	for _, tc := range []struct {
		name   string
		golden string
		mod    func(*Edition)
		has    []string
	}{
		{"zstd with a base", "section_cc4.golden.md", nil,
			[]string{"sha256sum -c --ignore-missing tagdb-cc4.SHA256SUMS", "zstd -d tagdb-cc4.sqlite.zst -o tagdb-cc4.sqlite",
				"tagdb download --repo tagdb/tags --tag v2026.12.01 --edition cc4", "`tagdb-cc4.diff.json`", "567 added", "1,234,567 tags"}},
		{"first release, gzip, split", "", func(e *Edition) { e.BaseTag, e.Diff, e.Method, e.Split = "", "", pack.Gzip, true },
			[]string{"First release", "cat tagdb-cc4.sqlite.gz.part* > tagdb-cc4.sqlite.gz", "gzip -dk tagdb-cc4.sqlite.gz"}},
		{"uncompressed", "", func(e *Edition) { e.Method = pack.None },
			[]string{"sha256sum -c --ignore-missing tagdb-cc4.SHA256SUMS\nsqlite3 -readonly tagdb-cc4.sqlite"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ed := e
			if tc.mod != nil {
				tc.mod(&ed)
			}
			got := Section(ed)
			for _, want := range tc.has {
				if !strings.Contains(got, want) {
					t.Errorf("section lacks %q:\n%s", want, got)
				}
			}
			if tc.golden == "" {
				return
			}
			golden.Assert(t, []byte(got), filepath.Join("testdata", tc.golden))
		})
	}
}
