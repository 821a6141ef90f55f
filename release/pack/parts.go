package pack

import (
	"fmt"
	"strings"
)

// partSep joins an asset's name and its part number: NAME.part001.
const partSep = ".part"

// PartName is the name of part i (1-based) of the asset name, its number
// zero-padded to width digits (at least three) so that names sort in order.
func PartName(name string, i int64, width int) string {
	return fmt.Sprintf("%s%s%0*d", name, partSep, max(3, width), i)
}

// PartOf recognises a PartName and returns the asset it is a part of.
func PartOf(name string) (origin string, ok bool) {
	i := strings.LastIndex(name, partSep)
	if i <= 0 {
		return "", false
	}
	digits := name[i+len(partSep):]
	if len(digits) < 3 || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	return name[:i], true
}
