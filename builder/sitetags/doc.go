// Package sitetags reads the deepghs/site_tags dataset (CC-BY-4.0): one folder
// per booru domain holding tags.sqlite (or tags.parquet as a fallback), and
// turns each folder into a record.Source.
//
// It owns, and nothing else in the builder should re-implement:
//   - the 18-domain → TAG_FORMATS.format_id table (DomainFormat, Discover);
//   - the 11 ordered schema-detection rules of docs/site-tags.md, which say for
//     each of the 12 real table layouts which column is the tag, the count, the
//     type, the deprecation flag, the timestamps and the translations;
//   - alias resolution (docs/site-tags.md, "Aliases"): tag_aliases pairs, or
//     the anime-pictures tags.alias id column, grouped per alias with overrides
//     (LoadOverrides) and first-win in rowid order, chains followed to their
//     end, cycles broken at their lexicographically smallest member, and the
//     invalid_tag/bad_tag sinks turned into stand-alone deprecated rows;
//   - the fixes for the Python builder's weak points W8, W9 and W15
//     (docs/python-differences.md): aliases whose canonical has no tags row are
//     kept on a synthetic canonical row, an alias row's own translations are
//     kept on a translation-only row, chains and cycles are resolved, and every
//     order is defined (ORDER BY rowid).
//
// Rows come in file order (ORDER BY rowid), then the synthetic rows (orphan
// canonicals, then sinks, each sorted by name). Row.Pos is "tags rowid N" or
// "tag_aliases rowid N" for SQLite, "tags.parquet row N" or
// "tag_aliases.parquet row N" (1-based) for the Parquet fallback.
//
// The adapter passes tags as the site spells them (trimmed only); it never
// normalises, assigns ids or touches the output database. Types are the site's
// own numbers: wallhaven, zerochan and pixiv have no usable type column
// (zerochan's TEXT type is a free-form, sometimes comma-joined label such as
// "character,game" and wallhaven's category_id is not a booru category), so
// their rows carry record.UnknownType, as the Python builder does
// (docs/python-differences.md, W12).
package sitetags
