package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/release/pipeline"
)

// Steps run in order; the first failure stops the pipeline and names the
// step; every step that ran is logged with its duration.
func TestRun(t *testing.T) {
	boom := errors.New("boom")
	for _, tt := range []struct {
		name    string
		fail    string // the step that fails ("" none)
		wantRan []string
	}{
		{"all pass", "", []string{"a", "b", "c"}},
		{"middle fails", "b", []string{"a", "b"}},
		{"first fails", "a", []string{"a"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ran []string
			var steps []pipeline.Step
			for _, name := range []string{"a", "b", "c"} {
				steps = append(steps, pipeline.NewStep(name, func(context.Context) error {
					ran = append(ran, name)
					if name == tt.fail {
						return boom
					}
					return nil
				}))
			}
			var log bytes.Buffer
			err := pipeline.Run(context.Background(), slog.New(slog.NewTextHandler(&log, nil)), steps...)
			if !slices.Equal(ran, tt.wantRan) {
				t.Errorf("ran %v, want %v", ran, tt.wantRan)
			}
			var se *pipeline.StepError
			switch {
			case tt.fail == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.fail != "" && (!errors.As(err, &se) || se.Step != tt.fail || !errors.Is(err, boom) || err.Error() != tt.fail+": boom"):
				t.Fatalf("error %v, want a StepError of step %s wrapping boom", err, tt.fail)
			}
			for _, name := range tt.wantRan {
				if !strings.Contains(log.String(), "step="+name+" took=") {
					t.Errorf("log lacks step %s and its duration:\n%s", name, log.String())
				}
			}
		})
	}
}

// A cancelled context stops the pipeline before the next step.
func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := pipeline.Run(ctx, nil, pipeline.NewStep("x", func(context.Context) error { ran = true; return nil }))
	if ran || !errors.Is(err, context.Canceled) {
		t.Errorf("ran %v, err %v", ran, err)
	}
}
