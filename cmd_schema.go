package main

// Placeholder until the schema command lands (owner: H2). It must not ship.
func cmdSchema(e *env, args []string) error {
	return &exitError{code: 1, msg: "not implemented yet"}
}
