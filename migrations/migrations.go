package migrations

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/tagdb/tagdb-action/migrations/internal/sqltext"
)

//go:embed *.sql
var embedded embed.FS

var fileName = regexp.MustCompile(`^(\d{4})_([a-z0-9]+(?:_[a-z0-9]+)*)\.sql$`)

// Migration is one numbered SQL file.
type Migration struct {
	Version int    // from the NNNN prefix
	Name    string // the snake_name part
	File    string // the file name, NNNN_snake_name.sql
	SHA256  string // hex SHA-256 of the file's bytes, recorded when applied
	SQL     string

	statements []sqltext.Statement
}

// List reads the migrations in the root of fsys (nil means the embedded
// files), sorted by version. It fails on a *.sql file with a malformed name, a
// duplicate or missing version (versions run 1, 2, 3, ... so that two branches
// adding the same number collide visibly), SQL that cannot be split into
// statements, and transaction statements: the runner owns the transaction.
func List(fsys fs.FS) ([]Migration, error) {
	if fsys == nil {
		fsys = embedded
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		m := fileName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migrations: %w", &Error{File: e.Name(), Err: errors.New("name must be NNNN_snake_name.sql")})
		}
		v, _ := strconv.Atoi(m[1])
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		sum := sha256.Sum256(data)
		mig := Migration{Version: v, Name: m[2], File: e.Name(), SHA256: hex.EncodeToString(sum[:]), SQL: string(data)}
		mig.statements, err = sqltext.Split(mig.SQL)
		if se := (*sqltext.SyntaxError)(nil); errors.As(err, &se) {
			return nil, fmt.Errorf("migrations: %w", &Error{File: e.Name(), Line: se.Line, Err: se.Err})
		} else if err != nil {
			return nil, fmt.Errorf("migrations: %w", &Error{File: e.Name(), Err: err})
		}
		if len(mig.statements) == 0 {
			return nil, fmt.Errorf("migrations: %w", &Error{File: e.Name(), Err: errors.New("no SQL statements")})
		}
		for _, st := range mig.statements {
			switch first := st.Tokens[0]; {
			case first.Is("BEGIN"), first.Is("COMMIT"), first.Is("END"), first.Is("ROLLBACK"),
				first.Is("SAVEPOINT"), first.Is("RELEASE"):
				return nil, fmt.Errorf("migrations: %w", &Error{File: e.Name(), Line: st.Line, Statement: st.SQL,
					Err: fmt.Errorf("%s: each migration already runs in one transaction", strings.ToUpper(first.Text))})
			}
		}
		out = append(out, mig)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if i > 0 && out[i-1].Version == m.Version {
			return nil, fmt.Errorf("migrations: %w", &Error{File: out[i-1].File,
				Err: fmt.Errorf("%s and %s have the same version %04d", out[i-1].File, m.File, m.Version)})
		}
		if m.Version != i+1 {
			prev := "the start"
			if i > 0 {
				prev = out[i-1].File
			}
			return nil, fmt.Errorf("migrations: %w", &Error{File: m.File,
				Err: fmt.Errorf("%s follows %s: versions must run 0001, 0002, ... without gaps", m.File, prev)})
		}
	}
	return out, nil
}

// LatestVersion is the highest migration version embedded in this binary.
// The embedded set is checked by the package tests, so it cannot fail to load
// in a released binary; 0 would mean it did.
func LatestVersion() int {
	p, err := NewProvider(nil)
	if err != nil {
		return 0
	}
	return p.Latest()
}
