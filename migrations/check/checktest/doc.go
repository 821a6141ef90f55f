// Package checktest builds the inputs of schema-check tests: a migrations
// folder (the embedded migrations plus fixture files numbered after them),
// a stand-in for the latest release's database, and a base schema dump. The
// fixtures are embedded, so tests in any package (the check itself, the
// command line, the action) use the same ones.
package checktest
