package builder

// formatNames is TAG_FORMATS as seeded by migration 0003: the ids are part of
// the reader contract and never change.
var formatNames = []string{
	"unknown", "danbooru", "e621", "derpibooru", "safebooru", "allthefallen", "sankaku", "gelbooru",
	"rule34", "xbooru", "hypnohub", "konachan", "konachan-net", "lolibooru", "anime-pictures",
	"wallhaven", "yandere", "zerochan", "pixiv",
}

// FormatID maps a TAG_FORMATS.format_name to its id.
func FormatID(name string) (int, bool) {
	for i, n := range formatNames {
		if n == name {
			return i, true
		}
	}
	return 0, false
}

// FormatName maps a format id to its name ("" if unknown).
func FormatName(id int) string {
	if id >= 0 && id < len(formatNames) {
		return formatNames[id]
	}
	return ""
}

// FormatNames lists the known format names in id order.
func FormatNames() []string { return append([]string(nil), formatNames...) }
