package sqltext

import (
	"errors"
	"fmt"
	"strings"
)

// SyntaxError is SQL text that cannot be cut into tokens or statements, with
// the line where the trouble starts, so callers can point at it without
// reading the message.
type SyntaxError struct {
	Line int
	Err  error
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *SyntaxError) Unwrap() error { return e.Err }

func syntaxErr(line int, msg string) error { return &SyntaxError{Line: line, Err: errors.New(msg)} }

// Kind classifies a token.
type Kind int

const (
	// Word is a keyword or a bare identifier.
	Word Kind = iota
	// Ident is a quoted identifier: "x", `x` or [x].
	Ident
	// String is a string or blob literal: 'x', X'00'.
	String
	// Number is a numeric literal.
	Number
	// Punct is an operator or punctuation mark.
	Punct
)

// Token is one lexical unit of SQL text.
type Token struct {
	Kind Kind
	Text string // exactly as written, quotes included
	Pos  int    // byte offset in the source
	Line int    // 1-based line of the first byte
}

// Is reports whether t is the unquoted keyword kw (case-insensitive).
func (t Token) Is(kw string) bool { return t.Kind == Word && strings.EqualFold(t.Text, kw) }

// Name returns the identifier a Word or Ident token names, quotes removed.
func (t Token) Name() string {
	if t.Kind != Ident || len(t.Text) < 2 {
		return t.Text
	}
	body := t.Text[1 : len(t.Text)-1]
	switch t.Text[0] {
	case '"':
		return strings.ReplaceAll(body, `""`, `"`)
	case '`':
		return strings.ReplaceAll(body, "``", "`")
	}
	return body // [x] has no escape
}

// Tokenize splits sql into tokens, dropping whitespace and comments. An
// unterminated string, quoted identifier or block comment is an error naming
// its line, because a statement split after it would be wrong.
func Tokenize(sql string) ([]Token, error) {
	var toks []Token
	line := 1
	i := 0
	n := len(sql)
	for i < n {
		c := sql[i]
		start, startLine := i, line
		switch {
		case c == '\n':
			line++
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '-' && i+1 < n && sql[i+1] == '-':
			for i < n && sql[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < n && sql[i+1] == '*':
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				return nil, syntaxErr(startLine, "unterminated /* comment")
			}
			line += strings.Count(sql[i:i+2+end+2], "\n")
			i += 2 + end + 2
			continue
		case c == '\'' || c == '"' || c == '`':
			j, err := closeQuote(sql, i, c)
			if err != nil {
				return nil, &SyntaxError{Line: startLine, Err: err}
			}
			kind := Ident
			if c == '\'' {
				kind = String
			}
			toks = append(toks, Token{Kind: kind, Text: sql[i:j], Pos: start, Line: startLine})
			line += strings.Count(sql[i:j], "\n")
			i = j
			continue
		case c == '[':
			end := strings.IndexByte(sql[i:], ']')
			if end < 0 {
				return nil, syntaxErr(startLine, "unterminated [identifier")
			}
			j := i + end + 1
			toks = append(toks, Token{Kind: Ident, Text: sql[i:j], Pos: start, Line: startLine})
			line += strings.Count(sql[i:j], "\n")
			i = j
			continue
		case (c == 'x' || c == 'X') && i+1 < n && sql[i+1] == '\'':
			j, err := closeQuote(sql, i+1, '\'')
			if err != nil {
				return nil, &SyntaxError{Line: startLine, Err: err}
			}
			toks = append(toks, Token{Kind: String, Text: sql[i:j], Pos: start, Line: startLine})
			i = j
			continue
		case isDigit(c) || (c == '.' && i+1 < n && isDigit(sql[i+1])):
			j := i + 1
			for j < n && (isWordByte(sql[j]) || sql[j] == '.' ||
				((sql[j] == '+' || sql[j] == '-') && (sql[j-1] == 'e' || sql[j-1] == 'E'))) {
				j++
			}
			toks = append(toks, Token{Kind: Number, Text: sql[i:j], Pos: start, Line: startLine})
			i = j
			continue
		case isWordByte(c) || c >= 0x80:
			j := i + 1
			for j < n && (isWordByte(sql[j]) || sql[j] == '$' || sql[j] >= 0x80) {
				j++
			}
			toks = append(toks, Token{Kind: Word, Text: sql[i:j], Pos: start, Line: startLine})
			i = j
			continue
		}
		// Operators: longest match first.
		j := i + 1
		if i+1 < n {
			switch sql[i : i+2] {
			case "!=", "<>", "<=", ">=", "==", "||", "<<", ">>", "->":
				j = i + 2
				if sql[i:i+2] == "->" && i+2 < n && sql[i+2] == '>' {
					j = i + 3
				}
			}
		}
		toks = append(toks, Token{Kind: Punct, Text: sql[i:j], Pos: start, Line: startLine})
		i = j
	}
	return toks, nil
}

// closeQuote returns the index just past the quote that closes the one at i;
// a doubled quote is an escaped quote.
func closeQuote(sql string, i int, q byte) (int, error) {
	for j := i + 1; j < len(sql); j++ {
		if sql[j] != q {
			continue
		}
		if j+1 < len(sql) && sql[j+1] == q {
			j++
			continue
		}
		return j + 1, nil
	}
	return 0, fmt.Errorf("unterminated %c quote", q)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool {
	return c == '_' || isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// Statement is one SQL statement of a script.
type Statement struct {
	SQL    string  // the statement text, from its first token to its semicolon
	Line   int     // line of its first token
	Tokens []Token // its tokens, semicolon excluded
}

// Split cuts a script into statements. A semicolon ends a statement unless it
// is inside a CREATE TRIGGER body, which ends at the semicolon after its END
// (CASE ... END inside the body is counted so its END is not mistaken for it).
func Split(sql string) ([]Statement, error) {
	toks, err := Tokenize(sql)
	if err != nil {
		return nil, err
	}
	var out []Statement
	begin := 0
	caseDepth := 0
	endsTrigger := false // the last END seen closed the trigger body, not a CASE
	for i, t := range toks {
		if t.Kind == Word && isTrigger(toks[begin:i]) {
			switch {
			case t.Is("CASE"):
				caseDepth++
			case t.Is("END") && caseDepth > 0:
				caseDepth--
				endsTrigger = false
			case t.Is("END"):
				endsTrigger = true
			}
		}
		if t.Kind != Punct || t.Text != ";" {
			continue
		}
		body := toks[begin:i]
		if isTrigger(body) && !(len(body) > 0 && body[len(body)-1].Is("END") && endsTrigger) {
			continue
		}
		if len(body) > 0 {
			out = append(out, Statement{
				SQL:    sql[body[0].Pos : t.Pos+1],
				Line:   body[0].Line,
				Tokens: body,
			})
		}
		begin = i + 1
		caseDepth = 0
		endsTrigger = false
	}
	if rest := toks[begin:]; len(rest) > 0 {
		last := rest[len(rest)-1]
		if isTrigger(rest) {
			return nil, syntaxErr(rest[0].Line, "CREATE TRIGGER without END;")
		}
		out = append(out, Statement{SQL: sql[rest[0].Pos : last.Pos+len(last.Text)], Line: rest[0].Line, Tokens: rest})
	}
	return out, nil
}

// Mentions returns the line of the statement's first identifier (bare or
// quoted) that names name, compared case-insensitively as SQLite does; 0 when
// none does or name is "". String literals and comments never count.
func (s Statement) Mentions(name string) int {
	if name == "" {
		return 0
	}
	for _, t := range s.Tokens {
		if isName(t) && strings.EqualFold(t.Name(), name) {
			return t.Line
		}
	}
	return 0
}

// isTrigger reports whether the statement so far is CREATE [TEMP] TRIGGER.
func isTrigger(toks []Token) bool {
	if len(toks) < 2 || !toks[0].Is("CREATE") {
		return false
	}
	k := 1
	if toks[k].Is("TEMP") || toks[k].Is("TEMPORARY") {
		k++
	}
	return k < len(toks) && toks[k].Is("TRIGGER")
}

// AddColumn recognises ALTER TABLE [schema.]table ADD [COLUMN] column ... and
// returns the table and column names, unquoted.
func AddColumn(st Statement) (table, column string, ok bool) {
	t := st.Tokens
	if len(t) < 5 || !t[0].Is("ALTER") || !t[1].Is("TABLE") {
		return "", "", false
	}
	k := 2
	if !isName(t[k]) {
		return "", "", false
	}
	table = t[k].Name()
	k++
	if k+1 < len(t) && t[k].Kind == Punct && t[k].Text == "." && isName(t[k+1]) {
		table = t[k+1].Name()
		k += 2
	}
	if k >= len(t) || !t[k].Is("ADD") {
		return "", "", false
	}
	k++
	if k < len(t) && t[k].Is("COLUMN") {
		k++
	}
	if k >= len(t) || !isName(t[k]) {
		return "", "", false
	}
	return table, t[k].Name(), true
}

func isName(t Token) bool { return t.Kind == Word || t.Kind == Ident }

// Check is a CHECK constraint found in a CREATE TABLE statement.
type Check struct {
	Name string // the CONSTRAINT name, "" when unnamed
	Expr string // the expression, normalised by Normalize
}

// Checks finds every CHECK constraint (column or table constraint) in a CREATE
// TABLE statement. The expression is compared by meaning of its tokens, so
// whitespace, letter case of keywords and identifiers, and identifier quoting do
// not matter.
func Checks(createSQL string) ([]Check, error) {
	toks, err := Tokenize(createSQL)
	if err != nil {
		return nil, err
	}
	var out []Check
	for i := 0; i < len(toks); i++ {
		if !toks[i].Is("CHECK") || i+1 >= len(toks) || toks[i+1].Text != "(" {
			continue
		}
		depth := 0
		j := i + 1
		for ; j < len(toks); j++ {
			if toks[j].Kind != Punct {
				continue
			}
			if toks[j].Text == "(" {
				depth++
			} else if toks[j].Text == ")" {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j >= len(toks) {
			return nil, syntaxErr(toks[i].Line, "CHECK without closing parenthesis")
		}
		c := Check{Expr: Normalize(toks[i+2 : j])}
		if i >= 2 && toks[i-2].Is("CONSTRAINT") && isName(toks[i-1]) {
			c.Name = toks[i-1].Name()
		}
		out = append(out, c)
		i = j
	}
	return out, nil
}

// Normalize renders tokens canonically: keywords and identifiers lower-cased and
// unquoted (SQLite identifiers are case-insensitive), string literals verbatim,
// one space between tokens except inside parentheses and before commas, and
// the operator spellings <> and == folded to != and =.
func Normalize(toks []Token) string {
	var b strings.Builder
	prev := ""
	for _, t := range toks {
		text := t.Text
		switch t.Kind {
		case Word, Ident:
			text = strings.ToLower(t.Name())
			if t.Kind == Ident && !plainIdent(text) {
				text = `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
			}
		case Punct:
			switch text {
			case "<>":
				text = "!="
			case "==":
				text = "="
			}
		}
		if b.Len() > 0 && prev != "(" && text != ")" && text != "," && !(text == "(" && isCall(prev)) {
			b.WriteByte(' ')
		}
		b.WriteString(text)
		prev = text
	}
	return b.String()
}

// isCall reports whether a "(" after prev opens an argument list (f(x)) rather
// than a parenthesised expression (and (x)).
func isCall(prev string) bool {
	if prev == "" || !plainIdent(prev) {
		return false
	}
	switch prev {
	case "and", "or", "not", "in", "is", "when", "then", "else", "case", "check", "exists", "between", "like", "glob":
		return false
	}
	return true
}

func plainIdent(s string) bool {
	if s == "" || isDigit(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) {
			return false
		}
	}
	return true
}
