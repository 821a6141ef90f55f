package builder

import (
	"testing"

	"github.com/tagdb/tagdb-action/builder/record"
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

func TestReasonClass(t *testing.T) {
	for _, tc := range []struct{ pos, reason, want string }{
		{"line 3", "NUL byte", "NUL byte"},
		{"line 3", "invalid UTF-8", "invalid UTF-8"},
		{"line 3", `count is not a number: "x"`, "count is not a number"},
		{"tags rowid 9", "tag_id 99 is not in TAGS", "tag_id N is not in TAGS"},
		{"tags rowid 9", "placeholder tag __missing_tag_id_42__", "placeholder tag __missing_tag_id_N__"},
		{"row 2", `unknown language "translation"`, `unknown language "…"`},
		{"line 4", "expected 3 fields, got 2", "expected N fields, got N"},
		{"line 7", "line longer than 65536 bytes", "line longer than 65536 bytes"},
		{"row 7", "tag longer than 1024 bytes", "tag longer than 1024 bytes"},
		{"header", `unknown column "foo" ignored`, "header note"},
	} {
		if got := reasonClass(record.Skip{Pos: tc.pos, Reason: tc.reason}); got != tc.want {
			t.Errorf("reasonClass(%q, %q) = %q, want %q", tc.pos, tc.reason, got, tc.want)
		}
	}
}

// TestCollectorReasonCap: a source with endless distinct reasons counts the
// ones past the cap as "other", and every row is still counted.
func TestCollectorReasonCap(t *testing.T) {
	c := &collector{unit: "x"}
	for i := range maxReasonClasses + 5 {
		c.Skipped(record.Skip{Pos: "line 1", Reason: "reason " + string(rune('a'+i))})
	}
	got := c.skipReasons()
	if len(got) != maxReasonClasses+1 || got["other"] != 5 {
		t.Errorf("reasons = %d classes, other = %d; want %d classes, other = 5", len(got), got["other"], maxReasonClasses+1)
	}
	if c.skippedCount() != maxReasonClasses+5 {
		t.Errorf("skipped = %d", c.skippedCount())
	}
}
