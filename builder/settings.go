package builder

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseMaxBadRows reads a bad-row limit as the command line and the action
// take it: a count ("100", -1 for none) or a percentage ("5%"). It returns
// Options.MaxBadRows and Options.MaxBadPercent.
func ParseMaxBadRows(s string) (rows int64, percent float64, err error) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "%") {
		p, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		if err != nil || p < 0 || p > 100 {
			return 0, 0, fmt.Errorf("%q: want a count or a percentage such as 1%%", s)
		}
		return -1, p, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < -1 {
		return 0, 0, fmt.Errorf("%q: want a count or a percentage such as 1%%", s)
	}
	return n, 0, nil
}

// DefaultMaxShrink is the largest share (in percent) by which a source's
// row count may fall against the base release before the build fails.
const DefaultMaxShrink = 50.0

// ParseMaxShrink reads a shrink limit as sources.yml (max-shrink) and the
// command line (--max-shrink) take it: a percentage ("50%", "50") or "off".
// Off is -1: no check.
func ParseMaxShrink(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "off") {
		return -1, nil
	}
	p, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || p < 0 || p > 100 {
		return 0, fmt.Errorf("%q: want a percentage from 0%% to 100%% (such as 50%%) or off", s)
	}
	return p, nil
}

// BuildTimeFromEnv is the build time when none is given: SOURCE_DATE_EPOCH
// (for byte-identical rebuilds), else now.
func BuildTimeFromEnv(getenv func(string) string) (time.Time, error) {
	if s := getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", s)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Now().UTC(), nil
}
