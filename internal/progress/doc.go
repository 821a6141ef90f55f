// Package progress shows how long work is going: a live, redrawn line on a
// terminal, a line every few seconds in a plain log (CI), and collapsible
// ::group:: sections when running inside GitHub Actions.
package progress
