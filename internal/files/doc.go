// Package files holds the small file operations several stages share, so that
// each is written (and fixed) once: copying a file, and writing one
// atomically (Atomic, WriteAtomic), which every writer of a finished file in
// this program goes through so that a reader never sees half a file and a
// failed run leaves nothing behind.
package files
