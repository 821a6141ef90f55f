// Package record defines what every source adapter produces and the merge
// consumes: a stream of Rows, each one tag as one source describes it. It is a
// leaf package so that adapters (builder/sitetags, builder/tabular, ...) and the
// merge (builder) can share the type without importing each other.
package record
