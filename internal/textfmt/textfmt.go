package textfmt

import "fmt"

// Plural counts a regular noun: "1 note", "3 notes", "0 notes".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// ShortHash is the first 12 hex digits of a checksum or fingerprint: enough
// to tell two apart in a message, short enough to read.
func ShortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
