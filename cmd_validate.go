package main

// Placeholder until the validate command lands (owner: H2). It must not ship.
func cmdValidate(e *env, args []string) error {
	return &exitError{code: 1, msg: "not implemented yet"}
}
