package builder

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/search"
)

// A base is published again as part of the new file, so whatever it holds
// besides our schema would ship under the maintainer's name: a trigger would
// even run during the build and rewrite the rows the merge writes. The build
// therefore refuses a base whose schema holds any object the migrations (or
// the optional --fts index) do not create, and lists them all; it never drops
// them, because silently removing something from a file a maintainer published
// changes it behind their back (README, "Failure behaviour"). The check runs on
// the original, read-only, before the copy exists, so no base trigger ever
// fires.

// baseObject is one schema object of a base: its kind and name.
type baseObject struct{ typ, name string }

func (o baseObject) String() string { return fmt.Sprintf("%s %q", o.typ, o.name) }

// key is how objects are compared: SQLite names are case-insensitive.
func (o baseObject) key() baseObject { return baseObject{o.typ, strings.ToLower(o.name)} }

// knownObjects are the objects a base may hold, keyed by kind and lower-case
// name (SQLite names are case-insensitive): everything any version of the
// migrations creates, the indexes an earlier builder made that the
// migrations drop by name, and the trigram index of --fts with its shadow
// tables. It is worked out from the migrations themselves, so a new migration
// needs no change here.
func knownObjects(ctx context.Context) (map[baseObject]bool, error) {
	p, err := migrations.NewProvider(nil, migrations.WithNow(migrations.FixedTime))
	if err != nil {
		return nil, err
	}
	db, err := migrations.OpenMemory(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	known := map[baseObject]bool{}
	collect := func() error {
		objs, err := schemaObjects(ctx, db)
		for _, o := range objs {
			known[o.key()] = true
		}
		return err
	}
	// Every version, not only the latest: an older base may still hold what
	// a later migration removes.
	for _, m := range p.Migrations() {
		if _, err := p.UpTo(ctx, db, m.Version); err != nil {
			return nil, err
		}
		if err := collect(); err != nil {
			return nil, err
		}
		for _, name := range droppedIndexes(m.SQL) {
			known[baseObject{"index", strings.ToLower(name)}] = true
		}
	}
	if err := search.CreateSubstringIndex(ctx, db); err != nil {
		return nil, err
	}
	return known, collect()
}

var dropIndex = regexp.MustCompile(`(?i)\bDROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?(?:main\.)?["` + "`" + `]?([A-Za-z_][A-Za-z0-9_]*)`)

// droppedIndexes are the index names a migration drops: legacy indexes of
// the Python builder that a base may still have until the migration runs.
func droppedIndexes(sqlText string) []string {
	var names []string
	for _, m := range dropIndex.FindAllStringSubmatch(sqlText, -1) {
		names = append(names, m[1])
	}
	return names
}

// schemaObjects lists db's schema objects, leaving out SQLite's own
// (the indexes sqlite_autoindex_*, the tables sqlite_sequence and
// sqlite_stat1-4), which SQLite makes and manages itself. Only those exact
// kinds are left out: a trigger or view named sqlite_* (possible with
// writable_schema) is listed like any other.
func schemaObjects(ctx context.Context, db *sql.DB) ([]baseObject, error) {
	rows, err := db.QueryContext(ctx, `SELECT type, name FROM main.sqlite_schema
		WHERE NOT (type = 'index' AND name LIKE 'sqlite\_autoindex\_%' ESCAPE '\')
		AND NOT (type = 'table' AND (name = 'sqlite_sequence' OR name IN ('sqlite_stat1', 'sqlite_stat2', 'sqlite_stat3', 'sqlite_stat4')))
		ORDER BY type, name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var objs []baseObject
	for rows.Next() {
		var o baseObject
		if err := rows.Scan(&o.typ, &o.name); err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	return objs, rows.Err()
}

// checkBaseObjects refuses a base with any object knownObjects does not
// list, naming every one of them (as the base spells them).
func checkBaseObjects(ctx context.Context, path string, db *sql.DB) error {
	known, err := knownObjects(ctx)
	if err != nil {
		return fmt.Errorf("reference schema: %w", err)
	}
	objs, err := schemaObjects(ctx, db)
	if err != nil {
		return fmt.Errorf("base %s: read schema: %w", path, err)
	}
	var foreign []string
	for _, o := range objs {
		if !known[o.key()] {
			foreign = append(foreign, o.String())
		}
	}
	if len(foreign) > 0 {
		return fmt.Errorf("base %s: holds %d schema object(s) that tagdb does not create, which would be published and could run during the build; remove them or build without --base: %s",
			path, len(foreign), strings.Join(foreign, ", "))
	}
	return nil
}

// checkBaseJournal refuses a base whose write-ahead log holds pages: they
// may be rows the main file does not have yet (whether they are, only SQLite
// can tell by reading the log), and a byte copy of the main file would
// silently lose them. Reading the log would need SQLite to create a -shm file
// beside the base, which the build never does to an input; a checkpoint with
// TRUNCATE empties the log and the base is then accepted. It runs before
// anything opens the base. A hot rollback journal is refused too: the main
// file may then be half-written.
func checkBaseJournal(path string) error {
	for _, j := range []struct{ suffix, why string }{
		{"-wal", "is a write-ahead log that may hold changes the file lacks; checkpoint it first, e.g. sqlite3 BASE 'PRAGMA wal_checkpoint(TRUNCATE)'"},
		{"-journal", "is the rollback journal of an interrupted write, so the file may be half-written; open the base once with sqlite3 to roll it back"},
	} {
		st, err := os.Stat(path + j.suffix)
		if err == nil && st.Size() > 0 {
			return fmt.Errorf("base %s: %s%s %s", path, path, j.suffix, strings.ReplaceAll(j.why, "BASE", path))
		}
	}
	return nil
}

// leaveWALMode marks a copied database file as a rollback-journal file, as
// SQLite itself does when it leaves WAL mode with an empty log: bytes 18 and
// 19 of the header are the file format's write and read versions, 2 in WAL
// mode and 1 otherwise (https://www.sqlite.org/fileformat2.html#database_header).
// Anything that is not an SQLite header is left for the checks to refuse.
func leaveWALMode(f *os.File) error {
	var hdr [20]byte
	if n, _ := f.ReadAt(hdr[:], 0); n < len(hdr) || string(hdr[:16]) != "SQLite format 3\x00" {
		return nil
	}
	if hdr[18] == 2 && hdr[19] == 2 {
		if _, err := f.WriteAt([]byte{1, 1}, 18); err != nil {
			return fmt.Errorf("copy of the base: %w", err)
		}
	}
	return nil
}
