// Package recordtest holds what the tests of record.Source adapters share:
// the conformance suite every adapter must pass (Run), the one-line rendering
// of a record.Row that test expectations are written in (RowString), and a
// record.Events that keeps what a source reports (Events).
//
// The suite is a table of cases per adapter. A case writes its input files
// into a fresh folder, opens the adapter on it and states the outcome: the
// rows, the skipped rows, or the error of Open or Next. Run then checks the
// rules every Source keeps whatever its input: batches are non-empty and no
// larger than asked for, every row has a position, positions increase where
// the adapter promises file order, the rows do not depend on the batch size,
// io.EOF comes after the last batch and again on every later call, an error
// names the input and stays (Next never turns it into io.EOF), Close can be
// called twice and after an error, and a cancelled context stops Next. Adding
// a hostile input to an adapter is one more Case.
package recordtest
