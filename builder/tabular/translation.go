package tabular

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/normalize"
)

// translationReader reads tag→translation CSVs such as boorutan's
// booru-japanese-tag (`1girl,一人の女の子`). Without a header the second
// column is in Options.Language; with one (first field tag, source_tag,
// danbooru_tag or title) every other column names its language. Rows are
// translation-only: they never create a tag or a TAG_STATUS row.
type translationReader struct {
	lines  *lineReader
	events record.Events
	langs  []string // language of each column; langs[0] is unused (the tag)
	fields []string
	// pending is the first line when it turned out not to be a header.
	pending    string
	pendingPos string
}

var errNoLanguage = errors.New("a headerless translation_csv source needs a language")

func newTranslationReader(r io.Reader, path string, opts Options) (*translationReader, error) {
	t := &translationReader{lines: newLineReader(r, path), events: opts.Events, fields: make([]string, 0, 4)}
	b, skip, err := t.lines.next()
	if err == io.EOF {
		// An empty file has no rows to misread; it needs no language either.
		return t, nil
	}
	if err != nil {
		return nil, err
	}
	var first string
	var f []string
	if skip == "" {
		first = string(b)
		f, err = splitLine(first, t.fields)
		if err != nil {
			skip = err.Error()
		}
	}
	if skip == "" {
		switch strings.ToLower(strings.TrimSpace(f[0])) {
		case "tag", "source_tag", "danbooru_tag", "title":
			if err := t.readHeader(path, f); err != nil {
				return nil, err
			}
			return t, nil
		}
	}
	// Headerless.
	if strings.TrimSpace(opts.Language) == "" {
		return nil, fmt.Errorf("%s: %w (%s is not a header naming tag and language columns)", path, errNoLanguage, t.lines.pos())
	}
	code, ok := normalize.LanguageCode(strings.TrimSpace(opts.Language))
	if !ok {
		return nil, fmt.Errorf("%s: language %q is not a known language", path, opts.Language)
	}
	t.langs = []string{"", code}
	if skip != "" {
		t.events.Skipped(record.Skip{Pos: t.lines.pos(), Reason: skip})
	} else {
		t.pending, t.pendingPos = first, t.lines.pos()
	}
	return t, nil
}

// readHeader maps each column after the tag column to its language code. An
// unknown column is an error: guessing (the Python builder took the first two
// letters, so "translation" became "tr") silently files text under a wrong
// language (docs/python-differences.md, W11).
func (t *translationReader) readHeader(path string, f []string) error {
	if len(f) < 2 {
		return fmt.Errorf("%s %s: header has no language column", path, t.lines.pos())
	}
	t.langs = make([]string, len(f))
	for i, name := range f[1:] {
		code, ok := normalize.LanguageCode(strings.TrimSpace(name))
		if !ok {
			return fmt.Errorf("%s %s: column %q is not a language column", path, t.lines.pos(), name)
		}
		t.langs[i+1] = code
	}
	return nil
}

func (t *translationReader) next(r *record.Row) (bool, error) {
	var line, pos string
	if t.pendingPos != "" {
		line, pos = t.pending, t.pendingPos
		t.pending, t.pendingPos = "", ""
	} else {
		if t.langs == nil {
			return false, io.EOF
		}
		b, skip, err := t.lines.next()
		if err != nil {
			return false, err
		}
		pos = t.lines.pos()
		if skip != "" {
			t.events.Skipped(record.Skip{Pos: pos, Reason: skip})
			return false, nil
		}
		line = string(b)
	}
	f, err := splitLine(line, t.fields)
	t.fields = f
	if err != nil {
		t.events.Skipped(record.Skip{Pos: pos, Reason: err.Error()})
		return false, nil
	}
	if len(f) != len(t.langs) {
		t.events.Skipped(record.Skip{Pos: pos, Reason: fmt.Sprintf("expected %d fields, got %d", len(t.langs), len(f))})
		return false, nil
	}
	tag := strings.TrimSpace(f[0])
	if tag == "" {
		t.events.Skipped(record.Skip{Pos: pos, Reason: reasonEmptyTag})
		return false, nil
	}
	r.Pos, r.Tag, r.Format = pos, tag, record.NoFormat
	for i := 1; i < len(f); i++ {
		if strings.TrimSpace(f[i]) != "" {
			r.Translations = append(r.Translations, record.Translation{Lang: t.langs[i], Text: f[i]})
		}
	}
	if len(r.Translations) == 0 {
		t.events.Skipped(record.Skip{Pos: pos, Reason: reasonNoTranslation})
		return false, nil
	}
	return true, nil
}
