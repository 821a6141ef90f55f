package sitetags

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tagdb/tagdb-action/builder/record"
)

// Options configure Open.
type Options struct {
	// Events receives skipped rows, alias conflicts and cycles; nil discards.
	Events record.Events
	// Overrides is the whole alias_resolution table; Open uses the site's domain.
	Overrides Overrides
	// BatchSize is the number of rows per Next; <= 0 means 4096.
	BatchSize int
}

// DefaultBatchSize is the batch size when Options.BatchSize is not set.
const DefaultBatchSize = 4096

// Stats counts what a Reader did. Read it after the last Next.
type Stats struct {
	RowsRead             int64 // rows of the tags table read
	RowsEmitted          int64 // rows returned by Next, of every kind
	Skipped              int64 // Events.Skipped calls (rows, counts, alias pairs, cycles)
	Aliases              int64 // alias names resolved to a real canonical (attached as Row.Aliases)
	AliasRows            int64 // tags rows that are aliases and so are not emitted as canonicals
	AliasTranslationRows int64 // translation-only rows kept for such alias rows (docs/python-differences.md, W9 b)
	OrphanCanonicals     int64 // rows made for canonicals missing from tags (docs/python-differences.md, W9 a)
	Sinks                int64 // rows of aliases to invalid_tag/bad_tag
	Conflicts            int64 // aliases with a rejected candidate, one per rejected candidate
	NegativeCounts       int64 // counts below zero: normal site data, emitted without a count
}

// stream yields the selected columns of the tags table in file order.
type stream interface {
	// next returns the row's position number (rowid, or 1-based row) and its
	// values, valid until the following call; ok is false after the last row.
	next() (n int64, vals []any, ok bool, err error)
	close() error
}

// Reader is the record.Source Open returns. Besides Next and Close it offers
// Stats.
type Reader struct {
	ctx       context.Context
	site      Site
	events    record.Events
	lay       layout
	rows      stream
	closers   []func() error
	posPrefix string // "tags rowid " or "tags.parquet row "
	ali       *aliasIndex
	size      int

	batch  []record.Row
	trBuf  []record.Translation
	strBuf []string

	streamDone bool
	lastN      int64
	tail       []tailRow
	tailIdx    int
	err        error
	closed     bool
	stats      Stats
}

type tailRow struct {
	sink bool
	posID
}

// Open detects the layout of a site file and prepares to stream its rows:
// the alias pairs are read and resolved now (conflicts and cycles are
// reported to opts.Events before Open returns), the tags table streams on
// Next. An unreadable file, a file that is not SQLite (or Parquet), or an
// unknown layout is an error naming the file.
func Open(ctx context.Context, s Site, opts Options) (record.Source, error) {
	r := &Reader{ctx: ctx, site: s, events: opts.Events, size: opts.BatchSize}
	if r.events == nil {
		r.events = record.Discard{}
	}
	if r.size <= 0 {
		r.size = DefaultBatchSize
	}
	r.batch = make([]record.Row, 0, r.size)
	var err error
	if strings.EqualFold(filepath.Ext(s.Path), ".parquet") {
		err = r.openParquet(opts.Overrides[s.Domain])
	} else {
		err = r.openSQLite(ctx, opts.Overrides[s.Domain])
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func (r *Reader) skip(pos, reason string) {
	r.stats.Skipped++
	r.events.Skipped(record.Skip{Pos: pos, Reason: reason})
}

func (r *Reader) conflict(c record.AliasConflict) {
	r.stats.Conflicts++
	r.events.Conflict(c)
}

// resolveAliases finishes an alias index filled by a loader.
func (r *Reader) resolveAliases(x *aliasIndex, overrides map[string]string) {
	x.resolve(r.site.Domain, overrides, r.skip, r.conflict)
	r.stats.Aliases = int64(x.aliases)
	r.ali = x
}

// addPair checks one alias pair cell by cell before adding it.
func (r *Reader) addPair(x *aliasIndex, n int64, alias, canonical any) {
	a, _ := text(alias)
	c, _ := text(canonical)
	a, c = strings.TrimSpace(a), strings.TrimSpace(c)
	switch {
	case a == "":
		r.skip(x.pos(n), "empty alias")
	case c == "":
		r.skip(x.pos(n), fmt.Sprintf("alias %q has an empty target", a))
	case a == c:
		r.skip(x.pos(n), fmt.Sprintf("alias of itself: %q", a))
	default:
		x.add(n, a, c)
	}
}

// Stats returns the counters so far.
func (r *Reader) Stats() Stats { return r.stats }

// Next returns the next batch: the tags rows in file order, then the
// canonicals that exist only in the alias table (sorted), then the sink rows
// (sorted).
func (r *Reader) Next() ([]record.Row, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.closed {
		return nil, fmt.Errorf("%s: read after Close", r.site.Path)
	}
	// The SQLite driver also watches ctx mid-query; this check covers the
	// Parquet reader and the synthetic tail.
	if err := r.ctx.Err(); err != nil {
		r.err = fmt.Errorf("%s: %w", r.site.Path, err)
		return nil, r.err
	}
	r.batch, r.trBuf, r.strBuf = r.batch[:0], r.trBuf[:0], r.strBuf[:0]
	for len(r.batch) < r.size {
		if !r.streamDone {
			n, vals, ok, err := r.rows.next()
			if err != nil {
				where := "at its first row"
				if r.stats.RowsRead > 0 {
					where = "after " + r.posPrefix + strconv.FormatInt(r.lastN, 10)
				}
				r.err = fmt.Errorf("%s: reading tags %s: %w", r.site.Path, where, err)
				return nil, r.err
			}
			if !ok {
				r.streamDone = true
				r.buildTail()
				continue
			}
			r.lastN = n
			r.emitRow(n, vals)
			continue
		}
		if r.tailIdx == len(r.tail) {
			break
		}
		r.emitTail(r.tail[r.tailIdx])
		r.tailIdx++
	}
	if len(r.batch) == 0 {
		return nil, io.EOF
	}
	r.stats.RowsEmitted += int64(len(r.batch))
	return r.batch, nil
}

// emitRow turns one tags row into zero or one Row.
func (r *Reader) emitRow(n int64, vals []any) {
	r.stats.RowsRead++
	var buf [40]byte // one allocation for Pos instead of two
	pos := string(strconv.AppendInt(append(buf[:0], r.posPrefix...), n, 10))
	tag, _ := text(vals[0])
	tag = strings.TrimSpace(tag)
	if tag == "" {
		r.skip(pos, "empty tag")
		return
	}
	row := record.Row{Pos: pos, Tag: tag, Format: r.site.Format, Type: record.UnknownType}
	kind := kindCanonical
	var id uint32
	if r.ali != nil {
		if x, ok := r.ali.lookup(tag); ok {
			id = x
			r.ali.markSeen(id)
			switch {
			case r.ali.isSink(id):
				kind = kindSink
			case r.ali.isAlias(id):
				kind = kindAlias
			default:
				kind = kindWithAliases
			}
		}
	}
	l := &r.lay
	i := len(vals) - len(l.trans)
	start := len(r.trBuf)
	for _, t := range l.trans {
		if s, ok := text(vals[i]); ok && strings.TrimSpace(s) != "" {
			r.trBuf = append(r.trBuf, record.Translation{Lang: t.lang, Text: s})
		}
		i++
	}
	if end := len(r.trBuf); end > start {
		row.Translations = r.trBuf[start:end:end]
	}
	if kind == kindAlias {
		// The alias is folded into its canonical's Aliases; its count and type
		// describe a name the site redirects, so they are dropped as in the
		// Python builder. Its translations are kept on a translation-only row
		// (docs/python-differences.md, W9 b) instead of being lost.
		r.stats.AliasRows++
		if len(row.Translations) > 0 {
			r.stats.AliasTranslationRows++
			r.batch = append(r.batch, record.Row{Pos: pos, Tag: tag, Format: record.NoFormat,
				Type: record.UnknownType, Translations: row.Translations})
		}
		return
	}
	i = 1
	if l.count != "" {
		c, res, reason := count(vals[i])
		switch res {
		case countOK:
			row.Count, row.HasCount = c, true
		case countNegative:
			r.stats.NegativeCounts++
		case countBad:
			r.skip(pos, reason)
		}
		i++
	}
	if l.typ != "" {
		if l.typeText {
			row.Type, row.Deprecated = gelbooruType(vals[i])
		} else {
			row.Type = typeNumber(vals[i])
		}
		i++
	}
	if l.deprecated != "" {
		row.Deprecated = row.Deprecated || truthy(vals[i])
		i++
	}
	if l.created != "" {
		row.CreatedAt = timestamp(vals[i])
		i++
	}
	if l.updated != "" {
		row.UpdatedAt = timestamp(vals[i])
	}
	switch kind {
	case kindSink:
		// A sink alias that also has a tags row: one row, keeping the site's
		// count, type and translations, deprecated as every sink is. The
		// Python builder emitted the row and then a second sink row that
		// overwrote its type; one row per name is simpler for the merge.
		r.stats.Sinks++
		row.Deprecated = true
		if row.Type == record.UnknownType {
			row.Type = r.sinkType()
		}
	case kindWithAliases:
		row.Aliases = r.aliasNames(id)
	}
	r.batch = append(r.batch, row)
}

const (
	kindCanonical   = iota // no alias pair mentions the name
	kindWithAliases        // a canonical; may have aliases
	kindAlias              // an alias of a real canonical
	kindSink               // an alias of invalid_tag/bad_tag
)

// sinkType is the type of a sink row: e621's own "invalid" category (6) on
// e621, unknown elsewhere (docs/site-tags.md, "Aliases").
func (r *Reader) sinkType() int {
	if r.site.Format == 2 {
		return 6
	}
	return record.UnknownType
}

// aliasNames returns the sorted alias names of canonical id in the batch's
// string buffer (valid until the next Next).
func (r *Reader) aliasNames(id uint32) []string {
	ids := r.ali.aliasesOf(id)
	if len(ids) == 0 {
		return nil
	}
	start := len(r.strBuf)
	for _, a := range ids {
		r.strBuf = append(r.strBuf, r.ali.names.name(a))
	}
	end := len(r.strBuf)
	return r.strBuf[start:end:end]
}

func (r *Reader) buildTail() {
	if r.ali == nil {
		return
	}
	for _, o := range r.ali.orphans() {
		r.tail = append(r.tail, tailRow{posID: o})
	}
	for _, s := range r.ali.unseenSinks() {
		r.tail = append(r.tail, tailRow{sink: true, posID: s})
	}
}

func (r *Reader) emitTail(t tailRow) {
	row := record.Row{Pos: r.ali.pos(t.pos), Tag: r.ali.names.name(t.id), Format: r.site.Format, Type: record.UnknownType}
	if t.sink {
		r.stats.Sinks++
		row.Type = r.sinkType()
		row.Deprecated = true
	} else {
		// docs/python-differences.md, W9 a: the canonical has no tags row, but
		// its aliases are real data.
		r.stats.OrphanCanonicals++
		row.Aliases = r.aliasNames(t.id)
	}
	r.batch = append(r.batch, row)
}

// Close releases the file. It may be called more than once.
func (r *Reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	var first error
	if r.rows != nil {
		first = r.rows.close()
	}
	for i := len(r.closers) - 1; i >= 0; i-- {
		if err := r.closers[i](); err != nil && first == nil {
			first = err
		}
	}
	return first
}
