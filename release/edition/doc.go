// Package edition names the files of one licence edition inside a release
// that carries several: tagdb-<edition>.sqlite.zst, tagdb-<edition>.SHA256SUMS,
// tagdb-<edition>.build_manifest.json, the dataset card and the reports.
//
// Every name a release asset of an edition has is spelled here and nowhere
// else, so that the publisher, the downloader and the action agree. A split
// database's parts are named by pack.PartName after the database's name.
//
// The editions themselves are the profiles of the sources manifest (see
// List): adding a profile adds an edition.
package edition
