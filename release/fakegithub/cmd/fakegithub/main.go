// Command fakegithub runs the fake GitHub REST API as a process on
// 127.0.0.1, for end-to-end runs of the action (act points api-url at it).
//
//	fakegithub [--addr 127.0.0.1:0] [--url-file PATH] [--token TOKEN]
//	           [--read-only-token TOKEN] [--state-file PATH]
//
// It writes its base URL to --url-file once listening, serves its state at
// GET /_fake/state and the request log at GET /_fake/requests, accepts
// faults at POST /_fake/faults (one fakegithub.Fault or a list, as JSON;
// DELETE clears them), and writes the final state to --state-file when it
// receives SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/tagdb/tagdb-action/internal/files"
	"github.com/tagdb/tagdb-action/release/fakegithub"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakegithub:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fakegithub", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to listen on (port 0: any free port)")
	urlFile := fs.String("url-file", "", "write the base URL here once listening")
	token := fs.String("token", "", "the token with write access (empty: every request may write)")
	readOnly := fs.String("read-only-token", "", "a token that may read but not write (a fork's token)")
	stateFile := fs.String("state-file", "", "write the final state here as JSON on shutdown")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fakegithub [flags]")
		fs.PrintDefaults()
		fmt.Fprintln(fs.Output(), "\nFault routes:", strings.Join(fakegithub.RouteNames(), ", "))
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	fake := fakegithub.New(fakegithub.Options{Token: *token, ReadOnlyToken: *readOnly})
	err := fake.Serve(ctx, *addr, func(url string) error {
		fmt.Fprintln(stdout, url)
		if *urlFile == "" {
			return nil
		}
		if err := files.WriteAtomic(*urlFile, 0o600, func(w io.Writer) error { _, err := io.WriteString(w, url+"\n"); return err }); err != nil {
			return fmt.Errorf("url file: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if *stateFile != "" {
		if err := fake.WriteStateFile(*stateFile); err != nil {
			return fmt.Errorf("state file: %w", err)
		}
	}
	return nil
}
