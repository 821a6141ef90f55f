package sitetags

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tagdb/tagdb-action/builder/record/recordtest"
)

func TestLoadOverrides(t *testing.T) {
	p := func(name string) string { return filepath.Join("testdata", "overrides", name) }
	cases := []struct {
		file     string
		want     Overrides
		warnings []string
		err      string
	}{
		{file: "absent.yml", want: Overrides{}},
		{file: "empty.yml", want: Overrides{}},
		{file: "comment_only.yml", want: Overrides{}},
		{file: "shipped.yml", want: Overrides{}},
		{file: "valid.yml", want: Overrides{"zerochan.net": {
			"abigail": "Abigail_(Gate)", "spaced": "Spaced_Target", "123": "Numbered"}}},
		{file: "bom.yml", want: Overrides{"zerochan.net": {"abigail": "Abigail"}}},
		{file: "bad_entries.yml", want: Overrides{"zerochan.net": {"ok": "Abigail"}}, warnings: []string{
			`bad_entries.yml line 3: domain "zerochan.net": alias "blank": blank canonical, skipped`,
			`bad_entries.yml line 4: domain "zerochan.net": alias "number": canonical is the number 123, want a string, skipped`,
			`bad_entries.yml line 5: domain "zerochan.net": alias "list": canonical is a list, want a string, skipped`,
			`bad_entries.yml line 7: domain "zerochan.net": alias "nothing": canonical is null, want a string, skipped`,
			`bad_entries.yml line 8: domain "gelbooru.com": value is the string "not-a-mapping", want a mapping of alias to canonical, skipped`,
			`bad_entries.yml line 9: domain "example.com" is not a site_tags domain, skipped`,
		}},
		{file: "top_list.yml", err: "top_list.yml line 1: the top level is a list, want a mapping"},
		{file: "table_list.yml", err: "table_list.yml line 1: alias_resolution is a list, want a mapping"},
		{file: "broken.yml", err: "broken.yml: yaml:"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			got, warnings, err := LoadOverrides(p(c.file))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("overrides = %v, want %v", got, c.want)
			}
			for i := range warnings {
				warnings[i] = strings.TrimPrefix(warnings[i], filepath.Join("testdata", "overrides")+string(filepath.Separator))
			}
			recordtest.DiffLines(t, "warnings", warnings, c.warnings)
		})
	}
}
