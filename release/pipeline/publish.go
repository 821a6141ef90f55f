package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations/validate"
	"github.com/tagdb/tagdb-action/release"
	"github.com/tagdb/tagdb-action/release/pack"
)

// Publisher publishes files as a release; *release.Client is one.
type Publisher interface {
	Publish(ctx context.Context, o release.PublishOptions) (*release.Result, error)
}

// Options describe the publication of one database.
type Options struct {
	DB       string   // the database to validate and publish
	Manifest string   // build_manifest.json to publish last ("" for none)
	Extras   []string // dataset card, reports: published under their base names
	OutDir   string   // where the compressed database, checksums and parts go (must exist)
	Method   pack.Method
	// AssetName and SumsName name the database and checksum assets
	// (defaults: the database's file name plus the method's extension, and
	// SHA256SUMS); see release/edition for an edition's names.
	AssetName, SumsName string
	// SkipUnchanged publishes nothing when the release's manifest already
	// has the fingerprint of Manifest.
	SkipUnchanged bool
	// Release is the release to publish to. Its Assets, Fingerprint and
	// SplitDir are filled in by the steps; Split cuts assets over GitHub's
	// limit into parts instead of refusing them.
	Release release.PublishOptions
}

// Publication is one run of the publish pipeline: its options, and what each
// step hands to the next.
type Publication struct {
	o      Options
	client Publisher

	// Bundle is the packed files (after pack).
	Bundle *pack.Bundle
	// Result is what the publish step did; set even when it failed part-way,
	// so that the caller can point at the release page.
	Result *release.Result
}

// New prepares a publication through client.
func New(o Options, client Publisher) *Publication { return &Publication{o: o, client: client} }

// Steps are the publication's steps in order.
func (p *Publication) Steps() []Step {
	return []Step{
		NewStep("validate", p.validate),
		NewStep("pack", p.pack),
		NewStep("publish", p.publish),
		NewStep("verify", p.verify),
	}
}

// Run runs Steps, logging to log.
func (p *Publication) Run(ctx context.Context, log *slog.Logger) error {
	return Run(ctx, log, p.Steps()...)
}

// InvalidError refuses a database that fails the full validation; nothing
// was packed or uploaded.
type InvalidError struct {
	DB     string
	Report *validate.Report
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("%s fails validation; nothing was uploaded: %s", e.DB, strings.Join(e.Report.Problems, "; "))
}

// validate runs the full check (integrity_check and page accounting, not the
// build's quick one): a published file is read by everyone, once.
func (p *Publication) validate(ctx context.Context) error {
	conn, err := sqlitedb.Open(ctx, p.o.DB, sqlitedb.ReadOnly)
	if err != nil {
		return err
	}
	defer conn.Close()
	// A published file must be in DELETE journal mode: readers open it
	// from read-only places where a WAL file cannot work.
	rep, err := validate.Run(ctx, conn, validate.Options{RequireDeleteJournal: true})
	if err != nil {
		return fmt.Errorf("%s: %w", p.o.DB, err)
	}
	if !rep.OK() {
		return &InvalidError{DB: p.o.DB, Report: rep}
	}
	return nil
}

func (p *Publication) pack(ctx context.Context) error {
	if p.o.SkipUnchanged && p.o.Manifest != "" {
		fp, err := release.ReadFingerprint(p.o.Manifest)
		if err != nil {
			return fmt.Errorf("manifest: %w", err)
		}
		p.o.Release.Fingerprint = fp
	}
	b, err := pack.MakeBundle(ctx, pack.BundleOptions{
		DB: p.o.DB, OutDir: p.o.OutDir, Method: p.o.Method, AssetName: p.o.AssetName,
		Manifest: p.o.Manifest, Extras: p.o.Extras, SumsName: p.o.SumsName,
	})
	if err != nil {
		return err
	}
	p.Bundle = b
	return nil
}

func (p *Publication) publish(ctx context.Context) error {
	o := p.o.Release
	o.Assets = release.AssetsOf(p.Bundle.Files)
	o.SplitDir = p.o.OutDir
	if p.Bundle.Manifest != nil && o.ManifestName == "" {
		o.ManifestName = p.Bundle.Manifest.Name
	}
	res, err := p.client.Publish(ctx, o)
	p.Result = res
	return err
}

// verify checks the release holds every packed file, whole or as its parts,
// whether this run uploaded it or found it there unchanged, and that what
// this run uploaded has the packed size.
func (p *Publication) verify(context.Context) error {
	res := p.Result
	var missing []string
	for _, f := range p.Bundle.Files {
		if parts := res.Parts[f.Name]; len(parts) > 0 {
			for _, name := range parts {
				if res.Asset(name) == nil {
					missing = append(missing, name)
				}
			}
			continue
		}
		a := res.Asset(f.Name)
		switch {
		case a == nil && slices.Contains(res.Skipped, f.Name): // empty: GitHub refuses it
		case a == nil:
			missing = append(missing, f.Name)
		case a.Uploaded && a.Size != f.Size:
			// Only what this run uploaded is this run's file: an unchanged
			// release keeps the earlier build of the same fingerprint.
			missing = append(missing, fmt.Sprintf("%s (%d bytes on the release, %d packed)", f.Name, a.Size, f.Size))
		}
	}
	if len(missing) > 0 {
		return errors.New("release " + res.Tag + " lacks " + strings.Join(missing, ", "))
	}
	return nil
}
