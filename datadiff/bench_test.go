package datadiff

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCompare compares the two files named by TAGDB_DIFF_OLD and
// TAGDB_DIFF_NEW (for example a scale-1.0 build from `tagdb gen` and a copy
// edited with SQL); without them it compares the two small test builds.
func BenchmarkCompare(b *testing.B) {
	oldPath, newPath := os.Getenv("TAGDB_DIFF_OLD"), os.Getenv("TAGDB_DIFF_NEW")
	if oldPath == "" || newPath == "" {
		dir := b.TempDir()
		oldPath, newPath = filepath.Join(dir, "old.sqlite"), filepath.Join(dir, "new.sqlite")
		buildPair(b, oldPath, newPath)
	}
	var rows int64
	for b.Loop() {
		rep, err := Compare(context.Background(), oldPath, newPath, Options{GCPercent: 400}) // as tagdb diff runs it
		if err != nil {
			b.Fatal(err)
		}
		rows = rep.Old.Tags + rep.New.Tags
	}
	b.ReportMetric(float64(rows), "tags")
}
