package builder

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Plan is what one build will read: the sources whose licence the profile
// allows (their rows are written), the enabled sources it does not allow (read
// for their tag names only, so that ids agree across editions), and the
// disabled ones (not read at all).
type Plan struct {
	Profile  string
	Licenses []string
	Included []SourceSpec
	IDsOnly  []SourceSpec
	Disabled []SourceSpec
}

// Plan selects the sources for a licence profile. An unknown profile and a
// profile that selects nothing are errors: an empty selection must never mean
// "include everything" (docs/python-differences.md, W1).
func (m *Manifest) Plan(profile string) (*Plan, error) {
	lics, ok := m.Profiles[profile]
	if !ok {
		names := make([]string, 0, len(m.Profiles))
		for n := range m.Profiles {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("%s: unknown profile %q (known: %s)", filepath.Base(m.Path), profile, strings.Join(names, ", "))
	}
	p := &Plan{Profile: profile, Licenses: canonicalLicenses(lics)}
	for _, s := range m.Sources {
		switch {
		case !s.IsEnabled():
			p.Disabled = append(p.Disabled, s)
		case contains(p.Licenses, s.License):
			p.Included = append(p.Included, s)
		default:
			p.IDsOnly = append(p.IDsOnly, s)
		}
	}
	if len(p.Included) == 0 {
		return nil, fmt.Errorf("%s: profile %q (licences %s) selects no enabled source; refusing to build an edition with no data",
			filepath.Base(m.Path), profile, strings.Join(p.Licenses, ", "))
	}
	return p, nil
}
