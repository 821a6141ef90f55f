//go:build !unix

package files

import "os"

// openNoBlock is a plain open where there are no FIFOs to block on.
func openNoBlock(path string) (*os.File, error) { return os.Open(path) }
