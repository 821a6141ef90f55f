package prefixtop

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
)

// Table is the table's name.
const Table = "TAG_PREFIX_TOP"

// Depth is how many tags the builder keeps per prefix: the largest limit
// `tagdb search --prefix` uses by default (20). A reader asking for more
// answers from TAGS.
const Depth = 20

// MinTags is how many tags a prefix must match before the builder stores its
// top tags. Measured at scale 1.0 (BENCHMARKS.md, "Search"): with 2,000 the
// prefixes answered from TAGS still cost up to 6 ms of CPU at the 99th
// percentile, with 300 2.6 ms, with 100 2.4 ms for twice the rows. 300 keeps
// about 10,600 prefixes, a few MiB.
const MinTags = 300

// Row is one row of the table.
type Row struct {
	Prefix string
	Rank   int // 1 for the first tag
	TagID  int64
	Count  int64
}

// Querier is what Compute reads through: a *sql.DB, *sql.Conn or *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Fold lower-cases ASCII letters and nothing else: SQLite's NOCASE. Two tags
// compare under NOCASE as their folds compare byte by byte.
func Fold(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for j := i; j < len(b); j++ {
		if 'A' <= b[j] && b[j] <= 'Z' {
			b[j] += 'a' - 'A'
		}
	}
	return string(b)
}

// Stats describes a computation.
type Stats struct {
	Tags     int // TAGS rows read
	Prefixes int // prefixes kept
	Rows     int // table rows
}

// Compute reads TAGS, TAG_STATUS and TAG_USAGE_COUNTS and returns the top
// depth tags of every prefix that keep accepts, sorted by prefix and rank.
// keep is told the prefix and how many tags (qualifying or not) start with
// it; the builder keeps the prefixes of at least MinTags tags, the
// validation the prefixes a file holds.
func Compute(ctx context.Context, q Querier, depth int, keep func(prefix string, tags int) bool) ([]Row, Stats, error) {
	var st Stats
	rk, err := readRanks(ctx, q)
	if err != nil {
		return nil, st, err
	}
	w := &walker{depth: depth, keep: keep}
	// ix_tags_tag_nocase yields TAGS in NOCASE order without a sort.
	rows, err := q.QueryContext(ctx, `SELECT tag_id, tag FROM TAGS ORDER BY tag COLLATE NOCASE`)
	if err != nil {
		return nil, st, fmt.Errorf("read TAGS: %w", err)
	}
	defer rows.Close()
	prev := ""
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return nil, st, fmt.Errorf("read TAGS: %w", err)
		}
		key := Fold(tag)
		if key < prev {
			return nil, st, fmt.Errorf("read TAGS: tag_id %d (%q) arrives out of NOCASE order", id, tag)
		}
		prev = key
		c, ok := rk.get(id)
		w.add(key, hit{id: id, count: c}, ok)
		st.Tags++
	}
	if err := rows.Err(); err != nil {
		return nil, st, fmt.Errorf("read TAGS: %w", err)
	}
	w.finish()
	slices.SortFunc(w.out, func(a, b Row) int {
		if c := strings.Compare(a.Prefix, b.Prefix); c != 0 {
			return c
		}
		return a.Rank - b.Rank
	})
	st.Rows = len(w.out)
	for i, r := range w.out {
		if i == 0 || r.Prefix != w.out[i-1].Prefix {
			st.Prefixes++
		}
	}
	return w.out, st, nil
}

// hit is one ranked tag.
type hit struct {
	id, count int64
}

// before is the ranking order: higher count first, then lower id.
func (h hit) before(o hit) bool {
	return h.count > o.count || h.count == o.count && h.id < o.id
}

// node is one open prefix of the walk: the tags under it so far and their
// top depth qualifying ones, best first.
type node struct {
	prefix string
	tags   int
	top    []hit
}

// walker visits the tags in folded order and keeps a stack of the prefixes
// of the current tag, one per character. A prefix closes when a tag that
// does not start with it arrives; its tag count and top list then go to
// the prefix one character shorter, so each tag is ranked where it is read
// and every list is a merge of its children's.
type walker struct {
	depth int
	keep  func(string, int) bool
	stack []node // stack[0] is the empty prefix
	n     int    // open nodes
	out   []Row
}

func (w *walker) add(key string, h hit, qualifies bool) {
	if w.n == 0 {
		w.push("")
	}
	// Close the prefixes the new key does not extend.
	for w.n > 1 && !strings.HasPrefix(key, w.stack[w.n-1].prefix) {
		w.pop()
	}
	for plen := len(w.stack[w.n-1].prefix); plen < len(key); {
		_, size := utf8.DecodeRuneInString(key[plen:])
		plen += size
		w.push(key[:plen])
	}
	top := &w.stack[w.n-1] // key itself: the loop above opened it
	top.tags++
	if qualifies {
		top.top = insert(top.top, h, w.depth)
	}
}

func (w *walker) push(prefix string) {
	if w.n == len(w.stack) {
		w.stack = append(w.stack, node{})
	}
	nd := &w.stack[w.n]
	nd.prefix, nd.tags, nd.top = prefix, 0, nd.top[:0]
	w.n++
}

func (w *walker) pop() {
	nd := &w.stack[w.n-1]
	w.n--
	if nd.prefix != "" && w.keep(nd.prefix, nd.tags) {
		for i, h := range nd.top {
			w.out = append(w.out, Row{Prefix: nd.prefix, Rank: i + 1, TagID: h.id, Count: h.count})
		}
	}
	if w.n > 0 {
		parent := &w.stack[w.n-1]
		parent.tags += nd.tags
		for _, h := range nd.top {
			parent.top = insert(parent.top, h, w.depth)
		}
	}
}

func (w *walker) finish() {
	for w.n > 0 {
		w.pop()
	}
}

// insert adds h to the ranked list top, keeping at most depth entries.
func insert(top []hit, h hit, depth int) []hit {
	if len(top) == depth && !h.before(top[len(top)-1]) {
		return top
	}
	i, _ := slices.BinarySearchFunc(top, h, func(a, b hit) int {
		if a.before(b) {
			return -1
		}
		if b.before(a) {
			return 1
		}
		return 0
	})
	if len(top) < depth {
		top = append(top, hit{})
	}
	copy(top[i+1:], top[i:len(top)-1])
	top[i] = h
	return top
}

// ranks holds, per tag id, whether the tag qualifies and its ranking count,
// in four bytes: 0 when it does not qualify, 1 when it qualifies without a
// count (it ranks as 0), else the count + 2. Counts outside that encoding
// (negative, or 2^32 - 3 and above) sit in big under the value unusual.
type ranks struct {
	dense  []uint32
	sparse map[int64]uint32
	big    map[int64]int64
}

const unusual = math.MaxUint32

func (r *ranks) raw(id int64) uint32 {
	if r.dense != nil {
		if id < 0 || id >= int64(len(r.dense)) {
			return 0
		}
		return r.dense[id]
	}
	return r.sparse[id]
}

func (r *ranks) set(id int64, v uint32) {
	if r.dense != nil {
		r.dense[id] = v
		return
	}
	r.sparse[id] = v
}

// get returns the tag's ranking count and whether it qualifies.
func (r *ranks) get(id int64) (int64, bool) {
	switch v := r.raw(id); v {
	case 0:
		return 0, false
	case 1:
		return 0, true
	case unusual:
		return r.big[id], true
	default:
		return int64(v) - 2, true
	}
}

// raise records a count row of the tag: the highest one is its ranking count.
func (r *ranks) raise(id, c int64) {
	v := r.raw(id)
	if v == 0 {
		return
	}
	if old, _ := r.get(id); v != 1 && c <= old {
		return
	}
	if c >= 0 && c < unusual-2 {
		r.set(id, uint32(c+2))
		return
	}
	r.set(id, unusual)
	r.big[id] = c
}

// readRanks reads which tags qualify (TAG_STATUS) and their counts
// (TAG_USAGE_COUNTS), in two scans. Ids index a slice when they are
// dense enough, a map otherwise.
func readRanks(ctx context.Context, q Querier) (*ranks, error) {
	var maxID, n int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(tag_id), 0), count(*) FROM TAGS`).Scan(&maxID, &n); err != nil {
		return nil, fmt.Errorf("read TAGS: %w", err)
	}
	r := &ranks{big: map[int64]int64{}}
	if maxID >= 0 && maxID <= 4*n+1<<20 {
		r.dense = make([]uint32, maxID+1)
	} else {
		r.sparse = map[int64]uint32{}
	}
	err := each(ctx, q, `SELECT tag_id FROM TAG_STATUS WHERE alias = 0`, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if id >= 0 && (r.sparse != nil || id < int64(len(r.dense))) && r.raw(id) == 0 {
			r.set(id, 1) // count 0 until a count row says more
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read TAG_STATUS: %w", err)
	}
	// ix_usage_counts_tag_format_count covers this: a narrow index read in
	// tag order, and half the rows of the table reach Go.
	err = each(ctx, q, `SELECT tag_id, max(count) FROM TAG_USAGE_COUNTS WHERE count IS NOT NULL GROUP BY tag_id`, func(rows *sql.Rows) error {
		var id, c int64
		if err := rows.Scan(&id, &c); err != nil {
			return err
		}
		r.raise(id, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read TAG_USAGE_COUNTS: %w", err)
	}
	return r, nil
}

func each(ctx context.Context, q Querier, query string, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query)
	return sqlitedb.EachRow(rows, err, fn)
}

// Write replaces the table's rows with rows (sorted by prefix and rank, as
// Compute returns them) inside tx.
func Write(ctx context.Context, tx *sql.Tx, rows []Row) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+Table); err != nil {
		return fmt.Errorf("clear %s: %w", Table, err)
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO `+Table+` (prefix, rank, tag_id, count) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("write %s: %w", Table, err)
	}
	defer st.Close()
	for _, r := range rows {
		if _, err := st.ExecContext(ctx, r.Prefix, r.Rank, r.TagID, r.Count); err != nil {
			return fmt.Errorf("write %s row (%q, %d): %w", Table, r.Prefix, r.Rank, err)
		}
	}
	return nil
}

// Fill computes the table for a file with final tags, statuses and counts
// (prefixes of at least MinTags tags) and writes it in one transaction.
func Fill(ctx context.Context, db *sql.DB) (Stats, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return Stats{}, err
	}
	defer tx.Rollback()
	rows, st, err := Compute(ctx, tx, Depth, func(_ string, tags int) bool { return tags >= MinTags })
	if err != nil {
		return st, err
	}
	if err := Write(ctx, tx, rows); err != nil {
		return st, err
	}
	return st, tx.Commit()
}
