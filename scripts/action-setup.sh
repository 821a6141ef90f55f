#!/usr/bin/env bash
# The first step of action.yml: find the tagdb binary for this runner and
# write its path to the step output "bin".
#
# A released ref (the tag in dist/VERSION, or its vX / vX.Y alias) runs the
# release's binary: taken from the runner's tool cache, else downloaded from
# the action's GitHub release through the REST API at TAGDB_API_URL (so
# GitHub Enterprise and a test's fake work), and in both cases run only when
# its sha256 is the one in dist/SHA256SUMS of the action's own checkout. The
# checksum comes with the action's source, never from where the binary came
# from: a substituted asset, or a changed cache, is refused. Any other ref (a
# branch, a SHA, a local `uses: ./`), or a release without the asset, builds
# from source with the Go on the runner.
#
# Environment: TAGDB_ACTION_PATH, TAGDB_ACTION_REF, TAGDB_ACTION_REPOSITORY,
# TAGDB_API_URL, TAGDB_TOKEN, TAGDB_TOOL_CACHE, RUNNER_OS, RUNNER_ARCH,
# RUNNER_TEMP, GITHUB_OUTPUT.
set -euo pipefail
root=${TAGDB_ACTION_PATH:?}
# shellcheck source=scripts/release-lib.sh
. "$root/scripts/release-lib.sh"

case "${RUNNER_OS:-Linux}" in
Linux) os=linux ;; macOS) os=darwin ;; Windows) os=windows ;;
*) echo "::error::unsupported RUNNER_OS '${RUNNER_OS}'"; exit 1 ;;
esac
case "${RUNNER_ARCH:-X64}" in
X64) arch=amd64 ;; ARM64) arch=arm64 ;;
*) echo "::error::unsupported RUNNER_ARCH '${RUNNER_ARCH}'"; exit 1 ;;
esac
name=$(binary_name "$os" "$arch")
ref=${TAGDB_ACTION_REF:-}
repo=${TAGDB_ACTION_REPOSITORY:-}
tmp=${RUNNER_TEMP:-/tmp}/tagdb-action
mkdir -p "$tmp"

emit() { echo "bin=$1" >>"${GITHUB_OUTPUT:?}"; }

from_source() {
	local bin="$tmp/tagdb${name#tagdb-$os-$arch}" # keeps .exe on Windows
	echo "tagdb: $1: building tagdb from source"
	if ! command -v go >/dev/null 2>&1; then
		echo "::error::tagdb: $1, and there is no Go on this runner to build from source (add actions/setup-go, or use a released ref such as @v1)"
		exit 1
	fi
	echo "::group::go build ($(go version))"
	(cd "$root" && go build -o "$bin" .)
	echo "::endgroup::"
	emit "$bin"
	exit 0
}

# released: the version this ref stands for, or nothing.
released() {
	local v major minor patch pre
	v=$(cat "$root/dist/VERSION" 2>/dev/null) || return 0
	read -r major minor patch pre <<<"$(semver_parts "$v")"
	case "$ref" in
	"$v" | "v$major.$minor" | "v$major") echo "$v" ;;
	esac
}

version=$(released)
[ -n "$ref" ] || from_source "the action is used from a local path, not a release"
[ -n "$version" ] || from_source "ref '$ref' is not a release of the action (dist/VERSION: $(cat "$root/dist/VERSION" 2>/dev/null || echo none))"
want=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$root/dist/SHA256SUMS" 2>/dev/null || true)
[ -n "$want" ] || from_source "dist/SHA256SUMS of $version lists no $name"

# verify FILE ORIGIN: refuse anything whose sha256 is not the committed one.
verify() {
	local got
	got=$(sha_of "$1")
	if [ "$got" != "$want" ]; then
		rm -f "$1"
		echo "::error::tagdb: $name from $2 is not the binary of $version: sha256 $got, expected sha256 $want (dist/SHA256SUMS of the action); refusing to run it"
		exit 1
	fi
}

cache_dir="${TAGDB_TOOL_CACHE:-$tmp/tool-cache}/tagdb/${version#v}/$os-$arch"
bin="$cache_dir/$name"
if [ -f "$bin" ]; then
	verify "$bin" "the tool cache ($cache_dir)"
	echo "tagdb $version ($name) from the tool cache, sha256 $want verified"
	emit "$bin"
	exit 0
fi

api=${TAGDB_API_URL:-https://api.github.com}
api=${api%/}
auth=()
[ -n "${TAGDB_TOKEN:-}" ] && auth=(-H "Authorization: Bearer $TAGDB_TOKEN")
command -v jq >/dev/null 2>&1 || from_source "jq is not installed to read the release of $version"
# fetch URL OUT ACCEPT: the HTTP status (000 when nothing answered).
fetch() {
	curl -sSL --retry 3 --connect-timeout 20 -o "$2" -w '%{http_code}' \
		-H "Accept: $3" -H "X-GitHub-Api-Version: 2022-11-28" ${auth[@]+"${auth[@]}"} "$1" || true
}
code=$(fetch "$api/repos/$repo/releases/tags/$version" "$tmp/release.json" application/vnd.github+json)
[ "$code" = 200 ] || from_source "release $version of $repo not found at $api (HTTP $code)"
asset=$(jq -r --arg n "$name" '.assets[] | select(.name == $n) | .url' "$tmp/release.json")
[ -n "$asset" ] || from_source "release $version of $repo has no asset $name"
part="$tmp/$name.download"
code=$(fetch "$asset" "$part" application/octet-stream)
[ "$code" = 200 ] || from_source "download of $name from release $version failed (HTTP $code)"
verify "$part" "release $version of $repo"
chmod +x "$part"
# Into the cache by a rename within its folder: a concurrent job on the same
# runner sees the whole binary or none.
mkdir -p "$cache_dir"
cp "$part" "$bin.$$"
mv -f "$bin.$$" "$bin"
rm -f "$part"
echo "tagdb $version ($name) downloaded from release $version of $repo, sha256 $want verified"
emit "$bin"
