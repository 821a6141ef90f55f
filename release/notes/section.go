package notes

import (
	"fmt"
	"strings"

	"github.com/tagdb/tagdb-action/internal/mdtext"
	"github.com/tagdb/tagdb-action/release/edition"
	"github.com/tagdb/tagdb-action/release/pack"
)

// Edition is what one edition's section shows.
type Edition struct {
	Name     string      // the profile: cc0, mit, cc4
	Repo     string      // owner/name, for the download command
	Tag      string      // the release's tag
	Method   pack.Method // compression of the database asset ("" means pack.DefaultMethod)
	Split    bool        // the database asset is published in numbered parts
	Licenses []string    // the licences the edition may contain
	Tags     int64       // rows of TAGS
	Formats  []FormatTotal
	Sources  []Source // every source whose rows are in the file
	// BaseTag is the release Diff compares against; "" for an edition's
	// first release.
	BaseTag string
	// Diff is the data diff as markdown (datadiff.Report.WriteMarkdown with
	// the top items only); the full report is the DiffAsset.
	Diff string
}

// FormatTotal is one format's row counts in the edition.
type FormatTotal struct {
	Name                                         string
	Tags, Canonical, Aliases, Deprecated, Counts int64
}

// Source is one source of the edition's rows.
type Source struct {
	ID, License, URL string
}

// ed is the edition's asset names (release/edition: one spelling for every
// package).
func (e Edition) ed() edition.Edition { return edition.Edition(e.Name) }

// DBAsset is the database asset's name: tagdb-<edition>.sqlite plus the
// compression's extension.
func (e Edition) DBAsset() string {
	m := e.Method
	if m == "" {
		m = pack.DefaultMethod
	}
	return e.ed().Database(m)
}

// SumsAsset is the edition's checksum file.
func (e Edition) SumsAsset() string { return e.ed().Sums() }

// DiffAsset is the full data diff as JSON.
func (e Edition) DiffAsset() string { return e.ed().Diff() }

// CardAsset is the dataset card, with the attribution of every source.
func (e Edition) CardAsset() string { return e.ed().Card() }

// Section renders the edition's part of the release body, without markers.
func Section(e Edition) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s edition\n\n", e.Name)
	fmt.Fprintf(&b, "`%s`: %s tags; licences %s.\n\n", e.DBAsset(), mdtext.Int(e.Tags), strings.Join(e.Licenses, ", "))
	if len(e.Formats) > 0 {
		b.WriteString("| format | tags | canonical | aliases | deprecated | with count |\n|---|---:|---:|---:|---:|---:|\n")
		for _, f := range e.Formats {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdtext.Cell(f.Name), mdtext.Int(f.Tags), mdtext.Int(f.Canonical),
				mdtext.Int(f.Aliases), mdtext.Int(f.Deprecated), mdtext.Int(f.Counts))
		}
		b.WriteString("\n")
	}
	if e.BaseTag == "" {
		b.WriteString("#### Changes\n\nFirst release of this edition: nothing to compare with.\n\n")
	} else {
		fmt.Fprintf(&b, "#### Changes since %s\n\n", mdtext.Code(e.BaseTag))
		if d := strings.TrimSpace(e.Diff); d != "" {
			b.WriteString(d + "\n\n")
		}
		fmt.Fprintf(&b, "The full diff is `%s` (`tagdb diff --format json` of the two files).\n\n", e.DiffAsset())
	}
	b.WriteString("#### Sources and licences\n\n")
	for _, s := range e.Sources {
		lic := s.License
		if lic == "" {
			lic = "licence not recorded"
		}
		fmt.Fprintf(&b, "- **%s** (%s)", mdtext.Cell(s.ID), mdtext.Cell(lic))
		if s.URL != "" {
			fmt.Fprintf(&b, " %s", s.URL)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\nAttribution for every source is in the dataset card `%s`.\n\n", e.CardAsset())
	b.WriteString("#### Verify and open\n\n```sh\n")
	fmt.Fprintf(&b, "tagdb download --repo %s --tag %s --edition %s   # checks it against %s and decompresses it\n", e.Repo, e.Tag, e.Name, e.SumsAsset())
	b.WriteString("# or by hand, with the assets downloaded into one folder:\n")
	if e.Split {
		b.WriteString(pack.JoinCommand(e.DBAsset()) + "\n")
	}
	fmt.Fprintf(&b, "sha256sum -c --ignore-missing %s\n", e.SumsAsset())
	db := e.ed().Database(pack.None)
	switch pack.MethodFromName(e.DBAsset()) {
	case pack.Gzip:
		fmt.Fprintf(&b, "gzip -dk %s\n", e.DBAsset())
	case pack.None:
	default:
		fmt.Fprintf(&b, "zstd -d %s -o %s\n", e.DBAsset(), db)
	}
	fmt.Fprintf(&b, "sqlite3 -readonly %s 'SELECT count(*) FROM TAGS'\n```\n", db)
	return b.String()
}
