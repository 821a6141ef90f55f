// Package textfmt holds the few wording helpers that the command line and the
// reports it prints share (counted nouns, short hashes), so each phrase is
// spelt one way everywhere.
package textfmt
