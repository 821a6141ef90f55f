package main

// Placeholder until the action command lands (owner: H3). It must not ship.
func cmdAction(e *env, args []string) error {
	return &exitError{code: 1, msg: "not implemented yet"}
}
