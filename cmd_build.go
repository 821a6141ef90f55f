package main

// Placeholder until the build command lands (owner: me). It must not ship.
func cmdBuild(e *env, args []string) error {
	return &exitError{code: 1, msg: "not implemented yet"}
}
