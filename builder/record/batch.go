package record

import "io"

// FillBatch is the loop behind an adapter's Next: it hands each slot of buf,
// in order, to next, which fills it (resetting what the previous batch left
// there, so its slices keep their capacity) and reports whether the slot now
// holds a row to emit; a slot that does not is reused. It stops when buf is
// full or next returns io.EOF, and returns the filled rows, or io.EOF when
// there are none. Any other error from next is returned as is, with no rows.
func FillBatch(buf []Row, next func(r *Row) (bool, error)) ([]Row, error) {
	n := 0
	for n < len(buf) {
		ok, err := next(&buf[n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if ok {
			n++
		}
	}
	if n == 0 {
		return nil, io.EOF
	}
	return buf[:n], nil
}
