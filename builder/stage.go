package builder

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tagdb/tagdb-action/builder/normalize"
	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/internal/progress"
)

// The stage is a scratch SQLite file attached to the build connection as
// "stage". Every row of every source is written there first, normalised; the
// merge then works set-wise in SQL. Keeping it in its own file means the
// output never holds scratch pages, so a fresh build needs no VACUUM.
const stageSchema = `
CREATE TABLE stage.st (
    ord INTEGER PRIMARY KEY,
    tag TEXT NOT NULL,
    source_tag TEXT NOT NULL,
    format INTEGER NOT NULL,
    type INTEGER NOT NULL,
    alias_of TEXT,
    alias_src TEXT,
    deprecated INTEGER NOT NULL,
    created_at TEXT,
    cnt INTEGER,
    updated_at TEXT,
    tag_id INTEGER,
    pref_id INTEGER
);
CREATE TABLE stage.tr (
    ord INTEGER PRIMARY KEY,
    tag TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE stage.keys (tag TEXT NOT NULL);
CREATE TABLE stage.idmap (tag TEXT NOT NULL PRIMARY KEY, tag_id INTEGER NOT NULL UNIQUE) WITHOUT ROWID;
`

type stRow struct {
	tag, sourceTag    string
	format, typ       int
	aliasOf, aliasSrc string // "" = canonical row
	deprecated        bool
	createdAt         string
	cnt               int64
	hasCnt            bool
	updatedAt         string
}

type trRow struct {
	tag, lang, text string
}

type batch struct {
	st   []stRow
	tr   []trRow
	keys []string
	rows int64 // input rows this batch came from
}

// unitStats is what one source unit did, for source_effects.tsv.
type unitStats struct {
	rowsRead        int64
	rowsStaged      int64 // status rows incl. expanded aliases
	translations    int64 // translation parts staged
	droppedScript   int64 // translation parts without the language's script
	stLo, stHi      int64 // ord range in stage.st (stHi < stLo: none)
	trLo, trHi      int64
	changed         int64 // rows inserted or really updated in the output
	translationMiss int64 // translations whose tag is not in the edition
}

// stager writes normalised rows into the stage.
type stager struct {
	db     *sql.DB
	nextST int64
	nextTR int64
}

const insertChunk = 64

// stageUnit reads one source to the end and stages it. keysOnly reads tag names
// only (a source whose licence the profile excludes).
func (s *stager) stageUnit(ctx context.Context, src record.Source, keysOnly bool, ev *collector, task *progress.Task, st *unitStats) error {
	batches := make(chan *batch, 2)
	readErr := make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		readErr <- readNormalised(ctx, src, keysOnly, ev, batches)
	}()

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := newInserters(ctx, tx)
	if err != nil {
		return err
	}
	defer ins.close()
	st.stLo, st.trLo = s.nextST, s.nextTR
	for b := range batches {
		if err := ins.st(ctx, b.st, &s.nextST); err != nil {
			cancel()
			return err
		}
		if err := ins.tr(ctx, b.tr, &s.nextTR); err != nil {
			cancel()
			return err
		}
		if err := ins.keys(ctx, b.keys); err != nil {
			cancel()
			return err
		}
		st.rowsRead += b.rows
		st.rowsStaged += int64(len(b.st))
		st.translations += int64(len(b.tr))
		task.Add(b.rows)
	}
	if err := <-readErr; err != nil {
		return err
	}
	st.stHi, st.trHi = s.nextST-1, s.nextTR-1
	return tx.Commit()
}

// readNormalised runs on its own goroutine: it decodes and normalises while
// the caller inserts, so both cores work.
func readNormalised(ctx context.Context, src record.Source, keysOnly bool, ev *collector, out chan<- *batch) error {
	for {
		rows, err := src.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		b := &batch{rows: int64(len(rows))}
		for i := range rows {
			if keysOnly {
				addKeys(&rows[i], b)
				continue
			}
			normaliseRow(&rows[i], b, ev)
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// tagOf returns the TAGS.tag and TAGS.source_tag of a row's spelling.
func tagOf(raw string, normalized bool, sourceTag string) (string, string) {
	if normalized {
		st := sourceTag
		if st == "" {
			st = raw
		}
		return strings.TrimSpace(raw), st
	}
	return normalize.Tag(raw), normalize.SourceTag(raw)
}

func addKeys(r *record.Row, b *batch) {
	if r.Format == record.NoFormat {
		return // translation-only rows never create tags
	}
	if t, _ := tagOf(r.Tag, r.Normalized, r.SourceTag); t != "" {
		b.keys = append(b.keys, t)
	}
	for _, a := range r.Aliases {
		if t, _ := tagOf(a, r.Normalized, ""); t != "" {
			b.keys = append(b.keys, t)
		}
	}
	if r.AliasOf != "" {
		if t, _ := tagOf(r.AliasOf, r.Normalized, ""); t != "" {
			b.keys = append(b.keys, t)
		}
	}
}

func normaliseRow(r *record.Row, b *batch, ev *collector) {
	tag, srcTag := tagOf(r.Tag, r.Normalized, r.SourceTag)
	if tag == "" {
		ev.Skipped(record.Skip{Pos: r.Pos, Reason: fmt.Sprintf("empty tag after normalisation: %q", r.Tag)})
		return
	}
	if r.Format != record.NoFormat {
		row := stRow{
			tag: tag, sourceTag: srcTag, format: r.Format, typ: r.Type,
			deprecated: r.Deprecated, createdAt: r.CreatedAt, updatedAt: r.UpdatedAt,
			cnt: r.Count, hasCnt: r.HasCount,
		}
		if r.AliasOf != "" {
			to, toSrc := tagOf(r.AliasOf, r.Normalized, "")
			switch {
			case to == "":
				ev.Skipped(record.Skip{Pos: r.Pos, Reason: fmt.Sprintf("alias target is empty after normalisation: %q", r.AliasOf)})
			case to != tag: // a self-alias would violate ck_preferred_tag_consistency: keep the row as canonical
				row.aliasOf, row.aliasSrc = to, toSrc
			}
		}
		b.st = append(b.st, row)
		for _, a := range r.Aliases {
			at, asrc := tagOf(a, r.Normalized, "")
			if at == "" || at == tag {
				continue
			}
			b.st = append(b.st, stRow{
				tag: at, sourceTag: asrc, format: r.Format, typ: r.Type,
				aliasOf: tag, aliasSrc: srcTag, deprecated: true,
			})
		}
	}
	for _, tr := range r.Translations {
		lang := strings.ToLower(strings.TrimSpace(tr.Lang))
		if lang == "" {
			ev.Skipped(record.Skip{Pos: r.Pos, Reason: "translation without a language"})
			continue
		}
		// Split first, then check the script of each part (W10): "abc,魔女"
		// keeps 魔女 instead of losing the whole value on the next build.
		for _, part := range normalize.SplitTranslation(tr.Text) {
			if !normalize.HasRequiredScript(lang, part) {
				continue
			}
			b.tr = append(b.tr, trRow{tag: tag, lang: lang, text: part})
		}
	}
}

// inserters holds prepared multi-row INSERTs: one statement per 64 rows keeps
// the per-statement overhead of database/sql out of the inner loop.
type inserters struct {
	stMany, stOne, trMany, trOne, keyMany, keyOne *sql.Stmt
	args                                          []any
}

func newInserters(ctx context.Context, tx *sql.Tx) (*inserters, error) {
	prep := func(table, cols string, n, rows int) (*sql.Stmt, error) {
		one := "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
		q := "INSERT INTO stage." + table + " (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
		return tx.PrepareContext(ctx, q)
	}
	const stCols = "ord, tag, source_tag, format, type, alias_of, alias_src, deprecated, created_at, cnt, updated_at"
	const trCols = "ord, tag, lang, text"
	ins := &inserters{}
	var err error
	for _, p := range []struct {
		dst         **sql.Stmt
		table, cols string
		n, rows     int
	}{
		{&ins.stMany, "st", stCols, 11, insertChunk}, {&ins.stOne, "st", stCols, 11, 1},
		{&ins.trMany, "tr", trCols, 4, insertChunk}, {&ins.trOne, "tr", trCols, 4, 1},
		{&ins.keyMany, "keys", "tag", 1, insertChunk}, {&ins.keyOne, "keys", "tag", 1, 1},
	} {
		if *p.dst, err = prep(p.table, p.cols, p.n, p.rows); err != nil {
			ins.close()
			return nil, fmt.Errorf("prepare stage insert: %w", err)
		}
	}
	return ins, nil
}

func (ins *inserters) close() {
	for _, s := range []*sql.Stmt{ins.stMany, ins.stOne, ins.trMany, ins.trOne, ins.keyMany, ins.keyOne} {
		if s != nil {
			s.Close()
		}
	}
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (ins *inserters) st(ctx context.Context, rows []stRow, next *int64) error {
	return insertRows(ctx, ins, ins.stMany, ins.stOne, rows, "rows", func(args []any, r stRow) []any {
		var cnt any
		if r.hasCnt {
			cnt = r.cnt
		}
		dep := 0
		if r.deprecated {
			dep = 1
		}
		*next++
		return append(args, *next-1, r.tag, r.sourceTag, r.format, r.typ, nullStr(r.aliasOf), nullStr(r.aliasSrc),
			dep, nullStr(r.createdAt), cnt, nullStr(r.updatedAt))
	})
}

func (ins *inserters) tr(ctx context.Context, rows []trRow, next *int64) error {
	return insertRows(ctx, ins, ins.trMany, ins.trOne, rows, "translations", func(args []any, r trRow) []any {
		*next++
		return append(args, *next-1, r.tag, r.lang, r.text)
	})
}

func (ins *inserters) keys(ctx context.Context, keys []string) error {
	return insertRows(ctx, ins, ins.keyMany, ins.keyOne, keys, "tag names", func(args []any, k string) []any {
		return append(args, k)
	})
}

// insertRows writes rows insertChunk at a time through many and the last few
// one by one through one; add appends one row's arguments. The argument slice
// is reused between statements.
func insertRows[T any](ctx context.Context, ins *inserters, many, one *sql.Stmt, rows []T, what string, add func([]any, T) []any) error {
	for len(rows) > 0 {
		n, stmt := insertChunk, many
		if len(rows) < insertChunk {
			n, stmt = 1, one
		}
		args := ins.args[:0]
		for _, r := range rows[:n] {
			args = add(args, r)
		}
		ins.args = args
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("stage %s: %w", what, err)
		}
		rows = rows[n:]
	}
	return nil
}
