package action

import (
	"os"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/internal/golden"
)

const actionYML = "../action.yml"

// action.yml's inputs and env mapping are generated from Table: the file
// must be exactly what -update writes, and agree with the table.
func TestActionYMLMatchesTable(t *testing.T) {
	data, err := os.ReadFile(actionYML)
	if err != nil {
		t.Fatal(err)
	}
	want, err := UpdateActionYML(data, Table())
	if err != nil {
		t.Fatal(err)
	}
	if golden.Update() { // rewrites the generated parts of ../action.yml from the input table
		if err := os.WriteFile(actionYML, want, 0o644); err != nil {
			t.Fatal(err)
		}
		data = want
	}
	if string(data) != string(want) {
		t.Errorf("%s is not what the input table generates: run go test ./action -update", actionYML)
	}
	if err := CheckActionYML(data, Table()); err != nil {
		t.Error(err)
	}
}

// Every kind of disagreement between action.yml and the table is caught.
func TestCheckActionYMLFindsDisagreements(t *testing.T) {
	data, err := os.ReadFile(actionYML)
	if err != nil {
		t.Fatal(err)
	}
	yml := string(data)
	for _, tt := range []struct {
		name, old, new, want string
	}{
		{"default", "default: cc4", "default: cc0", `input profile: default "cc0", the table says "cc4"`},
		{"description", `Leave the release a draft`, `Keep it a draft`, `input draft: description`},
		{"required", "  draft:\n", "  draft:\n    required: true\n", "input draft: required true"},
		{"missing input", "  fts:\n", "  fts-renamed:\n", "input fts is missing"},
		{"env unmapped", "        INPUT_SPLIT: ${{ inputs.split }}\n", "", "env INPUT_SPLIT (input split) is not mapped"},
		{"env wrong", "INPUT_DRAFT: ${{ inputs.draft }}", "INPUT_DRAFT: ${{ inputs.prerelease }}", `env INPUT_DRAFT is "${{ inputs.prerelease }}"`},
		{"env extra", "INPUT_FTS:", "INPUT_OUT_DIR: x\n        INPUT_FTS:", "env INPUT_OUT_DIR maps no input"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(yml, tt.old) {
				t.Fatalf("action.yml lacks %q", tt.old)
			}
			err := CheckActionYML([]byte(strings.Replace(yml, tt.old, tt.new, 1)), Table())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	// The table changing is the same disagreement seen from the other side.
	table := append(Table(), Input{Name: "new-input", Description: "x"})
	if err := CheckActionYML(data, table); err == nil || !strings.Contains(err.Error(), "input new-input is missing") {
		t.Errorf("a new table entry: error %v", err)
	}
}

// README.md's table of inputs has one row per input of the table, in order.
func TestREADMEListsEveryInput(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n### Inputs\n")
	if !ok {
		t.Fatal("README.md has no ### Inputs section")
	}
	section, _, _ = strings.Cut(section, "\n### ")
	var rows []string
	for _, line := range strings.Split(section, "\n") {
		if name, ok := strings.CutPrefix(line, "| `"); ok {
			name, _, _ = strings.Cut(name, "`")
			rows = append(rows, name)
		}
	}
	var want []string
	for _, i := range Table() {
		want = append(want, i.Name)
	}
	if strings.Join(rows, " ") != strings.Join(want, " ") {
		t.Errorf("README.md's inputs are\n  %v\nthe table's are\n  %v", rows, want)
	}
}
