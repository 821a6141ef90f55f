package action

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// The generated parts of action.yml sit between these comment lines; the
// rest of the file (outputs, the steps themselves) is written by hand.
const (
	beginInputs = "# Generated from Table in action/inputs.go: edit the table, then run go test ./action -update."
	endInputs   = "# End of the generated inputs."
	beginEnv    = "# Every input, mapped by hand because the runner does not export INPUT_* to composite steps (actions/runner#665); generated from action/inputs.go."
	endEnv      = "# End of the generated input mapping."
)

// yamlString writes s as a YAML scalar, quoted only where YAML needs it
// (so "false" and "" stay strings).
func yamlString(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		panic(err) // a string always marshals
	}
	return strings.TrimSuffix(string(b), "\n")
}

// renderInputs is action.yml's inputs: section, markers included.
func renderInputs(inputs []Input) string {
	var b strings.Builder
	b.WriteString(beginInputs + "\ninputs:\n")
	for _, i := range inputs {
		fmt.Fprintf(&b, "  %s:\n    description: %s\n", i.Name, yamlString(i.Description))
		if i.Required {
			b.WriteString("    required: true\n")
		}
		fmt.Fprintf(&b, "    default: %s\n", yamlString(i.Default))
	}
	b.WriteString(endInputs + "\n")
	return b.String()
}

// renderEnv is the env entries of the step that runs tagdb, each line
// starting with indent, markers included.
func renderEnv(inputs []Input, indent string) string {
	var b strings.Builder
	b.WriteString(indent + beginEnv + "\n")
	for _, i := range inputs {
		fmt.Fprintf(&b, "%s%s: ${{ inputs.%s }}\n", indent, i.Env(), i.Name)
	}
	b.WriteString(indent + endEnv + "\n")
	return b.String()
}

// UpdateActionYML rewrites the generated parts of action.yml from inputs.
func UpdateActionYML(data []byte, inputs []Input) ([]byte, error) {
	out, err := replaceBetween(string(data), beginInputs, endInputs, func(string) string { return renderInputs(inputs) })
	if err != nil {
		return nil, err
	}
	out, err = replaceBetween(out, beginEnv, endEnv, func(indent string) string { return renderEnv(inputs, indent) })
	if err != nil {
		return nil, err
	}
	return []byte(out), nil
}

// replaceBetween replaces the lines from the one holding begin to the one
// holding end with render(the begin line's indentation).
func replaceBetween(s, begin, end string, render func(indent string) string) (string, error) {
	lines := strings.SplitAfter(s, "\n")
	from, to := -1, -1
	for n, l := range lines {
		switch strings.TrimSpace(l) {
		case begin:
			if from >= 0 {
				return "", fmt.Errorf("action.yml: line %d: a second %q", n+1, begin)
			}
			from = n
		case end:
			to = n
		}
	}
	if from < 0 || to < from {
		return "", fmt.Errorf("action.yml: no %q ... %q block", begin, end)
	}
	indent := lines[from][:len(lines[from])-len(strings.TrimLeft(lines[from], " "))]
	return strings.Join(lines[:from], "") + render(indent) + strings.Join(lines[to+1:], ""), nil
}

// actionFile is the part of action.yml that the table defines.
type actionFile struct {
	Inputs yaml.Node `yaml:"inputs"`
	Runs   struct {
		Steps []struct {
			ID  string            `yaml:"id"`
			Env map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

type declaredInput struct {
	Description string `yaml:"description"`
	Default     string `yaml:"default"`
	Required    bool   `yaml:"required"`
}

// CheckActionYML reports every way action.yml disagrees with inputs: an
// input missing, extra or out of order, a description, default or required
// that differs, or an env mapping of the step that runs tagdb (the step
// that maps INPUT_* variables) that is missing, extra or wrong.
func CheckActionYML(data []byte, inputs []Input) error {
	var f actionFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("action.yml: %w", err)
	}
	var problems []string
	var names []string
	declared := map[string]declaredInput{}
	for k := 0; k+1 < len(f.Inputs.Content); k += 2 {
		name := f.Inputs.Content[k].Value
		var d declaredInput
		if err := f.Inputs.Content[k+1].Decode(&d); err != nil {
			return fmt.Errorf("action.yml: line %d: input %s: %w", f.Inputs.Content[k].Line, name, err)
		}
		names = append(names, name)
		declared[name] = d
	}
	var want []string
	for _, i := range inputs {
		want = append(want, i.Name)
		d, ok := declared[i.Name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("input %s is missing", i.Name))
			continue
		case d.Description != i.Description:
			problems = append(problems, fmt.Sprintf("input %s: description %q, the table says %q", i.Name, d.Description, i.Description))
		}
		if d.Default != i.Default {
			problems = append(problems, fmt.Sprintf("input %s: default %q, the table says %q", i.Name, d.Default, i.Default))
		}
		if d.Required != i.Required {
			problems = append(problems, fmt.Sprintf("input %s: required %v, the table says %v", i.Name, d.Required, i.Required))
		}
	}
	for _, n := range names {
		if !slices.Contains(want, n) {
			problems = append(problems, fmt.Sprintf("input %s is not in the table", n))
		}
	}
	if len(problems) == 0 && !slices.Equal(names, want) {
		problems = append(problems, fmt.Sprintf("inputs are in the order %v, the table's is %v", names, want))
	}

	var mapping map[string]string
	for _, s := range f.Runs.Steps {
		for k := range s.Env {
			if strings.HasPrefix(k, "INPUT_") {
				if mapping != nil {
					return fmt.Errorf("action.yml: two steps map INPUT_* variables (step %q is the second)", s.ID)
				}
				mapping = s.Env
				break
			}
		}
	}
	wantEnv := map[string]string{}
	for _, i := range inputs {
		wantEnv[i.Env()] = "${{ inputs." + i.Name + " }}"
		if got, ok := mapping[i.Env()]; !ok {
			problems = append(problems, fmt.Sprintf("env %s (input %s) is not mapped", i.Env(), i.Name))
		} else if got != wantEnv[i.Env()] {
			problems = append(problems, fmt.Sprintf("env %s is %q, want %q", i.Env(), got, wantEnv[i.Env()]))
		}
	}
	for k := range mapping {
		if _, ok := wantEnv[k]; !ok && strings.HasPrefix(k, "INPUT_") {
			problems = append(problems, fmt.Sprintf("env %s maps no input of the table", k))
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("action.yml disagrees with action/inputs.go (run go test ./action -update):\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}
