package main

// Placeholder until the check command lands (owner: H3). It must not ship.
func cmdCheck(e *env, args []string) error {
	return &exitError{code: 1, msg: "not implemented yet"}
}
