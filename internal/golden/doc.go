// Package golden owns the module's one -update test flag and the comparison of
// test output with committed files under testdata/.
//
// `go test ./... -update` passes -update to every test binary, and a binary
// that does not define the flag fails with "flag provided but not defined".
// So every test package imports this package: the ones with golden or
// generated fixtures call Assert, AssertString or Update, the others import it
// blank.
package golden
