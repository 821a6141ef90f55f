package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "--out is required"},
		{[]string{"--out", t.TempDir(), "--scale", "0"}, 2, "--scale 0"},
		{[]string{"--out", t.TempDir(), "--scale", "9"}, 2, "must be in (0, 4]"},
		{[]string{"--out", t.TempDir(), "--workers", "0"}, 2, "--workers 0"},
		{[]string{"--out", t.TempDir(), "extra"}, 2, `unexpected argument "extra"`},
	} {
		code, _, stderr := runTagdb(t, nil, append([]string{"gen"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("gen %q: exit %d, stderr %q; want exit %d with %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}

	dir := t.TempDir()
	code, stdout, stderr := runTagdb(t, nil, "gen", "--out", dir, "--scale", "0.0005", "--seed", "9")
	if code != 0 {
		t.Fatalf("gen: exit %d\n%s", code, stderr)
	}
	for _, p := range []string{"sources.yml", "base/tags_v4_base.sqlite", "translations/p1atdev.parquet",
		"site_tags/danbooru.donmai.us/tags.sqlite", "site_tags/zerochan.net/tags.sqlite"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("gen did not write %s: %v", p, err)
		}
	}
	if !strings.Contains(stdout, "input rows") || !strings.Contains(stdout, "site_tags/e621.net") {
		t.Errorf("summary lacks the totals or a site:\n%s", stdout)
	}
	if !strings.Contains(stderr, "gen: danbooru.donmai.us: done") || !strings.Contains(stderr, "rows/s") {
		t.Errorf("progress lacks per-site lines with rows/s:\n%s", stderr)
	}
}
