package record

// NoFormat marks a row that carries translations only: it writes no TAG_STATUS
// or usage row and never creates a tag on its own.
const NoFormat = -1

// UnknownType is the type number of a row whose source has no (usable) type.
// The merge maps (format, -1) to type name "unknown".
const UnknownType = -1

// Row is one tag as one source describes it. Adapters fill it with the source's
// own spelling; normalisation, id assignment and merging are the builder's job.
type Row struct {
	// Pos says where the row came from ("line 12", "row 7", "tags rowid 3"), so
	// reports can point at it.
	Pos string

	// Tag is the tag as the source spells it (raw, e.g. "Long_Hair"), unless
	// Normalized is set.
	Tag string
	// Normalized says Tag, Aliases and AliasOf are already TAGS.tag values (a
	// tags_db source); SourceTag then holds the spelling for TAGS.source_tag.
	Normalized bool
	SourceTag  string

	// Format is the TAG_FORMATS.format_id the row belongs to, or NoFormat.
	Format int
	// Type is the site's own type number, or UnknownType.
	Type int
	// Count is the usage count; HasCount is false when the source has none or it
	// was invalid (negative, not a number).
	Count    int64
	HasCount bool
	// Deprecated is the site's own deprecation flag for a canonical row.
	Deprecated bool
	// Aliases are names that the source says are aliases of Tag in Format.
	Aliases []string
	// AliasOf, when set, says this row is itself an alias of AliasOf in Format.
	AliasOf string
	// CreatedAt and UpdatedAt are ISO-8601 text or "". CreatedAt becomes
	// TAG_STATUS.source_created_at; UpdatedAt stamps the usage count.
	CreatedAt string
	UpdatedAt string

	// Translations of Tag. Text is the raw value; the merge splits and cleans it.
	Translations []Translation
}

// Translation is one raw translation value in one language.
type Translation struct {
	Lang string // a code from the normalize/ language table ("ja", "zh-cn")
	Text string
}

// Source streams rows. Next returns the next batch (adapters choose the size,
// typically a few thousand rows) and io.EOF after the last one. A batch and
// its rows stay valid only until the following call to Next.
type Source interface {
	Next() ([]Row, error)
	Close() error
}

// Skip is a row an adapter could not use.
type Skip struct {
	Pos    string // as Row.Pos
	Reason string // short, stable, e.g. "empty tag", "count is not a number: \"x\""
}

// AliasConflict records an alias with more than one candidate canonical tag and
// which one won (docs/site-tags.md, "Aliases").
type AliasConflict struct {
	Domain   string // site folder (or source id)
	Alias    string
	Selected string
	Rejected string
	Reason   string // "first-win" or "override"
}

// Events receives what an adapter notices besides rows. The builder turns these
// into skipped_rows.tsv and alias_conflicts.tsv.
type Events interface {
	Skipped(Skip)
	Conflict(AliasConflict)
}

// Discard is an Events that drops everything (tests, key-only passes).
type Discard struct{}

func (Discard) Skipped(Skip)           {}
func (Discard) Conflict(AliasConflict) {}
