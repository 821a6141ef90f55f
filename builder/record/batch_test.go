package record

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// feed is a next func over a script: each entry is a tag to emit, "-" for a
// skipped record, "!" for a failure; io.EOF after the last entry.
func feed(script ...string) func(r *Row) (bool, error) {
	i := 0
	return func(r *Row) (bool, error) {
		if i == len(script) {
			return false, io.EOF
		}
		s := script[i]
		i++
		switch s {
		case "-":
			r.Tag = "skipped"
			return false, nil
		case "!":
			return false, errors.New("bad record")
		}
		*r = Row{Tag: s, Aliases: r.Aliases[:0]}
		return true, nil
	}
}

func tags(rows []Row) string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Tag)
	}
	return strings.Join(out, ",")
}

func TestFillBatch(t *testing.T) {
	tests := []struct {
		name   string
		size   int
		script []string
		want   []string // one entry per Next call: the batch's tags, "EOF" or "error"
	}{
		{"empty source", 2, nil, []string{"EOF", "EOF"}},
		{"exact batches", 2, []string{"a", "b", "c", "d"}, []string{"a,b", "c,d", "EOF"}},
		{"short last batch", 3, []string{"a", "b", "c", "d"}, []string{"a,b,c", "d", "EOF"}},
		{"skipped records reuse their slot", 2, []string{"-", "a", "-", "-", "b", "c"}, []string{"a,b", "c", "EOF"}},
		{"only skipped records", 2, []string{"-", "-", "-"}, []string{"EOF"}},
		{"error drops the partial batch", 3, []string{"a", "!", "b"}, []string{"error", "b", "EOF"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := make([]Row, tt.size)
			next := feed(tt.script...)
			var got []string
			for range tt.want {
				rows, err := FillBatch(buf, next)
				switch {
				case err == io.EOF:
					got = append(got, "EOF")
				case err != nil:
					got = append(got, "error")
				default:
					got = append(got, tags(rows))
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("batches %v, want %v", got, tt.want)
			}
		})
	}
}
