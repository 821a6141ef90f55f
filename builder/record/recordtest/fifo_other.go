//go:build !unix

package recordtest

import "errors"

// mkfifo fails where the system has no named pipes in the file system: the
// case is then skipped.
func mkfifo(string) error { return errors.New("no named pipes on this system") }
