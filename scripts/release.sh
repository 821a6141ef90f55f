#!/usr/bin/env bash
# Release tooling of the action itself (not of the tag database).
#
#   scripts/release.sh notes   vX.Y.Z [CHANGELOG.md]  print the version's CHANGELOG section
#   scripts/release.sh build   OUTDIR VERSION [os/arch ...]
#                                                    reproducible cross-builds + OUTDIR/SHA256SUMS
#   scripts/release.sh prepare vX.Y.Z                 check the CHANGELOG, build every target into
#                                                    dist/, write dist/VERSION and dist/SHA256SUMS
#   scripts/release.sh verify  vX.Y.Z OUTDIR          rebuild every target into OUTDIR and fail unless
#                                                    the bytes match the committed dist/SHA256SUMS
#   scripts/release.sh repro   [os/arch ...]          build twice (second time from a copy of the tree
#                                                    in another folder, with an empty GOCACHE) and
#                                                    fail unless every sha256 is the same
#   scripts/release.sh tags    vX.Y.Z [REMOTE]        move the vX and vX.Y aliases to the release
#
# Binaries are reproducible: same commit, same bytes, on any machine. That is
# what lets dist/SHA256SUMS be committed in the tagged tree, and the action
# verify a downloaded binary against its own source rather than against a
# file served from the same place as the binary.
set -euo pipefail

# One Go for every release build: another compiler version gives other bytes.
# Pinned here, not by a go.mod toolchain line, which would make every runner
# with an older Go download this one even to build from source.
RELEASE_GO=go1.26.8
TARGETS=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# shellcheck source=scripts/release-lib.sh
. "$root/scripts/release-lib.sh"

# changelog_section VERSION FILE: the body of "## [X.Y.Z]" (also "## X.Y.Z",
# "## vX.Y.Z", with anything after the version, e.g. " - 2026-12-01") up to the
# next "## " heading. Fails when there is no such section or it is empty.
changelog_section() {
	local v=${1#v} file=$2 body
	[ -r "$file" ] || die "$file: no such file"
	body=$(awk -v v="$v" '
		/^## / {
			h = $2; gsub(/^\[|\]$/, "", h); sub(/^v/, "", h)
			if (on) exit
			if (h == v) { on = 1; next }
		}
		on { print }
	' "$file" | sed -e '/./,$!d')
	[ -n "$body" ] || die "$file has no section '## [$v]' (or it is empty): write the release notes first"
	printf '%s\n' "$body"
}

# build OUTDIR VERSION TARGET...: one stripped static binary per target,
# named tagdb-OS-ARCH[.exe], and OUTDIR/SHA256SUMS listing them. Everything
# that reaches the bytes is fixed: toolchain, flags, CPU level, no VCS stamp,
# no build id, no paths (-trimpath); the caller's GOFLAGS are ignored.
build() {
	local out=$1 version=$2; shift 2
	[ $# -gt 0 ] || set -- "${TARGETS[@]}"
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	: >"$out/SHA256SUMS.tmp"
	local t os arch name
	for t in "$@"; do
		os=${t%/*} arch=${t#*/}
		name=$(binary_name "$os" "$arch")
		echo "build $name ($version)" >&2
		(cd "$root" && env GOTOOLCHAIN="$RELEASE_GO" GOFLAGS= GOEXPERIMENT= CGO_ENABLED=0 \
			GOOS="$os" GOARCH="$arch" GOAMD64=v1 GOARM64=v8.0 \
			go build -trimpath -buildvcs=false \
			-ldflags "-s -w -buildid= -X main.programVersion=$version" \
			-o "$out/$name" .) || die "build of $name failed"
		echo "$(sha_of "$out/$name")  $name" >>"$out/SHA256SUMS.tmp"
	done
	sort -k2 "$out/SHA256SUMS.tmp" >"$out/SHA256SUMS"
	rm -f "$out/SHA256SUMS.tmp"
}

# scratch_dir: a temporary folder in $scratch, removed when the script exits
# (a global: the EXIT trap runs after every function has returned).
scratch_dir() {
	scratch=$(mktemp -d)
	trap 'rm -rf "$scratch"' EXIT
}

cmd_notes() {
	[ $# -ge 1 ] || die "usage: notes vX.Y.Z [CHANGELOG.md]"
	semver_parts "$1" >/dev/null
	changelog_section "$1" "${2:-$root/CHANGELOG.md}"
}

cmd_build() {
	[ $# -ge 2 ] || die "usage: build OUTDIR VERSION [os/arch ...]"
	build "$@"
}

cmd_prepare() {
	[ $# -eq 1 ] || die "usage: prepare vX.Y.Z"
	semver_parts "$1" >/dev/null
	changelog_section "$1" "$root/CHANGELOG.md" >/dev/null
	# Build aside and move into place only when every target built: a failed
	# build never leaves a half-written dist/.
	scratch_dir
	local tmp=$scratch
	build "$tmp" "$1"
	echo "$1" >"$tmp/VERSION"
	mkdir -p "$root/dist"
	rm -f "$root"/dist/tagdb-*
	mv "$tmp"/tagdb-* "$tmp/SHA256SUMS" "$tmp/VERSION" "$root/dist/"
	echo "dist/ holds $1: commit dist/VERSION and dist/SHA256SUMS (the binaries are ignored), then tag $1" >&2
}

cmd_verify() {
	[ $# -eq 2 ] || die "usage: verify vX.Y.Z OUTDIR"
	local want
	want=$(cat "$root/dist/VERSION" 2>/dev/null) || die "dist/VERSION missing: run scripts/release.sh prepare $1 and commit dist/"
	[ "$want" = "$1" ] || die "dist/VERSION says '$want' but the tag is '$1'"
	build "$2" "$1"
	if ! diff -u "$root/dist/SHA256SUMS" "$2/SHA256SUMS" >&2; then
		die "the binaries built here differ from the committed dist/SHA256SUMS (above: - committed, + built); the build is not reproducible or dist/ is stale"
	fi
	echo "all $(wc -l <"$2/SHA256SUMS") binaries match dist/SHA256SUMS" >&2
}

cmd_repro() {
	[ $# -gt 0 ] || set -- "${TARGETS[@]}"
	scratch_dir
	local tmp=$scratch copy
	build "$tmp/a" v0.0.0-repro "$@"
	# The same commit from another folder with an empty build cache: the
	# binaries must not depend on where the tree is or what was built before.
	copy="$tmp/elsewhere/tagdb-action"
	mkdir -p "$copy"
	(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$copy")
	GOCACHE="$tmp/gocache" bash "$copy/scripts/release.sh" build "$tmp/b" v0.0.0-repro "$@"
	if ! diff -u "$tmp/a/SHA256SUMS" "$tmp/b/SHA256SUMS"; then
		die "two builds of the same tree differ (- first build, + second build)"
	fi
	cat "$tmp/a/SHA256SUMS"
	echo "reproducible: $# targets built twice, identical sha256" >&2
}

# tags VERSION [REMOTE]: after the release VERSION is published, point vX and
# vX.Y at it, unless it is a prerelease or a newer release already holds the
# alias (a v1.1.5 published after v1.2.0 moves v1.1, never v1). The changelog
# is read from the tagged commit, so a tag without release notes moves
# nothing. Aliases are lightweight tags on the release's commit.
cmd_tags() {
	[ $# -ge 1 ] || die "usage: tags vX.Y.Z [REMOTE]"
	local version=$1 remote=${2:-origin} major minor patch pre commit tagged
	read -r major minor patch pre <<<"$(semver_parts "$version")"
	git fetch --quiet --force --tags "$remote" || die "cannot fetch tags from '$remote'"
	commit=$(git rev-parse --verify --quiet "refs/tags/$version^{commit}") || die "tag $version does not exist in '$remote'"
	tagged=$(git show "$commit:CHANGELOG.md" 2>/dev/null) || die "$version: the tagged commit has no CHANGELOG.md"
	changelog_section "$version" <(printf '%s\n' "$tagged") >/dev/null
	if [ -n "$pre" ]; then
		echo "$version is a prerelease: v$major and v$major.$minor stay where they are"
		return 0
	fi
	local alias newest
	for alias in "v$major" "v$major.$minor"; do
		newest=$(git tag --list "$alias.*" | newest_release)
		if [ "$newest" != "$version" ]; then
			echo "$alias stays: $newest is newer than $version"
			continue
		fi
		git tag --force "$alias" "$commit" >/dev/null
		git push --quiet --force "$remote" "refs/tags/$alias" || die "cannot push $alias to '$remote'"
		echo "$alias -> $version ($commit)"
	done
}

# newest_release: from tag names on stdin, the highest vX.Y.Z release (a
# prerelease or an alias never counts).
newest_release() {
	{ grep -E '^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$' || true; } |
		sort -t. -k1.2,1n -k2,2n -k3,3n | tail -n1
}

[ $# -ge 1 ] || die "usage: release.sh notes|build|prepare|verify|repro|tags ..."
sub=$1; shift
case "$sub" in
notes | build | prepare | verify | repro | tags) "cmd_$sub" "$@" ;;
*) die "unknown command '$sub'" ;;
esac
