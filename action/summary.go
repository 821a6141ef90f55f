package action

import (
	"github.com/tagdb/tagdb-action/internal/textfmt"

	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tagdb/tagdb-action/builder"
	"github.com/tagdb/tagdb-action/internal/buildsummary"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/edition"
	"github.com/tagdb/tagdb-action/release/pack"
)

// summaryData is what the step summary of a build or release reports.
type summaryData struct {
	in              *Inputs
	ed              edition.Edition
	res             *builder.Result
	rel             *release.Result // nil: nothing was published
	changed         bool
	baseFingerprint string
	downloaded      int64  // bytes of the base release's assets downloaded
	diff            string // the data diff against the base, markdown ("" without a base)
	baseTag         string // what the diff compared with
}

// buildSummary renders the step summary: what was published, the database,
// and the same format and source tables `tagdb build` prints.
func buildSummary(d summaryData) string {
	var b strings.Builder
	res, rel := d.res, d.rel
	fmt.Fprintf(&b, "## tagdb %s — %s edition\n\n", res.Manifest.BuildInfo.Version, d.in.Profile)
	switch {
	case rel != nil && rel.Changed:
		fmt.Fprintf(&b, "Published to [%s](%s).\n\n", rel.Tag, rel.ReleaseURL)
	case rel != nil:
		fmt.Fprintf(&b, "Release [%s](%s) already has this build: nothing uploaded (%s).\n\n", rel.Tag, rel.ReleaseURL, rel.Reason)
	case d.in.Mode == "release" && !d.changed:
		fmt.Fprintf(&b, "Nothing changed since base release `%s` (fingerprint `%s`): nothing published.\n\n", d.in.BaseRelease, textfmt.ShortHash(d.baseFingerprint))
	}
	if rel != nil {
		for _, name := range slices.Sorted(maps.Keys(rel.Parts)) {
			fmt.Fprintf(&b, "`%s` was published in %d parts: rebuild it with `%s`.\n\n", name, len(rel.Parts[name]), pack.JoinCommand(name))
		}
	}
	health := "✅ passed"
	if !res.Manifest.Health.OK {
		health = "❌ failed"
	}
	fmt.Fprintf(&b, "| | |\n|---|---|\n| database | `%s` (%s) |\n| sha256 | `%s` |\n| tags | %d |\n| validation | %s |\n| licences | %s |\n| fingerprint | `%s` |\n\n",
		filepath.Base(res.Out), buildsummary.HumanBytes(res.Size), res.SHA256, res.Stats.Tags, health, strings.Join(res.Manifest.BuildInfo.Licenses, ", "), textfmt.ShortHash(res.Fingerprint))
	if d.in.BaseRelease != "" {
		fmt.Fprintf(&b, "Downloaded from base release `%s`: %s.\n\n", d.in.BaseRelease, buildsummary.HumanBytes(d.downloaded))
	}
	if d.diff != "" {
		fmt.Fprintf(&b, "### Changes since `%s`\n\n%s\n\n", d.baseTag, strings.TrimSpace(d.diff))
	}
	if len(res.Stats.Formats) > 0 {
		b.WriteString("### Tags per format\n\n")
		buildsummary.Formats(res.Stats).Markdown(&b)
		b.WriteString("\n```mermaid\npie showData title Tags per format\n")
		for _, f := range res.Stats.Formats {
			fmt.Fprintf(&b, "    %q : %d\n", f.Name, f.Tags)
		}
		b.WriteString("```\n\n")
	}
	b.WriteString("### Sources\n\n")
	buildsummary.Sources(res.Manifest.Effects).Markdown(&b)
	if len(res.Manifest.Health.Problems) > 0 {
		b.WriteString("\n### Validation problems\n\n")
		for _, p := range res.Manifest.Health.Problems {
			fmt.Fprintf(&b, "- %s\n", p)
		}
	}
	b.WriteString("\nAttribution for every source in the file is in the dataset card (`" + d.ed.Card() + "`).\n")
	return b.String()
}

// unchangedSummary is the step summary of a release run that found its
// build already published: what is published, and that only the manifest
// was downloaded.
func unchangedSummary(in *Inputs, ed edition.Edition, b *Base, fingerprint string) string {
	var s strings.Builder
	pub, snap := b.Published, b.Release
	fmt.Fprintf(&s, "## tagdb %s — %s edition\n\n", pub.BuildInfo.Version, in.Profile)
	fmt.Fprintf(&s, "Nothing changed since base release `%s` (fingerprint `%s`): nothing published. No database was downloaded and nothing was built; downloaded from [%s](%s): %s (`%s`).\n\n",
		in.BaseRelease, textfmt.ShortHash(fingerprint), snap.Tag(), snap.URL(), buildsummary.HumanBytes(b.Downloaded), ed.Manifest())
	asset := ed.Database(in.Method)
	fmt.Fprintf(&s, "| | |\n|---|---|\n| database | [`%s`](%s) |\n| sha256 | `%s` |\n| tags | %d |\n| schema | `%s` |\n| licences | %s |\n\n",
		asset, snap.AssetURL(asset), pub.Output.SHA256, pub.Statistics.Tags, textfmt.ShortHash(pub.SchemaHash), strings.Join(pub.BuildInfo.Licenses, ", "))
	return s.String()
}
