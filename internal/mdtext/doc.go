// Package mdtext formats values for GitHub-flavoured markdown: code spans
// and table cells that survive any tag text, and numbers with thousands
// separators. Release notes, step summaries and diff reports share it so
// that they escape the same way.
package mdtext
