// Package action runs tagdb as the GitHub Action: it reads the action's
// inputs, builds an edition on the base release, publishes it through the
// release pipeline, or runs the pull-request schema check (Check), and
// reports outputs, annotations and a step summary.
//
// The inputs are defined once, in Table (inputs.go). action.yml's inputs:
// section and the env mapping of its run step (the runner does not export
// INPUT_* to the steps of a composite action, actions/runner#665) are
// generated from it: `go test ./action -update` rewrites them, and the test
// fails while they disagree.
//
// The workflow side — outputs, the step summary, annotations, log groups —
// is the IO interface, so tests run every mode in-process with a getenv map
// and a fake GitHub; package main wires go-githubactions to it.
package action
