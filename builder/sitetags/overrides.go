package sitetags

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tagdb/tagdb-action/internal/files"
)

// Overrides says, per site domain, which canonical an alias resolves to when
// the site lists several: domain → alias → canonical, both in the site's raw
// spelling (docs/site-tags.md, "Aliases"), e.g. "Abigail_(Gate)", not
// "abigail \(gate\)".
type Overrides map[string]map[string]string

// LoadOverrides reads overrides/alias_resolution.yml:
//
//	alias_resolution:
//	  zerochan.net:
//	    abigail: Abigail_(Gate)
//
// A missing file, an empty document or a missing/null alias_resolution key is
// an empty table. A top level or alias_resolution value that is not a mapping
// is an error. Entries that cannot be used are skipped and described in the
// returned warnings (each naming the file and line): a domain that is not a
// mapping or not one of the 18 domains, a canonical that is not a string or is
// blank, a blank alias. Keys and values are trimmed of surrounding
// whitespace, as the adapter trims site tags.
func LoadOverrides(path string) (Overrides, []string, error) {
	data, err := files.ReadRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Overrides{}, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM, as sources.yml has one
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	out := Overrides{}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return out, nil, nil // empty document
	}
	top := doc.Content[0]
	if isNull(top) {
		return out, nil, nil
	}
	if top.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("%s line %d: the top level is %s, want a mapping with key alias_resolution", path, top.Line, kindName(top))
	}
	var table *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "alias_resolution" {
			table = top.Content[i+1]
		}
	}
	if table == nil || isNull(table) {
		return out, nil, nil
	}
	if table.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("%s line %d: alias_resolution is %s, want a mapping of domain to {alias: canonical}", path, table.Line, kindName(table))
	}
	var warnings []string
	warn := func(n *yaml.Node, format string, a ...any) {
		warnings = append(warnings, fmt.Sprintf("%s line %d: ", path, n.Line)+fmt.Sprintf(format, a...))
	}
	for i := 0; i+1 < len(table.Content); i += 2 {
		key, val := table.Content[i], table.Content[i+1]
		domain := strings.TrimSpace(key.Value)
		if _, ok := DomainFormat(domain); !ok {
			warn(key, "domain %q is not a site_tags domain, skipped", domain)
			continue
		}
		if isNull(val) {
			continue
		}
		if val.Kind != yaml.MappingNode {
			warn(val, "domain %q: value is %s, want a mapping of alias to canonical, skipped", domain, kindName(val))
			continue
		}
		for j := 0; j+1 < len(val.Content); j += 2 {
			k, v := val.Content[j], val.Content[j+1]
			alias := strings.TrimSpace(k.Value) // keys are stringified: 123 → "123"
			switch {
			case k.Kind != yaml.ScalarNode || alias == "":
				warn(k, "domain %q: blank or non-scalar alias, skipped", domain)
			case v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str":
				warn(v, "domain %q: alias %q: canonical is %s, want a string, skipped", domain, alias, kindName(v))
			case strings.TrimSpace(v.Value) == "":
				warn(v, "domain %q: alias %q: blank canonical, skipped", domain, alias)
			default:
				if out[domain] == nil {
					out[domain] = map[string]string{}
				}
				if _, dup := out[domain][alias]; dup {
					warn(k, "domain %q: alias %q listed twice, the later entry wins", domain, alias)
				}
				out[domain][alias] = strings.TrimSpace(v.Value)
			}
		}
	}
	return out, warnings, nil
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "a YAML alias"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "null"
		case "!!str":
			return fmt.Sprintf("the string %q", n.Value)
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		}
		return "the scalar " + n.Value
	}
	return "empty"
}
