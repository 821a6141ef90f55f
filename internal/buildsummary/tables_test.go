package buildsummary

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/tagdb/tagdb-action/builder"
	"github.com/tagdb/tagdb-action/internal/golden"
)

// Both renderings of both tables, against golden files: the text is what
// `tagdb build` prints, the Markdown what the action's summary shows.
func TestRender(t *testing.T) {
	st := builder.Stats{Tags: 7, UsageCounts: 5, Formats: []builder.FormatStats{
		{Name: "danbooru", Tags: 4, Canonical: 3, Aliases: 1, Deprecated: 1, WithCount: 3},
		{Name: "anime-pictures", Tags: 3, Canonical: 3, WithCount: 2},
	}}
	effects := []builder.SourceEffect{
		{Source: "tags-v4", Action: "imported", License: "CC0-1.0", RowsRead: 20, RowsChanged: 40, RowsSkipped: 7,
			ValuesDropped: 26631, Dropped: map[string]int64{"NUL byte": 5, "empty tag": 2, "translation without the language's script": 26631}},
		{Source: "site-tags/e621.net", Action: "ids_only", License: "MIT", RowsRead: 1234},
	}
	for _, tt := range []struct {
		golden string
		table  Table
	}{
		{"formats", Formats(st)},
		{"sources", Sources(effects)},
	} {
		for ext, render := range map[string]func(Table, *bytes.Buffer) error{
			".txt": func(t Table, b *bytes.Buffer) error { return t.Text(b) },
			".md":  func(t Table, b *bytes.Buffer) error { return t.Markdown(b) },
		} {
			var got bytes.Buffer
			if err := render(tt.table, &got); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.golden+ext+".golden")
			golden.Assert(t, got.Bytes(), path)
		}
	}
}
