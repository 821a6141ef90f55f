package tabular

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/tagdb/tagdb-action/builder/record"
)

// maxJSONKeys bounds the per-source cache of key → column. Real files have a
// handful of keys; a file with more distinct keys than this is classified key
// by key without being remembered, so memory stays flat.
const maxJSONKeys = 4096

// jsonReader streams a JSON array of objects token by token: only the current
// element is ever in memory, never the whole file.
type jsonReader struct {
	dec     *json.Decoder
	path    string
	skipped int64 // bytes before the decoder's input (BOM, leading blanks)
	events  record.Events
	cols    map[string]*column
	capNote bool // the "too many keys" note was reported
	b       rowBuilder
	list    []string
	n       int // 1-based index of the current element
}

func newJSONReader(r io.Reader, path string, opts Options) (*jsonReader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	j := &jsonReader{path: path, events: opts.Events, cols: make(map[string]*column)}
	if p, _ := br.Peek(3); string(p) == utf8BOM {
		br.Discard(3)
		j.skipped = 3
	}
	// Offsets in errors count from the start of the file; the decoder counts
	// from what it is given, so the BOM and leading blanks are added back.
	start := j.skipped
	for {
		c, err := br.ReadByte()
		if err != nil {
			break
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			br.UnreadByte()
			break
		}
		start++
	}
	j.skipped = start
	j.dec = json.NewDecoder(br)
	j.dec.UseNumber()
	j.b = rowBuilder{events: opts.Events, format: opts.Format}
	t, err := j.dec.Token()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file, expected a JSON array", path)
	}
	if err != nil {
		return nil, j.fail(err)
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return nil, fmt.Errorf("%s: not a JSON array of objects (found %s at byte offset %d)", path, describeToken(t), start)
	}
	return j, nil
}

func describeToken(t json.Token) string {
	switch t := t.(type) {
	case json.Delim:
		if t == '{' {
			return "an object"
		}
		return fmt.Sprintf("%q", string(t))
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

// fail turns a decoder error into one naming the file and byte offset.
func (j *jsonReader) fail(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%s: invalid JSON at byte offset %d: %v", j.path, se.Offset+j.skipped, se)
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: truncated JSON at byte offset %d", j.path, j.dec.InputOffset()+j.skipped)
	}
	return fmt.Errorf("%s: read JSON at byte offset %d: %w", j.path, j.dec.InputOffset()+j.skipped, err)
}

func (j *jsonReader) next(r *record.Row) (bool, error) {
	if j.dec == nil {
		return false, io.EOF
	}
	if !j.dec.More() {
		return false, j.end()
	}
	j.n++
	pos := fmt.Sprintf("row %d", j.n)
	t, err := j.dec.Token()
	if err != nil {
		return false, j.fail(err)
	}
	d, isDelim := t.(json.Delim)
	if !isDelim || d != '{' {
		if isDelim { // '[': consume the whole element
			if err := j.skip(1); err != nil {
				return false, j.fail(err)
			}
		}
		j.events.Skipped(record.Skip{Pos: pos, Reason: reasonNotAnObject})
		return false, nil
	}
	j.b.start(r, pos)
	for j.dec.More() {
		kt, err := j.dec.Token()
		if err != nil {
			return false, j.fail(err)
		}
		key, _ := kt.(string) // object keys are always strings
		col := j.column(key)
		v, err := j.value()
		if err != nil {
			return false, j.fail(err)
		}
		if col.role != roleUnknown && col.role != roleIgnored {
			j.b.set(col, v)
		}
	}
	if _, err := j.dec.Token(); err != nil { // '}'
		return false, j.fail(err)
	}
	return j.b.finish(), nil
}

// end consumes the closing ']' and makes sure nothing follows it.
func (j *jsonReader) end() error {
	t, err := j.dec.Token()
	if err != nil {
		return j.fail(err)
	}
	if d, ok := t.(json.Delim); !ok || d != ']' {
		return fmt.Errorf("%s: invalid JSON at byte offset %d", j.path, j.dec.InputOffset()+j.skipped)
	}
	if t, err := j.dec.Token(); err != io.EOF {
		if err != nil {
			return j.fail(err)
		}
		return fmt.Errorf("%s: %s after the JSON array, ending at byte offset %d", j.path, describeToken(t), j.dec.InputOffset()+j.skipped)
	}
	j.dec = nil
	return io.EOF
}

// column classifies key, remembering the answer and reporting an unknown key
// once per source.
func (j *jsonReader) column(key string) *column {
	if c, ok := j.cols[key]; ok {
		return c
	}
	c := classify(key, false)
	if len(j.cols) >= maxJSONKeys {
		if c.role == roleUnknown && !j.capNote {
			j.capNote = true
			j.events.Skipped(record.Skip{Pos: "header", Reason: fmt.Sprintf("more than %d distinct keys: further unknown keys ignored without report", maxJSONKeys)})
		}
		return &c
	}
	j.cols[key] = &c
	if c.role == roleUnknown {
		j.events.Skipped(record.Skip{Pos: "header", Reason: fmt.Sprintf("unknown column %q ignored", key)})
	}
	return &c
}

// value reads one object member's value. Arrays become lists of their scalar
// elements (nested arrays flattened, nulls dropped); an object anywhere in the
// value makes it cellOther.
func (j *jsonReader) value() (cell, error) {
	t, err := j.dec.Token()
	if err != nil {
		return cell{}, err
	}
	switch t := t.(type) {
	case string:
		return cell{kind: cellText, s: t}, nil
	case json.Number:
		return cell{kind: cellNumber, s: string(t)}, nil
	case bool:
		if t {
			return cell{kind: cellBool, s: "true"}, nil
		}
		return cell{kind: cellBool, s: "false"}, nil
	case nil:
		return cell{kind: cellNull}, nil
	case json.Delim:
		if t == '{' {
			return cell{kind: cellOther}, j.skip(1)
		}
		return j.list1()
	}
	return cell{kind: cellOther}, nil
}

// list1 reads the rest of an array whose '[' was consumed.
func (j *jsonReader) list1() (cell, error) {
	list := j.list[:0]
	depth, objDepth := 1, 0
	other := false
	for depth > 0 {
		t, err := j.dec.Token()
		if err != nil {
			return cell{}, err
		}
		switch t := t.(type) {
		case json.Delim:
			switch t {
			case '{':
				other = true
				depth++
				objDepth++
			case '[':
				depth++
				if objDepth > 0 {
					objDepth++
				}
			default: // ']' or '}'
				depth--
				if objDepth > 0 {
					objDepth--
				}
			}
		case string:
			if objDepth == 0 {
				list = append(list, t)
			}
		case json.Number:
			if objDepth == 0 {
				list = append(list, string(t))
			}
		case bool:
			if objDepth == 0 {
				if t {
					list = append(list, "true")
				} else {
					list = append(list, "false")
				}
			}
		}
	}
	j.list = list
	if other {
		return cell{kind: cellOther}, nil
	}
	return cell{kind: cellList, list: list}, nil
}

// skip consumes tokens until depth open brackets are closed.
func (j *jsonReader) skip(depth int) error {
	for depth > 0 {
		t, err := j.dec.Token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '[' || d == '{' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}
