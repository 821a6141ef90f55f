package recordtest

import (
	"errors"
	"io"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record"
)

// ReadAll drains src, rendering rows with RowString as they arrive (a batch
// is valid only until the next call). It returns the rows read before an
// error, with the error; an empty batch without io.EOF is an error.
func ReadAll(src record.Source) ([]string, error) {
	var rows []string
	for {
		b, err := src.Next()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		if len(b) == 0 {
			return rows, errors.New("the source's Next returned an empty batch without io.EOF")
		}
		for _, r := range b {
			rows = append(rows, RowString(r))
		}
	}
}

// DiffLines fails t with every line where got and want differ.
func DiffLines(t testing.TB, what string, got, want []string) {
	t.Helper()
	bad := false
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w || i >= len(got) || i >= len(want) {
			if !bad {
				t.Errorf("%s differ:", what)
				bad = true
			}
			t.Errorf("  #%d\n   got: %s\n  want: %s", i, g, w)
		}
	}
}
