package datadiff

import (
	"container/heap"
	"sort"
)

// top keeps the n best items seen, by score (higher first) and then by tag
// id (lower first), so ties resolve the same way on every run.
type top[T any] struct {
	n     int
	items topHeap[T]
}

type scored[T any] struct {
	score int64
	id    int64
	item  T
}

// topHeap is a min-heap: the worst kept item is at the root, ready to be
// replaced by a better one.
type topHeap[T any] []scored[T]

func (h topHeap[T]) Len() int           { return len(h) }
func (h topHeap[T]) Less(i, j int) bool { return worse(h[i], h[j]) }
func (h topHeap[T]) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *topHeap[T]) Push(x any)        { *h = append(*h, x.(scored[T])) }
func (h *topHeap[T]) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func worse[T any](a, b scored[T]) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.id > b.id
}

func newTop[T any](n int) *top[T] { return &top[T]{n: n} }

func (t *top[T]) add(score, id int64, item T) {
	if t.n <= 0 {
		return
	}
	s := scored[T]{score: score, id: id, item: item}
	if len(t.items) < t.n {
		heap.Push(&t.items, s)
		return
	}
	if worse(t.items[0], s) {
		t.items[0] = s
		heap.Fix(&t.items, 0)
	}
}

// list returns the kept items, best first; never nil, so JSON shows [].
func (t *top[T]) list() []T {
	s := append([]scored[T](nil), t.items...)
	sort.Slice(s, func(i, j int) bool { return worse(s[j], s[i]) })
	out := make([]T, len(s))
	for i, x := range s {
		out[i] = x.item
	}
	return out
}
