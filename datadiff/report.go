package datadiff

// Report is what changed from an old database to a new one. Every list is
// sorted and never nil, so the JSON of one pair of files is always the same
// bytes.
type Report struct {
	Old          Side           `json:"old"`
	New          Side           `json:"new"`
	Top          int            `json:"top"` // how many items each top list keeps
	Tags         TagsDiff       `json:"tags"`
	Formats      []FormatDiff   `json:"formats"`
	Translations []LanguageDiff `json:"translations"`
	Sources      SourcesDiff    `json:"sources"`
	Metadata     []FieldChange  `json:"metadata"`
}

// Side describes one of the two files.
type Side struct {
	File          string `json:"file"` // base name only: reports must not depend on where a file was
	Version       string `json:"version"`
	BuiltAt       string `json:"built_at"`
	Licenses      string `json:"licenses"`
	SchemaVersion int    `json:"schema_version"` // PRAGMA user_version
	Tags          int64  `json:"tags"`
	Translations  int64  `json:"translations"`
}

// TagsDiff compares TAGS by tag_id.
type TagsDiff struct {
	Added      int64       `json:"added"`
	Removed    int64       `json:"removed"`
	Renamed    int64       `json:"renamed"` // same tag_id, different tag or source_tag
	TopAdded   []TagRef    `json:"top_added"`
	TopRemoved []TagRef    `json:"top_removed"`
	TopRenamed []TagRename `json:"top_renamed"`
}

// TagRef is one tag with its usage count summed over formats (in the file it
// is in).
type TagRef struct {
	ID    int64  `json:"tag_id"`
	Tag   string `json:"tag"`
	Count int64  `json:"count"`
}

// TagRename is a tag_id whose text changed.
type TagRename struct {
	ID        int64  `json:"tag_id"`
	Old       string `json:"old"`
	New       string `json:"new"`
	OldSource string `json:"old_source_tag"`
	NewSource string `json:"new_source_tag"`
	Count     int64  `json:"count"`
}

// FormatDiff is one format whose rows or provenance changed. Tags counts
// TAG_STATUS rows, Usage sums TAG_USAGE_COUNTS.count.
type FormatDiff struct {
	ID   int    `json:"format_id"`
	Name string `json:"format_name"`
	// Row is "added" or "removed" when the TAG_FORMATS row itself is new or
	// gone, "" otherwise.
	Row               string        `json:"row,omitempty"`
	Provenance        []FieldChange `json:"provenance"` // TAG_FORMATS columns (licence, source_url, ...)
	OldTags           int64         `json:"old_tags"`
	NewTags           int64         `json:"new_tags"`
	StatusAdded       int64         `json:"status_added"`
	StatusRemoved     int64         `json:"status_removed"`
	TypeChanged       int64         `json:"type_changed"`
	AliasChanged      int64         `json:"alias_changed"`
	DeprecatedChanged int64         `json:"deprecated_changed"`
	OldUsage          int64         `json:"old_usage_total"`
	NewUsage          int64         `json:"new_usage_total"`
	CountsAdded       int64         `json:"counts_added"`
	CountsRemoved     int64         `json:"counts_removed"`
	CountsChanged     int64         `json:"counts_changed"`
	TopTypes          []TypeChange  `json:"top_type_changes"`
	TopAliases        []AliasChange `json:"top_alias_changes"`
	TopDeprecated     []FlagChange  `json:"top_deprecated_changes"`
	TopMovers         []CountChange `json:"top_movers"`
}

// TypeChange is a tag whose type changed in one format (type names from
// TAG_TYPE_FORMAT_MAPPING, the site's type id when a file has no mapping).
type TypeChange struct {
	ID    int64  `json:"tag_id"`
	Tag   string `json:"tag"`
	Old   string `json:"old"`
	New   string `json:"new"`
	Count int64  `json:"count"`
}

// AliasChange is a tag whose alias target changed in one format; an empty
// target means the tag is canonical there.
type AliasChange struct {
	ID        int64  `json:"tag_id"`
	Tag       string `json:"tag"`
	OldTarget string `json:"old_target"`
	NewTarget string `json:"new_target"`
	Count     int64  `json:"count"`
}

// FlagChange is a tag whose deprecated flag changed in one format.
type FlagChange struct {
	ID    int64  `json:"tag_id"`
	Tag   string `json:"tag"`
	Old   bool   `json:"old"`
	New   bool   `json:"new"`
	Count int64  `json:"count"`
}

// CountChange is a usage count present in both files that changed.
type CountChange struct {
	ID    int64  `json:"tag_id"`
	Tag   string `json:"tag"`
	Old   int64  `json:"old"`
	New   int64  `json:"new"`
	Delta int64  `json:"delta"`
}

// LanguageDiff is one language whose translations changed. Examples are the
// first changes in tag_id order.
type LanguageDiff struct {
	Language        string        `json:"language"`
	Old             int64         `json:"old"`
	New             int64         `json:"new"`
	Added           int64         `json:"added"`
	Removed         int64         `json:"removed"`
	ExamplesAdded   []Translation `json:"examples_added"`
	ExamplesRemoved []Translation `json:"examples_removed"`
}

// Translation is one TAG_TRANSLATIONS row.
type Translation struct {
	ID          int64  `json:"tag_id"`
	Tag         string `json:"tag"`
	Translation string `json:"translation"`
}

// SourcesDiff compares the build.provenance lists: sources whose rows are in
// each file, keyed by source id.
type SourcesDiff struct {
	Added   []Source       `json:"added"`
	Removed []Source       `json:"removed"`
	Updated []SourceChange `json:"updated"`
}

// Source is one provenance entry; Fields holds every recorded field but the
// id (kind, license, url, and whatever later builds record), sorted by name.
type Source struct {
	ID     string  `json:"id"`
	Fields []Field `json:"fields"`
}

// Field is one name and value.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SourceChange is a source recorded in both files with different fields.
type SourceChange struct {
	ID      string        `json:"id"`
	Changes []FieldChange `json:"changes"`
}

// FieldChange is one value that differs; "" stands for absent.
type FieldChange struct {
	Name string `json:"name"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// Empty reports whether the two files hold the same data. Metadata that every
// build rewrites (the build time, the version string) does not count.
func (r *Report) Empty() bool {
	t := r.Tags
	if t.Added+t.Removed+t.Renamed > 0 || len(r.Formats) > 0 || len(r.Translations) > 0 {
		return false
	}
	s := r.Sources
	return len(s.Added)+len(s.Removed)+len(s.Updated) == 0 && r.Old.SchemaVersion == r.New.SchemaVersion
}
