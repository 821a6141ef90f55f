package sqlitedb

import (
	"context"
	"path/filepath"
	"testing"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

func TestOpenModes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a b?#.sqlite")
	db, err := Open(ctx, path, ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t(x)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ro, err := Open(ctx, path, ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.Exec(`INSERT INTO t VALUES (1)`); err == nil {
		t.Fatal("read-only connection accepted a write")
	}
	if _, err := Open(ctx, filepath.Join(t.TempDir(), "missing.sqlite"), ReadOnly); err == nil {
		t.Fatal("read-only open of a missing file succeeded")
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{`trans_zh-CN`: `"trans_zh-CN"`, `a"b`: `"a""b"`} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %q, want %q", in, got, want)
		}
	}
}
