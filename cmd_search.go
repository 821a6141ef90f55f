package main

// Placeholder until the search command lands (owner: H7). It must not ship.
func cmdSearch(e *env, args []string) error {
	return &exitError{code: 1, msg: "not implemented yet"}
}
