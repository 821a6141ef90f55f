#!/usr/bin/env bash
# bench/guard.sh: the performance regression guard, run by hand before a
# release (BENCHMARKS.md, "Regression guard"). It rebuilds the scale-0.25
# synthetic input (bench/run.sh's step (b), three runs), runs the search
# benchmarks against that build (six counts each, for benchstat), and compares
# both with the numbers recorded in bench/baseline/.
#
#   bench/guard.sh            # compare with bench/baseline/; exit 1 on a regression
#   bench/guard.sh record     # measure and write bench/baseline/ (commit it)
#
# Settings (environment variables), besides bench/run.sh's BENCH_WORK,
# BENCH_INPUTS and BENCH_SEED:
#   GUARD_SCALE       0.25  the synthetic scale (a smaller one only to try the script out)
#   GUARD_RUNS        3     builds measured; the median counts
#   GUARD_TIME_TOL    15    % a build's median wall time may exceed the baseline's
#   GUARD_RSS_TOL     10    % its peak RSS may exceed the baseline's
#   GUARD_SEARCH_TOL  20    % a search benchmark's p50 (wall or CPU) may grow, when benchstat finds the change significant
#
# The build's time is compared as a ratio to the baseline, which is only
# meaningful on the machine that recorded it: the baseline names its machine
# and load, and the comparison prints both. benchstat comes from
# golang.org/x/perf at a pinned version (installed when missing).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export BENCH_WORK=${BENCH_WORK:-/tmp/tagdb-guard}
S=${GUARD_SCALE:-0.25}
export BENCH_SCALES=$S
export BENCH_RUNS=${GUARD_RUNS:-3}
# shellcheck source=run.sh
source "$here/run.sh" # defines the measuring functions only

BASE=$repo/bench/baseline
TIME_TOL=${GUARD_TIME_TOL:-15}
RSS_TOL=${GUARD_RSS_TOL:-10}
SEARCH_TOL=${GUARD_SEARCH_TOL:-20}
BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da

benchstat_bin() {
	local bin
	bin=$(go env GOPATH)/bin/benchstat
	if ! command -v benchstat >/dev/null 2>&1 && [ ! -x "$bin" ]; then
		say "installing benchstat ($BENCHSTAT_VERSION)"
		go install "golang.org/x/perf/cmd/benchstat@$BENCHSTAT_VERSION" >&2
	fi
	command -v benchstat 2>/dev/null || echo "$bin"
}

# measure_all builds three times and runs the search benchmarks; the search
# output goes to $W/search.txt.
measure_all() {
	setup
	step_gen "$S"
	step_build "$S"
	say "search benchmarks (6 counts)"
	TAGDB_BENCH_DB=$W/out-$S/cc4.sqlite go -C "$repo" test -run '^$' -bench "$SEARCH_BENCH" \
		-benchtime 500x -count 6 ./search >"$W/search.txt" 2>"$W/logs/search.err" ||
		{ say "search benchmarks failed:"; tail -n 15 "$W/logs/search.err" "$W/search.txt" >&2; exit 1; }
}

machine() {
	echo "$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
}

record() {
	measure_all
	mkdir -p "$BASE"
	{
		echo "# bench/guard.sh record, $(date -u +%Y-%m-%dT%H:%MZ), tagdb at $(git -C "$repo" rev-parse --short HEAD)"
		printf 'machine\t%s\n' "$(machine)"
		printf 'load\t%s\n' "$(loads "$S" b)"
		printf 'wall_s\t%s\n' "$(median "$S" b 4)"
		printf 'rss_kb\t%s\n' "$(median "$S" b 5)"
		printf 'sha256\t%s\n' "$(getfact "$S" sha256)"
	} >"$BASE/build.tsv"
	cp "$W/search.txt" "$BASE/search.txt"
	say "recorded $BASE/build.tsv and $BASE/search.txt"
	cat "$BASE/build.tsv"
}

base() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$BASE/build.tsv"; }

# over NEW OLD TOL: 1 when NEW exceeds OLD by more than TOL percent.
over() { awk -v n="$1" -v o="$2" -v t="$3" 'BEGIN { print (o > 0 && n > o * (1 + t / 100)) ? 1 : 0 }'; }

compare() {
	[ -f "$BASE/build.tsv" ] && [ -f "$BASE/search.txt" ] ||
		{ say "no baseline in $BASE: run 'bench/guard.sh record' first"; exit 2; }
	local bs
	bs=$(benchstat_bin)
	measure_all
	local fail=0 w r ow orss
	w=$(median "$S" b 4)
	r=$(median "$S" b 5)
	ow=$(base wall_s)
	orss=$(base rss_kb)
	echo "baseline: $(head -n1 "$BASE/build.tsv" | sed 's/^# //'); $(base machine); load $(base load)"
	echo "now:      $(date -u +%Y-%m-%dT%H:%MZ), tagdb at $(git -C "$repo" rev-parse --short HEAD); $(machine); load $(loads "$S" b)"
	echo
	printf 'scale-%s build   median wall %6.1f s (baseline %6.1f s, %+.0f%%, allowed +%s%%)\n' "$S" "$w" "$ow" \
		"$(awk -v a="$w" -v b="$ow" 'BEGIN { print (a / b - 1) * 100 }')" "$TIME_TOL"
	printf 'scale-%s build   peak RSS   %6.0f MiB (baseline %6.0f MiB, %+.0f%%, allowed +%s%%)\n' "$S" "$((r / 1024))" "$((orss / 1024))" \
		"$(awk -v a="$r" -v b="$orss" 'BEGIN { print (a / b - 1) * 100 }')" "$RSS_TOL"
	[ "$(over "$w" "$ow" "$TIME_TOL")" = 0 ] || { echo "REGRESSION: build time"; fail=1; }
	[ "$(over "$r" "$orss" "$RSS_TOL")" = 0 ] || { echo "REGRESSION: build peak RSS"; fail=1; }
	[ "$(getfact "$S" sha256)" = "$(base sha256)" ] ||
		echo "note: the output's sha256 differs from the baseline's (expected when the build's output changed on purpose)"
	echo
	"$bs" "$BASE/search.txt" "$W/search.txt"
	# benchstat's CSV: per unit, a header line ",<unit>,CI,<unit>,CI,vs base,P"
	# and one line per benchmark whose "vs base" is "~" unless the change is
	# significant. Only the medians (p50, wall and CPU) gate: p99s of a
	# shared machine measure its neighbours.
	local slow
	slow=$("$bs" -format csv "$BASE/search.txt" "$W/search.txt" 2>/dev/null | awk -F, -v tol="$SEARCH_TOL" '
		$1 == "" && $3 == "CI" { unit = $2; next }
		(unit == "p50-ms" || unit == "cpu-p50-ms") && $1 != "geomean" && $6 ~ /^\+[0-9.]+%$/ {
			d = $6; gsub(/[+%]/, "", d); if (d + 0 > tol) printf "%s %s +%s%%\n", $1, unit, d
		}')
	if [ -n "$slow" ]; then
		echo
		echo "REGRESSION: search benchmarks slower than +$SEARCH_TOL% (significant):"
		echo "$slow"
		fail=1
	fi
	echo
	if [ "$fail" = 0 ]; then echo "guard: no regression"; else echo "guard: regression (see above)"; fi
	return "$fail"
}

case "${1:-compare}" in
record) record ;;
compare) compare ;;
*)
	echo "usage: bench/guard.sh [record|compare]" >&2
	exit 2
	;;
esac
