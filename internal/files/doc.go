// Package files holds the small file operations several stages share, so that
// each is written (and fixed) once.
package files
