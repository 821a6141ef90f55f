package builder

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/sqlitetest"
)

// TestShrinkAgainstProvenance: the provenance records each source's rows,
// and the next build compares against them only where a count is recorded.
func TestShrinkAgainstProvenance(t *testing.T) {
	var full, small strings.Builder
	for i := range 10 {
		line := "tag_" + string(rune('a'+i)) + ",0,5,\n"
		full.WriteString(line)
		if i < 3 {
			small.WriteString(line)
		}
	}
	manifest := "sources:\n  - id: src\n    kind: tagcomplete_csv\n    path: in.csv\n    format: danbooru\n    license: MIT\n"
	dir := writeTree(t, map[string]string{"sources.yml": manifest, "in.csv": full.String()})
	base := filepath.Join(t.TempDir(), "base.sqlite")
	build(t, dir, "mit", base, nil)
	prov := sqlitetest.QueryString(t, sqlitetest.OpenRO(t, base), `SELECT value FROM DATABASE_METADATA WHERE key = 'build.provenance'`)
	if !strings.Contains(prov, `"id":"src"`) || !strings.Contains(prov, `"rows":10`) {
		t.Fatalf("provenance %s does not record the source's 10 rows", prov)
	}
	// A base from before counts were recorded (or from the Python builder).
	uncounted := filepath.Join(t.TempDir(), "uncounted.sqlite")
	b, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(uncounted, b, 0o644); err != nil {
		t.Fatal(err)
	}
	sqlitetest.Exec(t, uncounted, `UPDATE DATABASE_METADATA SET value = replace(value, ',"rows":10', '') WHERE key = 'build.provenance'`)

	if err := os.WriteFile(filepath.Join(dir, "in.csv"), []byte(small.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	off, tenth := -1.0, 10.0
	for _, c := range []struct {
		name    string
		base    string
		mod     func(*Options)
		wantErr string
	}{
		{"70% fewer than recorded", base, nil, `source "src": 3 rows read, 10 in the base release: 70.0% fewer, more than max-shrink 50%`},
		{"limit off", base, func(o *Options) { o.MaxShrink = &off }, ""},
		{"option overrides the manifest", base, func(o *Options) { o.Manifest.MaxShrink = &off; o.MaxShrink = &tenth }, "more than max-shrink 10%"},
		{"manifest limit", base, func(o *Options) { o.Manifest.MaxShrink = &off }, ""},
		{"no recorded count", uncounted, nil, ""},
		{"no base", "", nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.sqlite")
			o := testOptions(t, dir, "mit", out, c.mod)
			o.Base = c.base
			_, err := Build(context.Background(), o)
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatalf("Build: %v", err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Fatalf("Build = %v, want an error containing %q", err, c.wantErr)
			case c.wantErr != "":
				if _, err := os.Stat(out); !os.IsNotExist(err) {
					t.Errorf("a failed build left %s", out)
				}
			}
		})
	}
}
