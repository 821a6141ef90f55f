package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// env is what a command may touch: its streams, its environment and its
// context. Tests pass their own; nothing reads os.* directly.
type env struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	stdin  io.Reader
	getenv func(string) string
	// rawStdout is stdout before run wrapped it with the secrets' redactor:
	// only the runner's ::add-mask:: command, which must name the secret,
	// writes to it.
	rawStdout io.Writer
}

type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return &usageError{msg: fmt.Sprintf(format, a...)} }

// exitError ends a command with a specific code after it has already said
// what went wrong (msg may be empty), e.g. validate finding problems.
type exitError struct {
	code int
	msg  string
}

func (x *exitError) Error() string { return fmt.Sprintf("exit %d: %s", x.code, x.msg) }

// errHelp is returned when --help was asked for and printed.
var errHelp = errors.New("help requested")

// newFlags makes a flag set for "tagdb <name>". usage is the one-line synopsis
// ("--db PATH [--format text|json]"); about is a paragraph printed under it.
func newFlags(e *env, name, usage, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("tagdb "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: tagdb %s %s\n", name, usage)
		if about != "" {
			fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(about))
		}
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintf(w, "\nFlags:\n")
			fs.VisitAll(func(f *flag.Flag) {
				arg, text := flag.UnquoteUsage(f)
				left := "--" + f.Name
				if arg != "" {
					left += " " + arg
				}
				def := ""
				if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
					def = fmt.Sprintf(" (default %q)", f.DefValue)
				}
				fmt.Fprintf(w, "  %-24s %s%s\n", left, text, def)
			})
		}
	}
	return fs
}

// parseFlags parses args allowing flags and positional arguments in any order
// ("search --db x 1girl --json"). "--" ends flag parsing. --help prints usage
// to stdout and returns errHelp.
func parseFlags(e *env, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		fs.SetOutput(io.Discard)
		err := fs.Parse(args)
		fs.SetOutput(e.stderr)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fs.Usage()
			fs.SetOutput(e.stderr)
			return nil, errHelp
		}
		if err != nil {
			return nil, &usageError{msg: err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// flag stops at "--" too; everything after it is positional.
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseFlagsOnly is parseFlags for a command that takes no positional
// arguments: a stray one is a usage error.
func parseFlagsOnly(e *env, fs *flag.FlagSet, args []string) error {
	pos, err := parseFlags(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	return nil
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// reportFormat checks the --format flag of the commands that print a
// report: text, markdown or json.
func reportFormat(format string) error {
	switch format {
	case "text", "markdown", "json":
		return nil
	}
	return usagef("--format must be text, markdown or json, not %q", format)
}
