package datadiff

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"path/filepath"
	"runtime/debug"
	"slices"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// DefaultTop is how many items each top list keeps when Options.Top is 0.
const DefaultTop = 10

// Options tune a comparison.
type Options struct {
	// Top is how many items each top list keeps (tags added, movers per
	// format, ...): 0 means DefaultTop, negative means none.
	Top int
	// GCPercent, when above zero, is Go's GC target for the duration of
	// Compare (process-wide, restored at the end). The live heap is a few
	// megabytes of row batches, so the default of 100 collects every few
	// megabytes of rows read; 400 saves about a sixth of the CPU time for
	// some 15 MB more memory.
	GCPercent int
}

// Compare opens both files read-only and reports what changed from oldPath
// to newPath.
func Compare(ctx context.Context, oldPath, newPath string, o Options) (*Report, error) {
	if o.Top == 0 {
		o.Top = DefaultTop
	}
	if o.Top < 0 {
		o.Top = 0
	}
	if o.GCPercent > 0 {
		defer debug.SetGCPercent(debug.SetGCPercent(o.GCPercent))
	}
	oldDB, err := sqlitedb.Open(ctx, oldPath, sqlitedb.ReadOnly)
	if err != nil {
		return nil, fmt.Errorf("diff: old %w", err)
	}
	defer oldDB.Close()
	newDB, err := sqlitedb.Open(ctx, newPath, sqlitedb.ReadOnly)
	if err != nil {
		return nil, fmt.Errorf("diff: new %w", err)
	}
	defer newDB.Close()
	c := &comparison{
		o:   o,
		old: &side{path: oldPath, db: oldDB},
		new: &side{path: newPath, db: newDB},
		rep: &Report{Top: o.Top},
		fmt: map[int64]*formatAcc{},
		tags: tagAcc{
			added: newTop[TagRef](o.Top), removed: newTop[TagRef](o.Top), renamed: newTop[TagRename](o.Top),
		},
		lang: map[string]*langAcc{},
	}
	for _, s := range []*side{c.old, c.new} {
		if err := s.loadSmallTables(ctx); err != nil {
			return nil, fmt.Errorf("diff: %s: %w", s.path, err)
		}
	}
	if err := c.walkTags(ctx); err != nil {
		return nil, fmt.Errorf("diff %s → %s: %w", oldPath, newPath, err)
	}
	if err := c.walkTranslations(ctx); err != nil {
		return nil, fmt.Errorf("diff %s → %s: %w", oldPath, newPath, err)
	}
	if err := c.finish(ctx); err != nil {
		return nil, fmt.Errorf("diff %s → %s: %w", oldPath, newPath, err)
	}
	return c.rep, nil
}

// side is one file and the small tables read from it whole.
type side struct {
	path      string
	db        *sql.DB
	userVer   int
	meta      map[string]string
	formats   map[int64]map[string]string // TAG_FORMATS rows by format_id, every column as text
	typeNames map[[2]int64]string         // (format_id, type_id) → type name
	tags      int64
	trans     int64
}

type comparison struct {
	o        Options
	old, new *side
	rep      *Report
	fmt      map[int64]*formatAcc
	tags     tagAcc
	lang     map[string]*langAcc
}

type tagAcc struct {
	added, removed   *top[TagRef]
	renamed          *top[TagRename]
	nAdded, nRemoved int64
	nRenamed         int64
}

// pendingAlias holds alias targets as ids until the walk is over: only the
// few kept are looked up by name.
type pendingAlias struct {
	id, oldPref, newPref int64 // -1: canonical
	tag                  string
	count                int64
}

type formatAcc struct {
	d          FormatDiff
	types      *top[TypeChange]
	aliases    *top[pendingAlias]
	deprecated *top[FlagChange]
	movers     *top[CountChange]
}

func (c *comparison) format(id int64) *formatAcc {
	a := c.fmt[id]
	if a == nil {
		n := c.o.Top
		a = &formatAcc{d: FormatDiff{ID: int(id)}, types: newTop[TypeChange](n), aliases: newTop[pendingAlias](n),
			deprecated: newTop[FlagChange](n), movers: newTop[CountChange](n)}
		c.fmt[id] = a
	}
	return a
}

type key struct{ tag, format int64 } // format -1 is the TAGS row, ahead of the tag's formats

func cmpKey(a, b key) int {
	if c := cmp.Compare(a.tag, b.tag); c != 0 {
		return c
	}
	return cmp.Compare(a.format, b.format)
}

type tagRow struct {
	id          int64
	tag, source string
}

type statusRow struct {
	k           key
	typeID      int64
	alias, depr bool
	pref        int64
}

type usageRow struct {
	k     key
	count int64
}

// streams are one file's three cursors over the tables keyed by tag_id.
type streams struct {
	tags   *cursor[tagRow]
	status *cursor[statusRow]
	usage  *cursor[usageRow]
}

func openStreams(ctx context.Context, s *side) *streams {
	name := filepath.Base(s.path)
	return &streams{
		tags: openCursor(ctx, s.db, name+": TAGS", `SELECT tag_id, tag, source_tag FROM TAGS ORDER BY tag_id`,
			func(a, b *tagRow) int { return cmp.Compare(a.id, b.id) },
			func(r *sql.Rows, v *tagRow) error { return r.Scan(&v.id, &v.tag, &v.source) }),
		// type_id, alias and deprecated travel as one integer: with the
		// pure-Go driver every column fetched costs more than the SQL that
		// combines them, and TAG_STATUS is the largest table.
		status: openCursor(ctx, s.db, name+": TAG_STATUS",
			`SELECT tag_id, format_id, type_id * 4 + (alias != 0) * 2 + (deprecated != 0), preferred_tag_id
			FROM TAG_STATUS ORDER BY tag_id, format_id`,
			func(a, b *statusRow) int { return cmpKey(a.k, b.k) },
			func(r *sql.Rows, v *statusRow) error {
				var packed int64
				err := r.Scan(&v.k.tag, &v.k.format, &packed, &v.pref)
				v.typeID, v.alias, v.depr = packed>>2, packed&2 != 0, packed&1 != 0
				return err
			}),
		usage: openCursor(ctx, s.db, name+": TAG_USAGE_COUNTS",
			`SELECT tag_id, format_id, count FROM TAG_USAGE_COUNTS ORDER BY tag_id, format_id`,
			func(a, b *usageRow) int { return cmpKey(a.k, b.k) },
			func(r *sql.Rows, v *usageRow) error { return r.Scan(&v.k.tag, &v.k.format, &v.count) }),
	}
}

func (s *streams) minKey(k *key, ok *bool) {
	try := func(x key) {
		if !*ok || cmpKey(x, *k) < 0 {
			*k, *ok = x, true
		}
	}
	if r := s.tags.peek(); r != nil {
		try(key{r.id, -1})
	}
	if r := s.status.peek(); r != nil {
		try(r.k)
	}
	if r := s.usage.peek(); r != nil {
		try(r.k)
	}
}

func (s *streams) close() error {
	var first error
	for _, err := range []error{s.tags.close(), s.status.close(), s.usage.close()} {
		if first == nil {
			first = err
		}
	}
	return first
}

// take returns the cursor's current row and advances when its key is k.
func take[T any](c *cursor[T], k key, keyOf func(*T) key) (T, bool) {
	var zero T
	r := c.peek()
	if r == nil || cmpKey(keyOf(r), k) != 0 {
		return zero, false
	}
	v := *r
	c.next()
	return v, true
}

// walkTags merge-joins TAGS, TAG_STATUS and TAG_USAGE_COUNTS of both files in
// one pass: the three share the tag_id prefix of their keys, so a tag's name
// arrives just before its statuses and counts, and a tag's usage sum is
// complete when the walk moves past it.
func (c *comparison) walkTags(ctx context.Context) error {
	o, n := openStreams(ctx, c.old), openStreams(ctx, c.new)
	defer o.close()
	defer n.close()
	tagKey := func(r *tagRow) key { return key{r.id, -1} }
	statusKey := func(r *statusRow) key { return r.k }
	usageKey := func(r *usageRow) key { return r.k }

	var (
		cur            int64 = -1
		ot, nt         tagRow
		hasOT, hasNT   bool
		oldSum, newSum int64
		started        bool
	)
	finishTag := func() {
		if !started {
			return
		}
		switch {
		case hasOT && !hasNT:
			c.tags.nRemoved++
			c.tags.removed.add(oldSum, ot.id, TagRef{ID: ot.id, Tag: ot.tag, Count: oldSum})
		case !hasOT && hasNT:
			c.tags.nAdded++
			c.tags.added.add(newSum, nt.id, TagRef{ID: nt.id, Tag: nt.tag, Count: newSum})
		case hasOT && hasNT && (ot.tag != nt.tag || ot.source != nt.source):
			c.tags.nRenamed++
			c.tags.renamed.add(max(oldSum, newSum), nt.id, TagRename{ID: nt.id, Old: ot.tag, New: nt.tag,
				OldSource: ot.source, NewSource: nt.source, Count: max(oldSum, newSum)})
		}
	}
	for i := 0; ; i++ {
		if i%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		var k key
		var ok bool
		o.minKey(&k, &ok)
		n.minKey(&k, &ok)
		if !ok {
			break
		}
		if k.tag != cur || !started {
			finishTag()
			cur, started = k.tag, true
			hasOT, hasNT, oldSum, newSum = false, false, 0, 0
		}
		if k.format < 0 {
			ot, hasOT = take(o.tags, k, tagKey)
			nt, hasNT = take(n.tags, k, tagKey)
			if hasOT {
				c.old.tags++
			}
			if hasNT {
				c.new.tags++
			}
			continue
		}
		os, hasOS := take(o.status, k, statusKey)
		ns, hasNS := take(n.status, k, statusKey)
		ou, hasOU := take(o.usage, k, usageKey)
		nu, hasNU := take(n.usage, k, usageKey)
		if hasOU {
			oldSum += ou.count
		}
		if hasNU {
			newSum += nu.count
		}
		name := nt.tag
		if !hasNT {
			name = ot.tag
		}
		c.formatRow(k, name, optional(os, hasOS), optional(ns, hasNS), optional(ou, hasOU), optional(nu, hasNU))
	}
	finishTag()
	if err := o.close(); err != nil {
		return err
	}
	return n.close()
}

func optional[T any](v T, ok bool) *T {
	if !ok {
		return nil
	}
	return &v
}

// formatRow compares one (tag, format) key: its status and usage count in
// each file (nil where a file has none).
func (c *comparison) formatRow(k key, tag string, os, ns *statusRow, ou, nu *usageRow) {
	a := c.format(k.format)
	d := &a.d
	var oc, nc int64
	if ou != nil {
		oc = ou.count
		d.OldUsage += oc
	}
	if nu != nil {
		nc = nu.count
		d.NewUsage += nc
	}
	score := max(oc, nc)
	switch {
	case ou != nil && nu == nil:
		d.CountsRemoved++
	case ou == nil && nu != nil:
		d.CountsAdded++
	case ou != nil && oc != nc:
		d.CountsChanged++
		delta := nc - oc
		a.movers.add(max(delta, -delta), k.tag, CountChange{ID: k.tag, Tag: tag, Old: oc, New: nc, Delta: delta})
	}
	if os != nil {
		d.OldTags++
	}
	if ns != nil {
		d.NewTags++
	}
	switch {
	case os != nil && ns == nil:
		d.StatusRemoved++
	case os == nil && ns != nil:
		d.StatusAdded++
	case os != nil:
		if os.typeID != ns.typeID {
			d.TypeChanged++
			a.types.add(score, k.tag, TypeChange{ID: k.tag, Tag: tag,
				Old: c.old.typeName(k.format, os.typeID), New: c.new.typeName(k.format, ns.typeID), Count: score})
		}
		if target(os) != target(ns) {
			d.AliasChanged++
			a.aliases.add(score, k.tag, pendingAlias{id: k.tag, tag: tag, oldPref: target(os), newPref: target(ns), count: score})
		}
		if os.depr != ns.depr {
			d.DeprecatedChanged++
			a.deprecated.add(score, k.tag, FlagChange{ID: k.tag, Tag: tag, Old: os.depr, New: ns.depr, Count: score})
		}
	}
}

// target is the tag an alias points at, -1 for a canonical tag.
func target(s *statusRow) int64 {
	if !s.alias {
		return -1
	}
	return s.pref
}

func (s *side) typeName(format, typeID int64) string {
	if n, ok := s.typeNames[[2]int64{format, typeID}]; ok {
		return n
	}
	return fmt.Sprintf("type %d", typeID)
}

type trRow struct {
	tag        int64
	lang, text sql.NullString
}

func cmpNull(a, b sql.NullString) int {
	switch {
	case a.Valid && b.Valid:
		return cmp.Compare(a.String, b.String) // SQLite's BINARY collation is byte order too
	case a.Valid:
		return 1
	case b.Valid:
		return -1
	}
	return 0
}

func cmpTr(a, b *trRow) int {
	if c := cmp.Compare(a.tag, b.tag); c != 0 {
		return c
	}
	if c := cmpNull(a.lang, b.lang); c != 0 {
		return c
	}
	return cmpNull(a.text, b.text)
}

type langAcc struct {
	d              LanguageDiff
	added, removed []Translation
}

func (c *comparison) language(l string) *langAcc {
	a := c.lang[l]
	if a == nil {
		a = &langAcc{d: LanguageDiff{Language: l}}
		c.lang[l] = a
	}
	return a
}

// walkTranslations merge-joins TAG_TRANSLATIONS on (tag_id, language,
// translation), the table's unique key: translation_id is a row number that
// means nothing across builds.
func (c *comparison) walkTranslations(ctx context.Context) error {
	q := `SELECT tag_id, language, translation FROM TAG_TRANSLATIONS ORDER BY tag_id, language, translation`
	scan := func(r *sql.Rows, v *trRow) error { return r.Scan(&v.tag, &v.lang, &v.text) }
	o := openCursor(ctx, c.old.db, filepath.Base(c.old.path)+": TAG_TRANSLATIONS", q, cmpTr, scan)
	n := openCursor(ctx, c.new.db, filepath.Base(c.new.path)+": TAG_TRANSLATIONS", q, cmpTr, scan)
	defer o.close()
	defer n.close()
	keep := func(list *[]Translation, r *trRow) {
		if len(*list) < c.o.Top {
			*list = append(*list, Translation{ID: r.tag, Translation: r.text.String})
		}
	}
	for i := 0; ; i++ {
		if i%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		or, nr := o.peek(), n.peek()
		if or == nil && nr == nil {
			break
		}
		d := 0
		switch {
		case or == nil:
			d = 1
		case nr == nil:
			d = -1
		default:
			d = cmpTr(or, nr)
		}
		switch {
		case d < 0:
			a := c.language(or.lang.String)
			a.d.Old++
			a.d.Removed++
			keep(&a.removed, or)
			o.next()
		case d > 0:
			a := c.language(nr.lang.String)
			a.d.New++
			a.d.Added++
			keep(&a.added, nr)
			n.next()
		default:
			a := c.language(nr.lang.String)
			a.d.Old++
			a.d.New++
			o.next()
			n.next()
		}
	}
	if err := o.close(); err != nil {
		return err
	}
	if err := n.close(); err != nil {
		return err
	}
	for _, a := range c.lang {
		c.old.trans += a.d.Old
		c.new.trans += a.d.New
	}
	return nil
}

// finish assembles the report: the top lists, the names they need, the
// small tables.
func (c *comparison) finish(ctx context.Context) error {
	r := c.rep
	r.Old, r.New = c.old.describe(), c.new.describe()
	r.Tags = TagsDiff{Added: c.tags.nAdded, Removed: c.tags.nRemoved, Renamed: c.tags.nRenamed,
		TopAdded: c.tags.added.list(), TopRemoved: c.tags.removed.list(), TopRenamed: c.tags.renamed.list()}

	oldNames, newNames := newNamer(ctx, c.old.db), newNamer(ctx, c.new.db)
	defer oldNames.close()
	defer newNames.close()
	ids := map[int64]bool{}
	for id := range c.old.formats {
		ids[id] = true
	}
	for id := range c.new.formats {
		ids[id] = true
	}
	for id := range c.fmt {
		ids[id] = true
	}
	r.Formats = []FormatDiff{}
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		a := c.format(id)
		d := a.d
		d.Name = c.new.formatName(id)
		if d.Name == "" {
			d.Name = c.old.formatName(id)
		}
		of, nf := c.old.formats[id], c.new.formats[id]
		switch {
		case of == nil && nf != nil:
			d.Row = "added"
		case of != nil && nf == nil:
			d.Row = "removed"
		}
		d.Provenance = changedFields(of, nf, "format_id", "format_name", "last_updated")
		d.TopTypes, d.TopDeprecated, d.TopMovers = a.types.list(), a.deprecated.list(), a.movers.list()
		d.TopAliases = []AliasChange{}
		for _, p := range a.aliases.list() {
			ac := AliasChange{ID: p.id, Tag: p.tag, Count: p.count}
			var err error
			if ac.OldTarget, err = oldNames.name(p.oldPref); err != nil {
				return err
			}
			if ac.NewTarget, err = newNames.name(p.newPref); err != nil {
				return err
			}
			d.TopAliases = append(d.TopAliases, ac)
		}
		if d.Row == "" && len(d.Provenance) == 0 && d.StatusAdded+d.StatusRemoved+d.TypeChanged+d.AliasChanged+
			d.DeprecatedChanged+d.CountsAdded+d.CountsRemoved+d.CountsChanged == 0 {
			continue
		}
		r.Formats = append(r.Formats, d)
	}

	r.Translations = []LanguageDiff{}
	for _, l := range slices.Sorted(maps.Keys(c.lang)) {
		a := c.lang[l]
		if a.d.Added+a.d.Removed == 0 {
			continue
		}
		d := a.d
		var err error
		if d.ExamplesAdded, err = newNames.fill(a.added); err != nil {
			return err
		}
		if d.ExamplesRemoved, err = oldNames.fill(a.removed); err != nil {
			return err
		}
		r.Translations = append(r.Translations, d)
	}
	var err error
	if r.Sources, err = diffSources(c.old.meta[provenanceKey], c.new.meta[provenanceKey]); err != nil {
		return err
	}
	r.Metadata = changedFields(c.old.meta, c.new.meta, provenanceKey)
	return nil
}

// namer looks tag names up by id in one file, for the few rows a report
// lists.
type namer struct {
	ctx  context.Context
	stmt *sql.Stmt
	err  error
}

func newNamer(ctx context.Context, db *sql.DB) *namer {
	st, err := db.PrepareContext(ctx, `SELECT tag FROM TAGS WHERE tag_id = ?`)
	return &namer{ctx: ctx, stmt: st, err: err}
}

// name returns the tag of id; "" for -1 (no tag), "#id" for an id with no
// TAGS row (an alias whose target is missing).
func (n *namer) name(id int64) (string, error) {
	if id < 0 {
		return "", nil
	}
	if n.err != nil {
		return "", fmt.Errorf("tag names: %w", n.err)
	}
	var s string
	switch err := n.stmt.QueryRowContext(n.ctx, id).Scan(&s); err {
	case nil:
		return s, nil
	case sql.ErrNoRows:
		return fmt.Sprintf("#%d", id), nil
	default:
		return "", fmt.Errorf("tag name of %d: %w", id, err)
	}
}

func (n *namer) fill(list []Translation) ([]Translation, error) {
	out := make([]Translation, len(list))
	for i, t := range list {
		name, err := n.name(t.ID)
		if err != nil {
			return nil, err
		}
		t.Tag = name
		out[i] = t
	}
	return out, nil
}

func (n *namer) close() {
	if n.stmt != nil {
		n.stmt.Close()
	}
}
