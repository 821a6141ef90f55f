package builder

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/tagdb/tagdb-action/migrations"
)

func schemaVersion() int { return migrations.LatestVersion() }

// schemaChecksum changes whenever a migration file changes, so that a schema
// change makes every edition rebuild even with unchanged inputs.
func schemaChecksum() string {
	ms, err := migrations.List(nil)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	h := sha256.New()
	for _, m := range ms {
		h.Write([]byte(m.File + " " + m.SHA256 + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}
