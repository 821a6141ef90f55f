package search

import (
	"fmt"
	"strings"
)

// Tag is one tag with everything a reader shows about it. The JSON field
// names are part of `tagdb search --json` and stay stable.
type Tag struct {
	ID        int64  `json:"tag_id"`
	Tag       string `json:"tag"`        // TAGS.tag (normalised)
	SourceTag string `json:"source_tag"` // TAGS.source_tag (site spelling)
	// Count ranks the tag: for Prefix, Find and Substring the highest usage
	// count over the formats the filter names (all formats when it names
	// none); for lookups the highest over all formats. 0 when it has none.
	Count        int64         `json:"count"`
	Formats      []Status      `json:"formats"`      // by format_id
	Translations []Translation `json:"translations"` // by language, then text
}

// Status is a tag's row in one format: TAG_STATUS joined with its names and
// TAG_USAGE_COUNTS. A format with a usage count but no status row appears
// with HasStatus false.
type Status struct {
	FormatID  int    `json:"format_id"`
	Format    string `json:"format"`
	HasStatus bool   `json:"has_status"`
	TypeID    int    `json:"type_id"`
	Type      string `json:"type"` // TAG_TYPE_NAME.type_name through the mapping; "" when unmapped
	Alias     bool   `json:"alias"`
	// PreferredID is the canonical tag in this format (the tag itself unless
	// Alias).
	PreferredID int64 `json:"preferred_tag_id"`
	Deprecated  bool  `json:"deprecated"`
	Count       int64 `json:"count"`
	HasCount    bool  `json:"has_count"`
}

// Translation is one TAG_TRANSLATIONS row.
type Translation struct {
	Language string `json:"language"`
	Text     string `json:"text"`
}

// MatchedBy says which column an input matched.
type MatchedBy string

const (
	ByTag         MatchedBy = "tag"         // TAGS.tag, case-insensitively, after normalisation
	BySourceTag   MatchedBy = "source_tag"  // TAGS.source_tag, case-insensitively
	ByTranslation MatchedBy = "translation" // TAG_TRANSLATIONS.translation, case-insensitively
)

// Match is the answer for one input of Lookup, Resolve or ByTranslation.
type Match struct {
	Query      string    `json:"query"`      // the input as given
	Normalized string    `json:"normalized"` // what was looked up in TAGS.tag
	By         MatchedBy `json:"matched_by,omitempty"`
	// Tag is the canonical tag, nil when nothing matched.
	Tag *Tag `json:"tag"`
	// Input is the tag the query matched when aliases were followed to reach
	// Tag, with its own status rows (its translations are not read); nil when
	// the query matched Tag itself.
	Input *Tag `json:"input,omitempty"`
	// AliasIn lists the formats in which Input is an alias of Tag.
	AliasIn []string `json:"alias_in,omitempty"`
}

// Found reports whether the input matched a tag.
func (m Match) Found() bool { return m.Tag != nil }

// Mode says how a Filter combines its formats.
type Mode int

const (
	// AnyOf keeps a tag with a qualifying status row in at least one format.
	AnyOf Mode = iota
	// AllOf keeps a tag with a qualifying status row in every format.
	AllOf
)

func (m Mode) String() string {
	if m == AllOf {
		return "all"
	}
	return "any"
}

// Filter narrows Prefix and Find. The zero Filter keeps every tag that is
// canonical (not only an alias) in at least one format.
//
// A status row qualifies when it is canonical (alias = 0, unless
// IncludeAliases) and, when Types is set, its type maps to one of the named
// types (through TAG_TYPE_FORMAT_MAPPING, so "character" is type 4 on danbooru
// and type 1 on anime-pictures). Formats and Mode then say in which formats
// such a row must exist; with no Formats, any format will do.
type Filter struct {
	Formats        []string // TAG_FORMATS.format_name
	Mode           Mode
	Types          []string // TAG_TYPE_NAME.type_name
	Language       string   // the tag has a translation in this language
	MinCount       int64    // the ranking count (see Tag.Count) is at least this
	IncludeAliases bool
}

// Path says how Substring found its results.
type Path string

const (
	PathFTS  Path = "fts"  // the trigram index (CreateSubstringIndex)
	PathScan Path = "scan" // a LIKE scan of TAGS and TAG_TRANSLATIONS
)

// unknownNameError names the valid choices, so a typo can be fixed from the
// message alone.
func unknownNameError(kind, name string, known []string) error {
	return fmt.Errorf("unknown %s %q (known: %s)", kind, name, strings.Join(known, ", "))
}
