package search

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tagdb/tagdb-action/normalize"
)

// The trigram index is two external-content FTS5 tables: they store only the
// trigram postings and read the text from TAGS and TAG_TRANSLATIONS, so the
// file does not hold the strings twice. Readers that do not know them (the
// Python client) ignore extra tables. The file is read-only once built; a
// tool that edits TAGS afterwards must run CreateSubstringIndex again.
const (
	tagFTSTable         = "TAGS_FTS"
	translationFTSTable = "TAG_TRANSLATIONS_FTS"
)

// ftsDriverSQL yields the tags whose tag (bound: a trigramQuery) or one of
// whose translations (another) holds every trigram of the text: a superset of
// the matches, which substringPred then makes exact.
const ftsDriverSQL = `SELECT rowid AS tag_id FROM ` + tagFTSTable + ` WHERE ` + tagFTSTable + ` MATCH ?
UNION SELECT tr.tag_id FROM ` + translationFTSTable + ` CROSS JOIN TAG_TRANSLATIONS tr ON tr.translation_id = ` + translationFTSTable + `.rowid
WHERE ` + translationFTSTable + ` MATCH ?`

// substringPred holds for a tag whose tag (bound: a LIKE pattern) or one of
// whose translations (another) matches; {id} stands for the tag id.
const substringPred = `(EXISTS (SELECT 1 FROM TAGS t WHERE t.tag_id = {id} AND t.tag LIKE ? ESCAPE '\')
OR EXISTS (SELECT 1 FROM TAG_TRANSLATIONS tr WHERE tr.tag_id = {id} AND tr.translation LIKE ? ESCAPE '\'))`

// CreateSubstringIndex adds (or rebuilds) the trigram index that Substring
// uses. The builder calls it behind `--fts` on the finished database; it
// needs SQLite's FTS5 with the trigram tokenizer, which modernc.org/sqlite
// has.
func CreateSubstringIndex(ctx context.Context, db *sql.DB) error {
	stmts := []string{
		`DROP TABLE IF EXISTS ` + tagFTSTable,
		`DROP TABLE IF EXISTS ` + translationFTSTable,
		// detail=none keeps only which rows hold a trigram, not where; a
		// substring query then re-checks the candidates' text, which is what
		// LIKE does anyway. It makes the index a fraction of the size, and
		// columnsize=0 drops the per-row sizes that only ranking functions
		// (bm25) read.
		`CREATE VIRTUAL TABLE ` + tagFTSTable + ` USING fts5(tag, content='TAGS', content_rowid='tag_id', tokenize='trigram', detail='none', columnsize=0)`,
		`INSERT INTO ` + tagFTSTable + `(` + tagFTSTable + `) VALUES ('rebuild')`,
		`CREATE VIRTUAL TABLE ` + translationFTSTable + ` USING fts5(translation, content='TAG_TRANSLATIONS', content_rowid='translation_id', tokenize='trigram', detail='none', columnsize=0)`,
		`INSERT INTO ` + translationFTSTable + `(` + translationFTSTable + `) VALUES ('rebuild')`,
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("substring index: %w", err)
		}
	}
	return nil
}

// Substring returns up to limit canonical tags whose tag, or one of whose
// translations, contains text (ignoring case), by count over all formats. The
// tag side compares the normalised text ("_(weapon)" finds `bow \(weapon\)`),
// the translation side the text as given. It uses the trigram index when the
// file has one and text has at least three characters, and otherwise scans
// both tables; Path says which.
func (d *DB) Substring(ctx context.Context, text string, limit int) ([]Tag, Path, error) {
	tagText, trText := normalize.Tag(text), normalize.TrimSpace(text)
	if trText == "" {
		return nil, "", fmt.Errorf("substring %q: empty", text)
	}
	if tagText == "" {
		tagText = trText // "_" and the like: nothing to normalise, search as typed
	}
	p := &plan{}
	if limit <= 0 {
		return []Tag{}, PathScan, nil
	}
	likeTag, likeTr := "%"+escapeLike(tagText)+"%", "%"+escapeLike(trText)+"%"
	predArgs := []any{likeTag, likeTr}

	if d.hasTagFTS && d.hasTranslationFTS && utf8.RuneCountInString(tagText) >= 3 && utf8.RuneCountInString(trText) >= 3 {
		args := []any{trigramQuery(tagText), trigramQuery(trText)}
		// The estimate counts trigram matches of the tag side alone: no LIKE
		// re-check, no translations, only to choose a strategy.
		hits, err := d.rankChoose(ctx, p, limit, candidates{
			estimate: "SELECT rowid FROM " + tagFTSTable + " WHERE " + tagFTSTable + " MATCH ?", estimateArgs: args[:1],
			driver: ftsDriverSQL, driverArgs: args, loose: true,
			pred: substringPred, predArgs: predArgs,
		})
		if err != nil {
			return nil, "", fmt.Errorf("substring %q: %w", text, err)
		}
		tags, err := d.details(ctx, hits)
		return tags, PathFTS, err
	}
	driver := `SELECT tag_id FROM TAGS WHERE tag LIKE ? ESCAPE '\' UNION SELECT tag_id FROM TAG_TRANSLATIONS WHERE translation LIKE ? ESCAPE '\'`
	hits, err := d.rankAll(ctx, p, driver, predArgs, "", nil, limit)
	if err != nil {
		return nil, "", fmt.Errorf("substring %q: %w", text, err)
	}
	tags, err := d.details(ctx, hits)
	return tags, PathScan, err
}

// escapeLike makes s a literal inside a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// trigramQuery turns s (three characters or more) into an FTS5 query for the
// rows that contain all of its trigrams. A detail=none table cannot match
// phrases, but every quoted trigram is a single token, and AND of them is the
// candidate set that the LIKE re-check then makes exact.
func trigramQuery(s string) string {
	rs := []rune(s)
	seen := map[string]bool{}
	var parts []string
	for i := 0; i+3 <= len(rs); i++ {
		g := string(rs[i : i+3])
		if !seen[g] {
			seen[g] = true
			parts = append(parts, `"`+strings.ReplaceAll(g, `"`, `""`)+`"`)
		}
	}
	return strings.Join(parts, " AND ")
}
