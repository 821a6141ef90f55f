// Package idmap reads and writes a release's id map: every tag name that
// has a tag_id, with that id, in one file shared by the licence editions.
//
// A build keeps the ids of earlier releases by reserving them
// (builder.Options.Reserve). Before the id map existed the action
// downloaded every edition's database for that; the id map carries the
// same ids in a file a fraction of the size (README.md, "Id map").
//
// Format: zstd-compressed UTF-8 text. The first line is the header
// "tag\ttag_id"; then one line per tag, "TAG\tID\n", sorted by id. A tag's
// backslash, tab, newline and carriage return are written \\, \t, \n and
// \r, so every line splits at its last tab.
package idmap
