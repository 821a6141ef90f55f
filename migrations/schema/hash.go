package schema

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// Hash is the sha256 of the snapshot's JSON dump: equal hashes, equal
// schema, whatever the data. The action publishes it (output schema-hash,
// build_manifest.json's schema_sha256) so that a reader can tell a schema
// change without downloading the file.
func (s *Snapshot) Hash() (string, error) {
	h := sha256.New()
	if err := s.WriteJSON(h); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// HashFile is the Hash of the schema of the database at path, opened
// read-only.
func HashFile(ctx context.Context, path string) (string, error) {
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadOnly)
	if err != nil {
		return "", err
	}
	defer db.Close()
	snap, err := Inspect(ctx, db)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return snap.Hash()
}
