package schema

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations/internal/sqltext"
)

// Inspect reads the schema of the main database of db through PRAGMAs, by
// name. It only reads.
func Inspect(ctx context.Context, db *sql.DB) (*Snapshot, error) {
	// One connection for all queries: the pool may hold several and a
	// temporary schema is per connection.
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("inspect schema: %w", err)
	}
	defer conn.Close()
	snap, _, err := new(Inspector).Inspect(ctx, conn)
	return snap, err
}

// Inspector inspects one database again and again while migrations change
// it, and re-reads only the tables whose definition changed since its last
// look: after each of n migrations it costs one read of sqlite_schema plus
// one inspection per changed table, not an inspection of every table, so a
// run stays linear in the number of migrations. The zero value is ready.
type Inspector struct {
	known map[string]inspected // by lower-case table name
	// last is the previous result and the schema_version it was read at: a
	// migration that changes no schema (an INSERT) costs one PRAGMA.
	last    *Snapshot
	version int64
	// Tables counts the tables inspected in full, so tests can check that
	// the work stays proportional to what the migrations change.
	Tables int
}

// inspected is one table as last inspected, and the sqlite_schema text
// (the table's and its indexes') it was inspected from.
type inspected struct {
	def   string
	table Table
}

// Inspect returns the schema of conn's main database and the names of the
// tables added, changed or removed since the previous call (every table on
// the first). A table counts as changed when the SQL of its CREATE TABLE or
// of one of its indexes or triggers changed, which covers every ALTER.
func (in *Inspector) Inspect(ctx context.Context, conn *sql.Conn) (*Snapshot, []string, error) {
	var version int64
	if err := conn.QueryRowContext(ctx, `PRAGMA schema_version`).Scan(&version); err != nil {
		return nil, nil, fmt.Errorf("inspect schema: schema version: %w", err)
	}
	if in.last != nil && version == in.version {
		return in.last, nil, nil
	}
	type entry struct {
		name, kind string
		wr, strict bool
	}
	var tables []entry
	rows, err := conn.QueryContext(ctx, `SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'`)
	if err != nil {
		return nil, nil, fmt.Errorf("inspect schema: list tables: %w", err)
	}
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.name, &e.kind, &e.wr, &e.strict); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("inspect schema: list tables: %w", err)
		}
		if (e.kind == "table" || e.kind == "virtual") && !strings.HasPrefix(strings.ToLower(e.name), "sqlite_") {
			tables = append(tables, e)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("inspect schema: list tables: %w", err)
	}
	defs, err := definitions(ctx, conn)
	if err != nil {
		return nil, nil, err
	}

	known := make(map[string]inspected, len(tables))
	var changed []string
	snap := &Snapshot{Format: FormatID}
	for _, e := range tables {
		key := strings.ToLower(e.name)
		def := defs[key]
		prev, ok := in.known[key]
		if !ok || prev.def != def || prev.table.Name != e.name || prev.table.Virtual != (e.kind == "virtual") ||
			prev.table.WithoutRowid != e.wr || prev.table.Strict != e.strict {
			t := Table{Name: e.name, Virtual: e.kind == "virtual", WithoutRowid: e.wr, Strict: e.strict}
			if err := inspectTable(ctx, conn, &t); err != nil {
				return nil, nil, fmt.Errorf("inspect schema: table %s: %w", e.name, err)
			}
			in.Tables++
			t.sortLists()
			prev = inspected{def: def, table: t}
			changed = append(changed, e.name)
		}
		known[key] = prev
		t := prev.table
		if len(t.ForeignKeys) > 0 {
			// The foreign keys are resolved below: give this snapshot its own.
			t.ForeignKeys = slices.Clone(t.ForeignKeys)
			for i := range t.ForeignKeys {
				t.ForeignKeys[i].RefColumns = slices.Clone(t.ForeignKeys[i].RefColumns)
			}
		}
		snap.Tables = append(snap.Tables, t)
	}
	for key, prev := range in.known {
		if _, ok := known[key]; !ok {
			changed = append(changed, prev.table.Name)
		}
	}
	in.known = known
	// Implicit REFERENCES T (no column list) means T's primary key: resolve it
	// so that both spellings compare equal. Only the tables' order and the
	// foreign keys need sorting again: the rest was sorted when inspected.
	sort.Slice(snap.Tables, func(i, j int) bool { return lessFold(snap.Tables[i].Name, snap.Tables[j].Name) })
	for i := range snap.Tables {
		t := &snap.Tables[i]
		for j := range t.ForeignKeys {
			fk := &t.ForeignKeys[j]
			if len(fk.RefColumns) > 0 {
				continue
			}
			if p := snap.Table(fk.RefTable); p != nil {
				fk.RefColumns = append([]string(nil), p.PrimaryKey...)
			}
		}
		if len(t.ForeignKeys) > 1 {
			sort.Slice(t.ForeignKeys, func(a, b int) bool { return t.ForeignKeys[a].Key() < t.ForeignKeys[b].Key() })
		}
	}
	sort.Strings(changed)
	in.last, in.version = snap, version
	return snap, changed, nil
}

// definitions maps each table (lower-case name) to the SQL sqlite_schema
// holds for it and everything attached to it, in a stable order.
func definitions(ctx context.Context, conn *sql.Conn) (map[string]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT lower(tbl_name), type, name, ifnull(sql, '') FROM sqlite_schema ORDER BY 1, 2, 3`)
	if err != nil {
		return nil, fmt.Errorf("inspect schema: read sqlite_schema: %w", err)
	}
	defer rows.Close()
	defs := map[string]string{}
	for rows.Next() {
		var tbl, kind, name, text string
		if err := rows.Scan(&tbl, &kind, &name, &text); err != nil {
			return nil, fmt.Errorf("inspect schema: read sqlite_schema: %w", err)
		}
		defs[tbl] += kind + " " + name + "\n" + text + "\n"
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inspect schema: read sqlite_schema: %w", err)
	}
	return defs, nil
}

func inspectTable(ctx context.Context, conn *sql.Conn, t *Table) error {
	rows, err := conn.QueryContext(ctx, `SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)`, t.Name)
	if err != nil {
		return fmt.Errorf("table_xinfo: %w", err)
	}
	pk := map[int]string{}
	for rows.Next() {
		var c Column
		var dflt sql.NullString
		var hidden int
		if err := rows.Scan(&c.Name, &c.Type, &c.NotNull, &dflt, &c.PK, &hidden); err != nil {
			rows.Close()
			return fmt.Errorf("table_xinfo: %w", err)
		}
		c.Affinity = Affinity(c.Type)
		if dflt.Valid {
			d := dflt.String
			c.Default = &d
		}
		switch hidden {
		case 1:
			c.Hidden = "hidden"
		case 2:
			c.Hidden = "virtual"
		case 3:
			c.Hidden = "stored"
		}
		if c.PK > 0 {
			pk[c.PK] = c.Name
		}
		t.Columns = append(t.Columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("table_xinfo: %w", err)
	}
	for i := 1; i <= len(pk); i++ {
		t.PrimaryKey = append(t.PrimaryKey, pk[i])
	}
	if t.Virtual {
		// Virtual tables have no indexes, keys or checks of their own.
		return nil
	}

	type idx struct {
		name, origin    string
		unique, partial bool
	}
	var idxs []idx
	rows, err = conn.QueryContext(ctx, `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, t.Name)
	if err != nil {
		return fmt.Errorf("index_list: %w", err)
	}
	for rows.Next() {
		var x idx
		if err := rows.Scan(&x.name, &x.unique, &x.origin, &x.partial); err != nil {
			rows.Close()
			return fmt.Errorf("index_list: %w", err)
		}
		idxs = append(idxs, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index_list: %w", err)
	}
	for _, x := range idxs {
		cols, err := indexColumns(ctx, conn, x.name)
		if err != nil {
			return err
		}
		switch x.origin {
		case "pk":
			// The primary key is already known from table_xinfo.
		case "u":
			t.Unique = append(t.Unique, cols)
		default:
			t.Indexes = append(t.Indexes, Index{Name: x.name, Columns: cols, Unique: x.unique, Partial: x.partial})
		}
	}

	if err := foreignKeys(ctx, conn, t); err != nil {
		return err
	}

	var ddl sql.NullString
	err = conn.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE`, t.Name).Scan(&ddl)
	if err != nil {
		return fmt.Errorf("read CREATE TABLE: %w", err)
	}
	checks, err := sqltext.Checks(ddl.String)
	if err != nil {
		return fmt.Errorf("CREATE TABLE %s: %w", t.Name, err)
	}
	for _, c := range checks {
		t.Checks = append(t.Checks, Check{Name: c.Name, Expr: c.Expr})
	}
	return nil
}

// indexColumns lists an index's key columns with their sort order and
// collation when they differ from the defaults.
func indexColumns(ctx context.Context, conn *sql.Conn, index string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT cid, name, "desc", coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`, index)
	if err != nil {
		return nil, fmt.Errorf("index_xinfo %s: %w", index, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var cid int
		var name, coll sql.NullString
		var desc bool
		if err := rows.Scan(&cid, &name, &desc, &coll); err != nil {
			return nil, fmt.Errorf("index_xinfo %s: %w", index, err)
		}
		s := name.String
		switch {
		case cid == -2:
			s = "<expression>"
		case cid == -1:
			s = "rowid"
		}
		if coll.Valid && !strings.EqualFold(coll.String, "BINARY") {
			s += " COLLATE " + strings.ToUpper(coll.String)
		}
		if desc {
			s += " DESC"
		}
		cols = append(cols, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("index_xinfo %s: %w", index, err)
	}
	return cols, nil
}

func foreignKeys(ctx context.Context, conn *sql.Conn, t *Table) error {
	rows, err := conn.QueryContext(ctx, `SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, t.Name)
	if err != nil {
		return fmt.Errorf("foreign_key_list: %w", err)
	}
	defer rows.Close()
	byID := map[int]int{} // fk id -> index in t.ForeignKeys
	for rows.Next() {
		var id int
		var ref, from string
		var to sql.NullString
		var onUpdate, onDelete string
		if err := rows.Scan(&id, &ref, &from, &to, &onUpdate, &onDelete); err != nil {
			return fmt.Errorf("foreign_key_list: %w", err)
		}
		k, ok := byID[id]
		if !ok {
			fk := ForeignKey{RefTable: ref}
			if !strings.EqualFold(onUpdate, "NO ACTION") {
				fk.OnUpdate = onUpdate
			}
			if !strings.EqualFold(onDelete, "NO ACTION") {
				fk.OnDelete = onDelete
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
			k = len(t.ForeignKeys) - 1
			byID[id] = k
		}
		fk := &t.ForeignKeys[k]
		fk.Columns = append(fk.Columns, from)
		if to.Valid && to.String != "" {
			fk.RefColumns = append(fk.RefColumns, to.String)
		}
	}
	return rows.Err()
}

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Load reads a snapshot from path, which is either a SQLite database (opened
// read-only) or a JSON dump written by Snapshot.WriteJSON.
func Load(path string) (*Snapshot, error) {
	return LoadContext(context.Background(), path)
}

// LoadContext is Load with a context for the database queries.
func LoadContext(ctx context.Context, path string) (*Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load schema: %w", err)
	}
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	f.Close()
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("load schema: %s: %w", path, err)
	}
	if n == len(sqliteMagic) && bytes.Equal(head, sqliteMagic) {
		db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadOnly)
		if err != nil {
			return nil, fmt.Errorf("load schema: %w", err)
		}
		defer db.Close()
		s, err := Inspect(ctx, db)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return s, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load schema: %w", err)
	}
	return ParseJSON(path, bytes.NewReader(data))
}
