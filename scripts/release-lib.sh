# Shared by scripts/release.sh (the maintainer's and the release workflow's
# side) and scripts/action-setup.sh (the runner's side), so that both read a
# version and hash a binary the same way. Sourced, never run.

die() { echo "${0##*/}: $*" >&2; exit 1; }

# semver_parts vX.Y.Z[-pre] -> "X Y Z pre" (pre empty for a release); anything
# else is refused.
semver_parts() {
	local re='^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$'
	[[ $1 =~ $re ]] || die "version '$1' is not vMAJOR.MINOR.PATCH[-PRERELEASE]"
	echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]} ${BASH_REMATCH[4]#-}"
}

# sha_of FILE: its sha256 in hex (sha256sum on Linux and Windows' Git Bash,
# shasum on macOS).
sha_of() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	else
		shasum -a 256 "$1" | cut -d' ' -f1
	fi
}

# binary_name OS ARCH: the release asset name of one target.
binary_name() {
	local ext=""
	[ "$1" = windows ] && ext=.exe
	echo "tagdb-$1-$2$ext"
}
