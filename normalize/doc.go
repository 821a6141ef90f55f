// Package normalize owns the text rules every source adapter and the merge
// share: how a raw tag becomes TAGS.tag (Tag) and TAGS.source_tag
// (SourceTag), kaomoji detection (IsKaomoji), Python-compatible lowercasing
// and trimming (Lower, TrimSpace, IsSpace), translation cleaning
// (SplitTranslation, HasRequiredScript), translation column names to language
// codes (LanguageCode) and category prefixes (CategoryPrefixes,
// StripCategoryPrefix). It does no I/O and holds no state, so every function
// is safe for concurrent use.
//
// The rules reproduce core/normalize.py and the translation helpers of the
// Python builder (docs/merge-rules.md: "Normalisation", "Category prefixes",
// "Language codes", "Translations"), including Python's
// str.lower(), str.strip(), str.isalnum() and re semantics, because TAGS.tag
// is the lookup key of existing databases and of the consumer.
//
// # Deliberate differences from the Python builder
//
//   - Tag maps the full-width backslash ＼ to one "\", not two
//     (docs/python-differences.md, W14: Python's translation table has "\\\\").
//   - Tag collapses runs of U+0020 spaces (including those made from "_" and
//     U+3000) to one. The consumer's TagCleaner collapses spaces before its
//     lookup, so the tag Python made from "a__b", with two spaces, could
//     never be found. Other whitespace inside a tag (tab, U+00A0) is kept, as
//     in Python. In the shared real data this changes 8 of 391,710 distinct
//     tags, aliases and translation values.
//   - Tag returns "" for input that normalises to nothing ("_", "__", only
//     whitespace); Python stored an empty tag. The caller rejects it.
//   - SplitTranslation strips whitespace and quote characters from each end
//     until neither is left; Python stripped whitespace once and then quotes
//     once, which kept the tab in `"\t魔女"`. Results differ only for parts
//     where whitespace other than U+0020 sits inside a quote at an end.
//   - LanguageCode lowercases the X of trans_X (trans_zh-CN is zh-cn, as the
//     consumer already sees it), keeps zh-tw and zh-hant instead of cutting
//     them to "zh", knows four more language names and "jp", and rejects
//     unknown names instead of returning their first two characters
//     (docs/python-differences.md, W11).
//   - StripCategoryPrefix matches and strips ignoring ASCII case; Python found
//     prefixed tags with a case-insensitive LIKE but stripped case-sensitively
//     (docs/python-differences.md, W13).
//   - Invalid UTF-8 bytes, which a Python str cannot hold, are copied through
//     unchanged and never treated as letters or whitespace.
//   - Unicode tables are Go's (unicode.Version 15.0.0 with Go 1.26), Python
//     3.11 uses 14.0. For characters assigned in 14.0 every property used here
//     (lowercase mapping, Cased, Case_Ignorable, isalnum, isspace) agrees;
//     only characters assigned later can differ.
//
// Kept on purpose although the Python builder's weak point W14 lists them
// (docs/python-differences.md, "Kept the same on purpose"): kaomoji keep their
// case, so "XD" and "xd" are two tags, and "100_100" is a face that keeps its
// underscore; HasRequiredScript does not check zh-cn and zh-hk.
//
// # Idempotence
//
// SourceTag is idempotent: SourceTag(SourceTag(x)) == SourceTag(x) for every
// x.
//
// Tag is idempotent except where a kaomoji stops being one once its
// parentheses are escaped: Tag(Tag(x)) == Tag(x) whenever IsKaomoji(x) is
// false or IsKaomoji(Tag(x)) is true. The exception is real: "(o_o)" gives
// `\(o_o\)`, which is no longer a face and normalises to `\(o o\)`. Tag
// output therefore must not be fed back into Tag; store it and look it up as
// is. A non-kaomoji input with a backslash is not an exception: every
// parenthesis of Tag's output is already escaped.
//
// # Speed
//
// Tag and SourceTag run on every row of every source (about 10M per build),
// so they use hand-written scanners instead of regular expressions: an ASCII
// tag that needs no change is returned without allocation, one that does
// costs one pass and one allocation, and kaomoji detection gives up after a
// few bytes for ordinary tags.
package normalize
