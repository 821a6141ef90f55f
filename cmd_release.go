package main

// Placeholder until the release command lands (owner: H3). It must not ship.
func cmdRelease(e *env, args []string) error {
	return &exitError{code: 1, msg: "not implemented yet"}
}
