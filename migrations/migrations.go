package migrations

import (
	"embed"
	"io/fs"
	"regexp"
	"strconv"
)

//go:embed *.sql
var embedded embed.FS

var fileName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// LatestVersion is the highest migration version embedded in this binary.
func LatestVersion() int {
	entries, _ := fs.ReadDir(embedded, ".")
	latest := 0
	for _, e := range entries {
		if m := fileName.FindStringSubmatch(e.Name()); m != nil {
			if v, _ := strconv.Atoi(m[1]); v > latest {
				latest = v
			}
		}
	}
	return latest
}
