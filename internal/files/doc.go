// Package files holds the small file operations several stages share, so that
// each is written (and fixed) once: copying a file, and writing one
// atomically (Atomic, WriteAtomic), which every writer of a finished file in
// this program goes through so that a reader never sees half a file and a
// failed run leaves nothing behind; and opening an input file (CheckRegular,
// OpenRegular, ReadRegular), which every reader of an input goes through so
// that a FIFO, device or socket is refused instead of blocking the build.
package files
