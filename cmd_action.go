package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	githubactions "github.com/sethvargo/go-githubactions"

	"github.com/tagdb/tagdb-action/action"
)

const actionAbout = `
Run as the GitHub Action. action.yml maps every input to an INPUT_<NAME> variable
(upper case, '-' as '_'), because the runner does not export inputs to the steps
of a composite action. Modes: release (build, validate, publish), build (build and
validate only), check (the pull-request schema check). Outputs go to $GITHUB_OUTPUT,
the summary to $GITHUB_STEP_SUMMARY; outside Actions they are printed.`

// actionIO is the action's IO on go-githubactions. It also runs (and is
// tested) without the runner's files: outputs and the summary then go to
// stdout.
type actionIO struct {
	*githubactions.Action
	e *env
}

func (a *actionIO) SetOutput(k, v string) {
	if a.e.getenv("GITHUB_OUTPUT") == "" {
		fmt.Fprintf(a.e.stdout, "%s=%s\n", k, v)
		return
	}
	a.Action.SetOutput(k, v)
}

// AddMask tells the runner to mask s in the job's log. The command has to
// name the secret, so it bypasses the redactor every other line goes through.
func (a *actionIO) AddMask(s string) {
	githubactions.New(githubactions.WithGetenv(a.e.getenv), githubactions.WithWriter(a.e.rawStdout)).AddMask(s)
}

// Annotate writes a workflow command that puts message on file and line.
func (a *actionIO) Annotate(level, title, file string, line int, message string) {
	fields := map[string]string{"title": title}
	if file != "" {
		fields["file"] = file
		if line > 0 {
			fields["line"] = strconv.Itoa(line)
		}
	}
	gh := a.WithFieldsMap(fields)
	switch level {
	case "error":
		gh.Errorf("%s", message)
	case "warning":
		gh.Warningf("%s", message)
	default:
		gh.Noticef("%s", message)
	}
}

func (a *actionIO) AddStepSummary(md string) {
	if a.e.getenv("GITHUB_STEP_SUMMARY") == "" {
		fmt.Fprintln(a.e.stdout, md)
		return
	}
	a.Action.AddStepSummary(md)
}

func cmdAction(e *env, args []string) error {
	fs := newFlags(e, "action", "", actionAbout)
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	a := &actionIO{Action: githubactions.New(githubactions.WithGetenv(e.getenv), githubactions.WithWriter(e.stdout)), e: e}
	in, err := action.ReadInputs(e.getenv, time.Now())
	if err == nil && in.Token != "" {
		// Before anything could print it.
		a.AddMask(in.Token)
	}
	var runner *action.Runner
	if err == nil {
		runner, err = newActionRunner(e, a)
	}
	if err != nil {
		a.Errorf("%v", err)
		return &exitError{code: 1}
	}
	switch in.Mode {
	case "build", "release":
		err = runner.Build(e.ctx, in)
	case "check":
		err = runner.Check(e.ctx, in)
	}
	if err != nil {
		// One annotation that says what failed; the log above has the detail.
		a.Errorf("%s", strings.ReplaceAll(err.Error(), "\n", " "))
		return &exitError{code: 1}
	}
	return nil
}

// newActionRunner wires the action to this process: its streams and
// environment, the bundled sample and the build's memory budget.
func newActionRunner(e *env, a *actionIO) (*action.Runner, error) {
	mem, err := memoryLimit(defaultMemoryLimit, e.getenv)
	if err != nil {
		return nil, err
	}
	return &action.Runner{
		IO: a, Log: e.stderr, Getenv: e.getenv,
		SampleManifest: sampleManifest, ProgramVersion: programVersion, MemoryLimit: mem,
	}, nil
}
