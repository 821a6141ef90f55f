package tabular

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/tagdb/tagdb-action/builder/record"
	"github.com/tagdb/tagdb-action/internal/parquetcheck"
)

// parquetRowsPerRead is how many rows are decoded per ReadRows call; pages are
// read lazily, so memory stays at a few pages per column.
const parquetRowsPerRead = 512

// conv says how the values of a leaf column become cells.
type conv uint8

const (
	convText conv = iota + 1
	convInt
	convFloat
	convBool
	convTimestamp // INT64 TIMESTAMP
	convDate      // INT32 DATE
)

// pqLeaf is a leaf column that feeds a known role.
type pqLeaf struct {
	col  *column
	conv conv
	list bool          // repeated: every value is one list element
	unit time.Duration // convTimestamp
	utc  bool          // convTimestamp: isAdjustedToUTC
}

// parquetReader reads any Parquet table through the shared column mapping,
// row group by row group.
type parquetReader struct {
	ctx    context.Context
	path   string
	groups []parquet.RowGroup
	g      int
	rows   parquet.Rows
	buf    []parquet.Row
	bufI   int
	bufN   int
	eof    bool
	leaves []*pqLeaf // by leaf column index; nil = not read
	b      rowBuilder
	n      int64 // 1-based number of the current row
	one    []string
}

func newParquetReader(ctx context.Context, in io.ReaderAt, size int64, path string, opts Options) (*parquetReader, error) {
	pf, err := parquetcheck.Open(ctx, in, size)
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid Parquet file: %w", path, err)
	}
	p := &parquetReader{
		ctx:    ctx,
		path:   path,
		groups: pf.RowGroups(),
		buf:    make([]parquet.Row, parquetRowsPerRead),
		b:      rowBuilder{events: opts.Events, format: opts.Format},
		one:    make([]string, 1),
	}
	if err := p.mapSchema(pf.Schema(), opts.Events); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// mapSchema classifies the top-level fields and checks that every column the
// mapping reads has a type it can use.
func (p *parquetReader) mapSchema(schema *parquet.Schema, events record.Events) error {
	fields := schema.Fields()
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name()
	}
	cols, err := classifyAll(names, events)
	if err != nil {
		return err
	}
	byName := make(map[string]*column, len(cols))
	for i := range cols {
		byName[cols[i].name] = &cols[i]
	}
	paths := schema.Columns()
	p.leaves = make([]*pqLeaf, len(paths))
	leavesOf := make(map[string]int)
	for _, path := range paths {
		col := byName[path[0]]
		if col == nil || col.role == roleUnknown || col.role == roleIgnored {
			continue
		}
		leaf, ok := schema.Lookup(path...)
		if !ok {
			continue
		}
		leavesOf[col.name]++
		if leavesOf[col.name] > 1 {
			return fmt.Errorf("column %q has several fields, want a single value or a list of strings", col.name)
		}
		pl, err := leafConv(col, leaf)
		if err != nil {
			return err
		}
		p.leaves[leaf.ColumnIndex] = pl
	}
	return nil
}

// leafConv checks a leaf column's type against what its role needs.
func leafConv(col *column, leaf parquet.LeafColumn) (*pqLeaf, error) {
	pl := &pqLeaf{col: col, list: leaf.MaxRepetitionLevel > 0}
	listRole := col.role == roleAliases || col.role == roleLang
	if pl.list && !listRole {
		return nil, fmt.Errorf("column %q is a list, want a single value", col.name)
	}
	if !pl.list && len(leaf.Path) > 1 {
		return nil, fmt.Errorf("column %q is a group, want a single value", col.name)
	}
	t := leaf.Node.Type()
	kind := t.Kind()
	var lt format.LogicalTypeValue
	if l := t.LogicalType(); l != nil {
		lt = l.Value
	}
	var ct deprecated.ConvertedType = -1
	if c := t.ConvertedType(); c != nil {
		ct = *c
	}
	want := ""
	switch col.role {
	case roleTag, roleAliases, roleLang:
		want = "a string"
		if kind == parquet.ByteArray {
			pl.conv = convText
		}
	case roleType, roleFormat, roleCount:
		want = "an integer"
		switch {
		case isTimeType(lt, ct):
		case kind == parquet.Int32 || kind == parquet.Int64:
			pl.conv = convInt
		case kind == parquet.Float || kind == parquet.Double:
			pl.conv = convFloat
		case kind == parquet.ByteArray:
			pl.conv = convText
		}
	case roleDeprecated, roleDeleted:
		want = "a boolean"
		switch {
		case kind == parquet.Boolean:
			pl.conv = convBool
		case isTimeType(lt, ct):
		case kind == parquet.Int32 || kind == parquet.Int64:
			pl.conv = convInt
		case kind == parquet.ByteArray:
			pl.conv = convText
		}
	case roleCreated, roleUpdated:
		want = "a timestamp or a string"
		ts, isTS := lt.(*format.TimestampType)
		_, isDate := lt.(*format.DateType)
		switch {
		case isTS && kind == parquet.Int64:
			pl.conv, pl.unit, pl.utc = convTimestamp, time.Duration(0), ts.IsAdjustedToUTC
			if ts.Unit.Value != nil {
				pl.unit = ts.Unit.Value.Duration()
			}
		case lt == nil && kind == parquet.Int64 && (ct == deprecated.TimestampMillis || ct == deprecated.TimestampMicros):
			pl.conv, pl.utc = convTimestamp, true
			pl.unit = time.Millisecond
			if ct == deprecated.TimestampMicros {
				pl.unit = time.Microsecond
			}
		case (isDate || (lt == nil && ct == deprecated.Date)) && kind == parquet.Int32:
			pl.conv = convDate
		case kind == parquet.ByteArray:
			pl.conv = convText
		}
		if pl.conv == convTimestamp && pl.unit == 0 {
			pl.conv = 0
		}
	}
	if pl.conv == 0 {
		return nil, fmt.Errorf("column %q has type %s, want %s", col.name, typeName(t), want)
	}
	return pl, nil
}

func isTimeType(lt format.LogicalTypeValue, ct deprecated.ConvertedType) bool {
	switch lt.(type) {
	case *format.TimestampType, *format.DateType, *format.TimeType:
		return true
	}
	switch ct {
	case deprecated.TimestampMillis, deprecated.TimestampMicros, deprecated.Date,
		deprecated.TimeMillis, deprecated.TimeMicros:
		return true
	}
	return false
}

func (p *parquetReader) next(r *record.Row) (bool, error) {
	for p.bufI >= p.bufN {
		if p.eof {
			return false, io.EOF
		}
		if err := p.fill(); err != nil {
			return false, err
		}
	}
	row := p.buf[p.bufI]
	p.bufI++
	p.n++
	pos := "row " + strconv.FormatInt(p.n, 10)
	p.b.start(r, pos)
	for _, v := range row {
		c := v.Column()
		if c < 0 || c >= len(p.leaves) || p.leaves[c] == nil {
			continue
		}
		leaf := p.leaves[c]
		if leaf.list {
			if v.IsNull() {
				continue // a null list, an empty list or a null element
			}
			cv := p.cell(leaf, v)
			if cv.kind == cellText || cv.kind == cellNumber {
				p.one[0] = cv.s
				cv = cell{kind: cellList, list: p.one}
			}
			p.b.set(leaf.col, cv)
			continue
		}
		if v.IsNull() {
			p.b.set(leaf.col, cell{kind: cellNull})
			continue
		}
		p.b.set(leaf.col, p.cell(leaf, v))
	}
	return p.b.finish(), nil
}

// cell converts one non-null value.
func (p *parquetReader) cell(leaf *pqLeaf, v parquet.Value) cell {
	switch leaf.conv {
	case convText:
		s := string(v.ByteArray())
		if !utf8.ValidString(s) {
			return cell{kind: cellBadText}
		}
		return cell{kind: cellText, s: s}
	case convInt:
		if v.Kind() == parquet.Int32 {
			return cell{kind: cellNumber, s: strconv.FormatInt(int64(v.Int32()), 10)}
		}
		return cell{kind: cellNumber, s: strconv.FormatInt(v.Int64(), 10)}
	case convFloat:
		if v.Kind() == parquet.Float {
			return cell{kind: cellNumber, s: strconv.FormatFloat(float64(v.Float()), 'g', -1, 32)}
		}
		return cell{kind: cellNumber, s: strconv.FormatFloat(v.Double(), 'g', -1, 64)}
	case convBool:
		if v.Boolean() {
			return cell{kind: cellBool, s: "true"}
		}
		return cell{kind: cellBool, s: "false"}
	case convTimestamp:
		var t time.Time
		switch leaf.unit {
		case time.Millisecond:
			t = time.UnixMilli(v.Int64())
		case time.Microsecond:
			t = time.UnixMicro(v.Int64())
		default:
			t = time.Unix(0, v.Int64())
		}
		// A timestamp not adjusted to UTC is a wall-clock time: rendered
		// without a zone.
		return cell{kind: cellTime, s: formatTime(t.UTC(), leaf.utc)}
	case convDate:
		t := time.Unix(int64(v.Int32())*86400, 0).UTC()
		return cell{kind: cellTime, s: formatTime(t, false)}
	}
	return cell{kind: cellOther}
}

// fill decodes the next rows, moving on through the row groups.
func (p *parquetReader) fill() (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%s row %d: corrupt Parquet data: %v", p.path, p.n+1, v)
		}
	}()
	for idle := 0; ; {
		if p.rows == nil {
			if p.g >= len(p.groups) {
				p.eof = true
				p.bufI, p.bufN = 0, 0
				return nil
			}
			if err := p.ctx.Err(); err != nil {
				return err
			}
			p.rows = p.groups[p.g].Rows()
			p.g++
		}
		n, err := p.rows.ReadRows(p.buf)
		p.bufI, p.bufN = 0, n
		if errors.Is(err, io.EOF) {
			p.rows.Close()
			p.rows = nil
			err = nil
		}
		if err != nil {
			return fmt.Errorf("%s row %d: read Parquet: %w", p.path, p.n+1, err)
		}
		if n > 0 {
			return nil
		}
		if p.rows != nil {
			if idle++; idle > 3 {
				return fmt.Errorf("%s row %d: read Parquet: no progress", p.path, p.n+1)
			}
		}
	}
}

// Close releases the current row group's reader.
func (p *parquetReader) Close() error {
	if p.rows != nil {
		err := p.rows.Close()
		p.rows = nil
		return err
	}
	return nil
}

// typeName names a column type for messages: the physical type, with the
// logical annotation when there is one ("INT64", "INT32 (DATE)").
func typeName(t parquet.Type) string {
	name := t.Kind().String()
	if lt := t.LogicalType(); lt != nil && lt.Value != nil {
		name += " (" + lt.String() + ")"
	}
	return name
}
