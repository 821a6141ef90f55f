package normalize

// CategoryPrefixes returns the eight category prefixes that some sources put
// in front of a tag ("copyright:vtuber"), in the order of docs/merge-rules.md,
// "Category prefixes". It returns a new slice on every call, so callers may modify it.
func CategoryPrefixes() []string {
	a := categoryPrefixes()
	return a[:]
}

// categoryPrefixes returns the prefixes as an array value, which stays on the
// stack, so StripCategoryPrefix does not allocate.
func categoryPrefixes() [8]string {
	return [8]string{"general:", "artist:", "copyright:", "character:", "species:", "invalid:", "meta:", "lore:"}
}

// StripCategoryPrefix removes a category prefix from tag and returns the rest,
// trimmed with TrimSpace. The prefix is matched ignoring ASCII case, the way
// SQL LIKE matched it in Python, and removed the same way (Python matched with
// LIKE but stripped case-sensitively, docs/python-differences.md W13, so
// "Copyright:x" was found but never stripped). ok is false, and base "", when
// tag has no prefix or nothing is left after it.
func StripCategoryPrefix(tag string) (base string, ok bool) {
	for _, p := range categoryPrefixes() {
		if len(tag) >= len(p) && equalFoldASCII(tag[:len(p)], p) {
			base = TrimSpace(tag[len(p):])
			return base, base != ""
		}
	}
	return "", false
}

// equalFoldASCII compares s with the lowercase ASCII string lower, ignoring
// ASCII case only (strings.EqualFold would also fold "K" U+212A to "k").
func equalFoldASCII(s, lower string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
