//go:build !unix

package pack

import "time"

// processCPU is unknown here: benchmarks then report no cpu% metric.
func processCPU() (time.Duration, bool) { return 0, false }
