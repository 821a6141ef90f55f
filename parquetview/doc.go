// Package parquetview exports one format of a built database as Parquet files:
// the "danbooru view" of the Python builder (docs/reader-contract.md, "Parquet
// view"), one row per canonical tag of the format with its aliases and
// translations as lists.
//
// Differences from the Python export, on purpose: lists are built with
// json_group_array, so an alias or translation that contains a comma stays one
// element (docs/python-differences.md, W17); files are cut by row count, not by
// id range, so every shard has a bounded size; lang_zh includes the regional
// codes zh-cn, zh-hk and zh-tw, which the Python export silently dropped.
package parquetview
