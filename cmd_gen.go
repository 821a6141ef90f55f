package main

// Placeholder until the gen command lands (owner: H6). It must not ship.
func cmdGen(e *env, args []string) error {
	return &exitError{code: 1, msg: "not implemented yet"}
}
