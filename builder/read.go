package builder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/internal/progress"
	"github.com/tagdb/tagdb-action/normalize"
)

// Reading a source is two goroutines: one decodes and normalises rows into
// batches, the other takes the batches into the in-memory merge state, so
// both cores work.

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
	st      []stRow
	tr      []trRow
	keys    []string
	rows    int64            // input rows this batch came from
	idsOnly int64            // rows of an ids-only unit with a usable tag
	dropped map[string]int64 // values dropped from rows that were kept, by reason
}

// drop counts one value left out of a row that is otherwise used (an alias,
// a translation part): the row is not skipped, but nothing is lost silently
// (source_effects.tsv, "dropped").
func (b *batch) drop(reason string) {
	if b.dropped == nil {
		b.dropped = map[string]int64{}
	}
	b.dropped[reason]++
}

// Reasons for values dropped from a used row. A bad tag skips its whole row
// with the text rule's own reason, as the CSV reader always has.
const (
	dropNoScript = "translation without the language's script"
	dropNoLang   = "translation without a language"
)

// badText applies the text rule (normalize.Text) to one value of a row and
// names the reason for a dropped value: "alias with NUL byte", "translation
// longer than 1024 bytes".
func badText(what, s string) string {
	switch r := normalize.Text(what, s); r {
	case "":
		return ""
	case normalize.ReasonNUL, normalize.ReasonInvalidUTF8:
		return what + " with " + r
	default:
		return r
	}
}

// unitStats is what one source unit did, for source_effects.tsv.
type unitStats struct {
	rowsRead        int64
	rowsStaged      int64     // status rows incl. expanded aliases
	translations    int64     // translation parts read
	changed         int64     // rows inserted or really updated in the output
	translationMiss int64     // translations whose tag is not in the edition
	formats         [4]uint64 // the format ids of the rows read, as a bit set
	idsOnly         int64     // rows with a usable tag an ids-only unit read
	// dropped counts the values left out of used rows, by reason; the
	// skipped rows are counted by the collector.
	dropped map[string]int64
}

// usable is how many rows the unit gave the build: what the empty-source
// rule (allow-empty) counts.
func (st *unitStats) usable() int64 { return st.rowsStaged + st.translations + st.idsOnly }

// readUnit reads one source to the end into the merge state. keysOnly reads
// tag names only (a source whose licence the profile excludes).
func (m *memState) readUnit(ctx context.Context, src record.Source, unit uint16, keysOnly bool, ev *collector, task *progress.Task, st *unitStats) error {
	batches := make(chan *batch, 4)
	readErr := make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		readErr <- readNormalised(ctx, src, keysOnly, ev, batches)
	}()
	m.startUnit(unit)
	for b := range batches {
		if err := m.addBatch(b, unit, keysOnly); err != nil {
			cancel()
			for range batches {
			}
			return err
		}
		for i := range b.st {
			f := b.st[i].format // checked by addBatch: 0..255
			st.formats[f/64] |= 1 << (f % 64)
		}
		st.rowsRead += b.rows
		st.rowsStaged += int64(len(b.st))
		st.translations += int64(len(b.tr))
		st.idsOnly += b.idsOnly
		for r, n := range b.dropped {
			if st.dropped == nil {
				st.dropped = map[string]int64{}
			}
			st.dropped[r] += n
		}
		task.Add(b.rows)
	}
	return <-readErr
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
				addKeys(&rows[i], b, ev)
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

func addKeys(r *record.Row, b *batch, ev *collector) {
	if skipBadTag(r, ev) {
		return
	}
	t, _ := tagOf(r.Tag, r.Normalized, r.SourceTag)
	if t != "" {
		b.idsOnly++ // the row would be used in an edition with its licence
	}
	if r.Format == record.NoFormat {
		return // translation-only rows never create tags
	}
	if t != "" {
		b.keys = append(b.keys, t)
	}
	for _, a := range r.Aliases {
		if why := badText("alias", a); why != "" {
			b.drop(why)
			continue
		}
		if t, _ := tagOf(a, r.Normalized, ""); t != "" {
			b.keys = append(b.keys, t)
		}
	}
	if r.AliasOf != "" {
		if why := badText("alias target", r.AliasOf); why != "" {
			b.drop(why)
		} else if t, _ := tagOf(r.AliasOf, r.Normalized, ""); t != "" {
			b.keys = append(b.keys, t)
		}
	}
}

// skipBadTag applies the text rule to a row's tag and source tag, and
// reports the row skipped if either fails it: the same reasons the CSV
// reader gives a bad line, for every kind of source.
func skipBadTag(r *record.Row, ev *collector) bool {
	why := normalize.Text("tag", r.Tag)
	if why == "" && r.SourceTag != "" {
		why = normalize.Text("tag", r.SourceTag)
	}
	if why == "" {
		return false
	}
	ev.Skipped(record.Skip{Pos: r.Pos, Reason: why})
	return true
}

func normaliseRow(r *record.Row, b *batch, ev *collector) {
	if skipBadTag(r, ev) {
		return
	}
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
			switch why := badText("alias target", r.AliasOf); {
			case why != "": // the row stays, as a canonical tag
				b.drop(why)
			case to == "":
				ev.Skipped(record.Skip{Pos: r.Pos, Reason: fmt.Sprintf("alias target is empty after normalisation: %q", r.AliasOf)})
			case to != tag: // a self-alias would violate ck_preferred_tag_consistency: keep the row as canonical
				row.aliasOf, row.aliasSrc = to, toSrc
			}
		}
		b.st = append(b.st, row)
		for _, a := range r.Aliases {
			if why := badText("alias", a); why != "" {
				b.drop(why)
				continue
			}
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
			b.drop(dropNoLang)
			continue
		}
		// Split first, then check the script of each part
		// (docs/python-differences.md, W10): "abc,魔女" keeps 魔女 instead of
		// losing the whole value on the next build.
		for _, part := range normalize.SplitTranslation(tr.Text) {
			if why := badText("translation", part); why != "" {
				b.drop(why)
				continue
			}
			if !normalize.HasRequiredScript(lang, part) {
				b.drop(dropNoScript)
				continue
			}
			b.tr = append(b.tr, trRow{tag: tag, lang: lang, text: part})
		}
	}
}
