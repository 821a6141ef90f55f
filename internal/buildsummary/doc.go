// Package buildsummary holds the tables a build is summarised with — tags per
// format, and what each source did — and renders them as aligned text (what
// `tagdb build` prints) or as Markdown (the action's step summary), so both
// show the same rows.
package buildsummary
