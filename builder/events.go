package builder

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/tagdb/tagdb-action/builder/record"
)

// collector receives adapter events for one source unit and keeps what the
// reports need. Adapters may call it from their own goroutine.
type collector struct {
	unit string

	mu        sync.Mutex
	skipped   int64
	skips     []skipRow        // capped at maxSkipRows per unit; the rest are counted
	reasons   map[string]int64 // every skipped row, by reasonClass
	conflicts []record.AliasConflict
}

// maxReasonClasses bounds the distinct reasons counted per unit; the rest
// are counted under "other".
const maxReasonClasses = 32

// reasonClass is the stable part of a skip reason, what source_effects.tsv
// counts by: the text before the first ": " (`count is not a number: "x"`
// counts as "count is not a number"), with the numbers and quoted names that
// vary from row to row replaced (`tag_id 99 is not in TAGS` counts as
// `tag_id N is not in TAGS`; the limits of the length reasons stay), and
// every note on the header as one.
func reasonClass(s record.Skip) string {
	if s.Pos == "header" {
		return "header note"
	}
	r, _, _ := strings.Cut(s.Reason, ": ")
	if strings.HasSuffix(r, " bytes") {
		return r // a length limit ("tag longer than 1024 bytes"): fixed, and worth reading
	}
	r = quotedText.ReplaceAllString(r, `"…"`)
	return reasonNumber.ReplaceAllString(r, "${1}N")
}

var (
	quotedText   = regexp.MustCompile(`"[^"]*"`)
	reasonNumber = regexp.MustCompile(`(^|[ _#])[0-9]+`) // not the 8 of "UTF-8"
)

// maxSkipRows bounds skipped_rows.tsv per source: a broken multi-million-row
// file should produce a readable report, not a second copy of itself.
const maxSkipRows = 10000

type skipRow struct {
	unit, pos, reason string
}

func (c *collector) Skipped(s record.Skip) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.skipped++
	if c.reasons == nil {
		c.reasons = map[string]int64{}
	}
	class := reasonClass(s)
	if _, ok := c.reasons[class]; !ok && len(c.reasons) >= maxReasonClasses {
		class = "other"
	}
	c.reasons[class]++
	if len(c.skips) < maxSkipRows {
		c.skips = append(c.skips, skipRow{c.unit, s.Pos, s.Reason})
	}
}

func (c *collector) Conflict(a record.AliasConflict) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conflicts = append(c.conflicts, a)
}

func (c *collector) skippedCount() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skipped
}

// noteMiss records translations whose tag this edition does not have. They are
// expected (a translation list covers more tags than one edition holds), so
// they are listed in skipped_rows.tsv but do not count as bad rows.
func (c *collector) noteMiss(tag string, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.skips) < maxSkipRows {
		c.skips = append(c.skips, skipRow{c.unit, fmt.Sprintf("tag %q", tag), fmt.Sprintf("%d translation(s) for a tag not in this edition", n)})
	}
}

func (c *collector) firstSkips(n int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var parts []string
	for i := 0; i < len(c.skips) && i < n; i++ {
		parts = append(parts, c.skips[i].pos+": "+c.skips[i].reason)
	}
	return strings.Join(parts, "; ")
}

// skipReasons returns a copy of the skipped rows' counts by reason.
func (c *collector) skipReasons() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int64, len(c.reasons))
	for r, n := range c.reasons {
		out[r] = n
	}
	return out
}
