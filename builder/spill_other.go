//go:build !unix

package builder

import (
	"errors"
	"os"
)

// canMap is false: without mmap the merge state stays on Go's heap, and the
// build says so when it passes its share of the budget.
const canMap = false

func mapFile(*os.File, int64, int64) ([]byte, error) {
	return nil, errors.New("file mappings are not available on this platform")
}

func unmap([]byte)                     {}
func dontNeed([]byte)                  {}
func punchHole(*os.File, int64, int64) {}

type trimmer struct{}

func startTrimmer(*chunkSource) *trimmer { return &trimmer{} }
func (*trimmer) stop()                   {}

// resident is unknown here (and nothing is mapped).
func resident() (total, file int64, ok bool) { return 0, 0, false }
