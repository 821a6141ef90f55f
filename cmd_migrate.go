package main

// Placeholder until the migrate command lands (owner: H2). It must not ship.
func cmdMigrate(e *env, args []string) error {
	return &exitError{code: 1, msg: "not implemented yet"}
}
