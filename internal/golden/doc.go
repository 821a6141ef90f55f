// Package golden compares test output with reviewed files in a package's
// testdata/ folder, and rewrites them when the test binary runs with
// -update.
package golden
