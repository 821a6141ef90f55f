package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"

	"github.com/tagdb/tagdb-action/migrations/schema"
)

// OpenMemory opens a private in-memory database (for reference schemas and
// throw-away checks). One connection only: each
// new connection to ":memory:" would be a different, empty database.
func OpenMemory(ctx context.Context) (*sql.DB, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("open in-memory database: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open in-memory database: %w", err)
	}
	return db, nil
}

// Expected is the schema the embedded migrations produce.
func Expected(ctx context.Context) (*schema.Snapshot, error) {
	s, _, err := Reference(ctx, nil)
	return s, err
}

// ExpectedMaster is the master data the embedded migrations seed.
func ExpectedMaster(ctx context.Context) (*MasterData, error) {
	_, m, err := Reference(ctx, nil)
	return m, err
}

// Reference applies the migrations of fsys (nil = embedded) to an empty
// in-memory database and returns its schema and master data: the single
// source of truth that validation compares files with.
func Reference(ctx context.Context, fsys fs.FS) (*schema.Snapshot, *MasterData, error) {
	db, err := OpenMemory(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	if _, err := Apply(ctx, db, Options{FS: fsys, Now: FixedTime}); err != nil {
		return nil, nil, fmt.Errorf("reference schema: %w", err)
	}
	snap, err := schema.Inspect(ctx, db)
	if err != nil {
		return nil, nil, fmt.Errorf("reference schema: %w", err)
	}
	master, err := ReadMaster(ctx, db)
	if err != nil {
		return nil, nil, fmt.Errorf("reference schema: %w", err)
	}
	return snap, master, nil
}

// MasterData is the fixed id tables every reader relies on
// (docs/reader-contract.md, "Stable ids").
type MasterData struct {
	Formats   map[int64]string   // TAG_FORMATS: format_id -> format_name
	TypeNames map[int64]string   // TAG_TYPE_NAME: type_name_id -> type_name
	Mappings  map[[2]int64]int64 // TAG_TYPE_FORMAT_MAPPING: (format_id, type_id) -> type_name_id
}

// Querier is what ReadMaster needs: *sql.DB, *sql.Conn and *sql.Tx all are.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ReadMaster reads the master-data tables of db.
func ReadMaster(ctx context.Context, db Querier) (*MasterData, error) {
	m := &MasterData{Formats: map[int64]string{}, TypeNames: map[int64]string{}, Mappings: map[[2]int64]int64{}}
	if err := readPairs(ctx, db, `SELECT format_id, format_name FROM TAG_FORMATS`, func(id int64, name string) {
		m.Formats[id] = name
	}); err != nil {
		return nil, fmt.Errorf("read TAG_FORMATS: %w", err)
	}
	if err := readPairs(ctx, db, `SELECT type_name_id, type_name FROM TAG_TYPE_NAME`, func(id int64, name string) {
		m.TypeNames[id] = name
	}); err != nil {
		return nil, fmt.Errorf("read TAG_TYPE_NAME: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT format_id, type_id, type_name_id FROM TAG_TYPE_FORMAT_MAPPING`)
	if err != nil {
		return nil, fmt.Errorf("read TAG_TYPE_FORMAT_MAPPING: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f, t, n int64
		if err := rows.Scan(&f, &t, &n); err != nil {
			return nil, fmt.Errorf("read TAG_TYPE_FORMAT_MAPPING: %w", err)
		}
		m.Mappings[[2]int64{f, t}] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read TAG_TYPE_FORMAT_MAPPING: %w", err)
	}
	return m, nil
}

func readPairs(ctx context.Context, db Querier, query string, fn func(int64, string)) error {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name sql.NullString // NULL reads as "": a name mismatch, not a crash
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		fn(id, name.String)
	}
	return rows.Err()
}
