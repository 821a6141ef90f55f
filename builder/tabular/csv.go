package tabular

import (
	"fmt"
	"io"
	"strings"

	"github.com/tagdb/tagdb-action/builder/record"
)

// csvReader reads a headered CSV with the shared column mapping. Every cell is
// text; an empty cell is a missing value.
type csvReader struct {
	lines  *lineReader
	events record.Events
	cols   []column
	fields []string
	b      rowBuilder
}

func newCSVReader(r io.Reader, path string, opts Options) (*csvReader, error) {
	c := &csvReader{lines: newLineReader(r, path), events: opts.Events, fields: make([]string, 0, 16)}
	c.b = rowBuilder{events: opts.Events, format: opts.Format}
	b, skip, err := c.lines.next()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file, expected a header line", path)
	}
	if err != nil {
		return nil, err
	}
	if skip != "" {
		return nil, fmt.Errorf("%s %s: header: %s", path, c.lines.pos(), skip)
	}
	names, err := splitLine(string(b), nil)
	if err != nil {
		return nil, fmt.Errorf("%s %s: header: %w", path, c.lines.pos(), err)
	}
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	c.cols, err = classifyAll(names, opts.Events)
	if err != nil {
		return nil, fmt.Errorf("%s %s: header: %w", path, c.lines.pos(), err)
	}
	return c, nil
}

func (c *csvReader) next(r *record.Row) (bool, error) {
	b, skip, err := c.lines.next()
	if err != nil {
		return false, err
	}
	pos := c.lines.pos()
	if skip != "" {
		c.events.Skipped(record.Skip{Pos: pos, Reason: skip})
		return false, nil
	}
	f, err := splitLine(string(b), c.fields)
	c.fields = f
	if err != nil {
		c.events.Skipped(record.Skip{Pos: pos, Reason: err.Error()})
		return false, nil
	}
	if len(f) != len(c.cols) {
		c.events.Skipped(record.Skip{Pos: pos, Reason: fmt.Sprintf("expected %d fields, got %d", len(c.cols), len(f))})
		return false, nil
	}
	c.b.start(r, pos)
	for i := range c.cols {
		col := &c.cols[i]
		if col.role == roleUnknown || col.role == roleIgnored {
			continue
		}
		v := cell{kind: cellText, s: f[i]}
		if strings.TrimSpace(f[i]) == "" {
			v = cell{kind: cellNull}
		}
		c.b.set(col, v)
	}
	return c.b.finish(), nil
}
