package pipeline

import (
	"context"
	"log/slog"
	"time"
)

// Step is one stage of a pipeline. String names it in logs and errors.
type Step interface {
	String() string
	Run(ctx context.Context) error
}

// StepError is the error of the step that stopped a pipeline.
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return e.Step + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// Run runs the steps in order and stops at the first that fails, returning a
// *StepError. Each step's name and duration are logged to log (nil: nothing).
func Run(ctx context.Context, log *slog.Logger, steps ...Step) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return &StepError{Step: s.String(), Err: err}
		}
		start := time.Now()
		err := s.Run(ctx)
		took := time.Since(start).Round(time.Millisecond)
		if err != nil {
			log.Error("step failed", "step", s.String(), "took", took)
			return &StepError{Step: s.String(), Err: err}
		}
		log.Info("step done", "step", s.String(), "took", took)
	}
	return nil
}

// stepFunc adapts a named function to Step.
type stepFunc struct {
	name string
	run  func(ctx context.Context) error
}

func (s stepFunc) String() string                { return s.name }
func (s stepFunc) Run(ctx context.Context) error { return s.run(ctx) }

// NewStep makes a Step of a name and a function, for steps a caller adds
// around the publication's own (staging files, writing notes).
func NewStep(name string, run func(ctx context.Context) error) Step {
	return stepFunc{name: name, run: run}
}
