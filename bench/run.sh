#!/usr/bin/env bash
# bench/run.sh: the scale benchmark. It generates a synthetic full-size input
# set per scale (tagdb gen), measures the build and the steps around it with
# /usr/bin/time -v, and writes the measured part of BENCHMARKS.md (between the
# "bench/run.sh" markers; the notes around them are kept).
#
#   bench/run.sh                                   # the documented run: the growth curve 0.25, 1, 2, 4
#   BENCH_DRY=1 bench/run.sh                       # print every command, run nothing
#   BENCH_SCALES=0.02 BENCH_RUNS=1 bench/run.sh    # a quick smoke run
#
# Settings (environment variables):
#   BENCH_SCALES         "0.25 1.0 2.0 4.0" scales of the synthetic input (tagdb gen --scale)
#   BENCH_RUNS           3                 runs of each measurement at scales up to 1; the tables show the median
#   BENCH_RUNS_LARGE     1                 runs of each measurement above scale 1 (a scale-4 build takes minutes)
#   BENCH_SIDE_RUNS      (as the build)    runs of steps (c), (d) and (e), when fewer than the build's will do
#   BENCH_TIMEOUT        (none)            seconds after which a build is stopped (SIGINT); the report shows
#                                          how far it got: its time and peak RSS until then
#   BENCH_CEILING_SCALES "0.25 1.0"        scales at which step (c) runs (its CSV dump needs ~3x the output's space)
#   BENCH_SEED           1                 tagdb gen --seed
#   BENCH_WORK           /tmp/tagdb-bench  scratch folder: inputs, outputs, CSV dumps (~15 GB at scale 1, ~40 GB at 4)
#   BENCH_INPUTS         (none)            a folder with in-<scale> folders generated earlier by
#                                          `tagdb gen --scale S --seed SEED --out in-S` (and its log in-S.gen.log):
#                                          used instead of generating; gen is then not timed
#   BENCH_SEARCH_SCALES  "1.0"             scales at which step (f) runs
#   BENCH_MEMORY_LIMIT   1024              the build's --memory-limit in MiB
#   BENCH_RSS_MARGIN     64                MiB above the budget a peak RSS may reach (docs/memory.md)
#   BENCH_OUT            <repo>/BENCHMARKS.md
#   BENCH_REAL_PROFILE   mit               profile of step (a); see below
#   BENCH_KEEP           0                 1 keeps BENCH_WORK afterwards
#   BENCH_DRY            0                 1 prints the commands instead of running them
#
# What is measured. Every step runs under /usr/bin/time -v (wall clock, peak
# RSS, CPU share) with the 1-minute load average noted before it starts; the
# report shows medians, and the load of every run so that a busy machine shows.
#   gen  tagdb gen --scale S: writes the input once per scale (one run).
#   (a)  tagdb build of the real tagcomplete CSVs (danbooru, e621) and the
#        booru-japanese-tag translations from ../shared/data, skipped with a
#        note when that folder is absent. That data is MIT-licensed, so a cc0
#        build of it would contain nothing: the profile is mit (CC0 + MIT).
#   (b)  tagdb build --profile cc4 --base <the generated tags_v4-scale base>
#        --id-map, as the action runs it (it always writes the id map):
#        the 18 site_tags files and the p1atdev parquet merged onto the base.
#        Rows/s counts input rows (site tags and alias rows, base tags,
#        parquet rows). Every run rebuilds from scratch with a fixed build
#        time, so the runs also check reproducibility (one sha256). The
#        build's log gives each phase's duration (prepare, read, merge,
#        write, indexes, the rest of finish: ANALYZE, validation, sync, hash).
#   (c)  the ceiling: (b)'s final rows, dumped to CSV by the sqlite3 shell
#        (not timed), loaded by the sqlite3 shell into a fresh database made by
#        `tagdb migrate` (not timed), in one transaction with journal_mode=OFF,
#        synchronous=OFF and a 256 MiB cache: the secondary indexes are
#        dropped, every table is filled with .import (tables the migrations
#        already seeded go through a temp table and INSERT OR REPLACE), the
#        indexes are recreated from (b)'s own DDL, and ANALYZE runs if (b) has
#        sqlite_stat1. It measures SQLite's own CSV parsing, constraint checks
#        and b-tree/index building for the same rows: what any builder on
#        SQLite has to pay. (CSV carries no NULL: .import stores '' for the
#        NULLs of nullable columns, so a few columns hold '' instead of NULL;
#        the row and index work is the same.)
#   (d)  tagdb validate of (b)'s output.
#   (f)  the search benchmarks of package search (exact lookup, 30-tag
#        prompt, translation, prefix autocomplete, all-of-3) against (b)'s
#        output, 2,000 operations each: p50/p99 wall and CPU time.
#   (e)  packaging: zstd compression of (b)'s output through release/pack
#        (bench/packdb, the code `tagdb release` uses), reported in MB/s of
#        input; the CPU share shows whether both cores worked.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
SCALES=${BENCH_SCALES:-"0.25 1.0 2.0 4.0"}
RUNS=${BENCH_RUNS:-3}
RUNS_LARGE=${BENCH_RUNS_LARGE:-1}
SIDE_RUNS=${BENCH_SIDE_RUNS:-}
TIMEOUT=${BENCH_TIMEOUT:-}
CEILING_SCALES=${BENCH_CEILING_SCALES:-"0.25 1.0"}
INPUTS=${BENCH_INPUTS:-}
SEARCH_SCALES=${BENCH_SEARCH_SCALES:-"1.0"}
SEARCH_BENCH=${BENCH_SEARCH:-'^Benchmark(Exact|Resolve30|Translation|Prefix|AllOf3)$'}
MEMORY_LIMIT=${BENCH_MEMORY_LIMIT:-1024}
RSS_MARGIN=${BENCH_RSS_MARGIN:-64}
SEED=${BENCH_SEED:-1}
W=${BENCH_WORK:-/tmp/tagdb-bench}
OUT=${BENCH_OUT:-$repo/BENCHMARKS.md}
REAL_PROFILE=${BENCH_REAL_PROFILE:-mit}
KEEP=${BENCH_KEEP:-0}
DRY=${BENCH_DRY:-0}
SHARED=$repo/../shared/data
BUILD_TIME=2025-04-12T00:00:00Z
TAGDB=$W/bin/tagdb
PACKDB=$W/bin/packdb
RESULTS=$W/results.tsv # scale step run wall_s rss_kb cpu_pct load1
PHASES=$W/phases.tsv   # scale run phase seconds
FACTS=$W/facts.tsv     # scale key value

dry() { [ "$DRY" = 1 ]; }
say() { echo "bench: $*" >&2; }

# show prints a command in a form that can be pasted into a shell.
show() { printf '+'; printf ' %q' "$@"; printf '\n'; }

# run executes a command (or, dry, prints it).
run() {
	if dry; then show "$@"; else "$@"; fi
}

# logged LOG CMD...: run with its output in LOG (untimed helper steps).
logged() {
	local log=$1
	shift
	if dry; then show "$@"; else "$@" >"$log" 2>&1 || { say "failed: $* (log: $log)"; tail -n 15 "$log" >&2; return 1; }; fi
}

fact() { # fact SCALE KEY VALUE
	dry || printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$FACTS"
}

getfact() { # getfact SCALE KEY -> value or ""
	[ -f "$FACTS" ] || return 0
	awk -F'\t' -v s="$1" -v k="$2" '$1 == s && $2 == k { v = $3 } END { if (v != "") print v }' "$FACTS"
}

# runs SCALE: how many times each step runs at that scale.
runs() {
	awk -v s="$1" -v r="$RUNS" -v l="$RUNS_LARGE" 'BEGIN { print (s + 0 > 1) ? l : r }'
}

# side_runs SCALE: runs of the steps around the build ((c), (d), (e)).
side_runs() {
	if [ -n "$SIDE_RUNS" ]; then echo "$SIDE_RUNS"; else runs "$1"; fi
}

# input SCALE: the folder holding that scale's generated input.
input() {
	if [ -n "$INPUTS" ] && [ -d "$INPUTS/in-$1" ]; then echo "$INPUTS/in-$1"; else echo "$W/in-$1"; fi
}

# seconds converts /usr/bin/time's "h:mm:ss" or "m:ss.ss" to seconds.
seconds() {
	awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$1"
}

# measure SCALE STEP RUN CMD...: one timed run; its output goes to a log.
measure() {
	local scale=$1 step=$2 n=$3
	shift 3
	local tf=$W/time/$scale-$step-$n.txt log=$W/logs/$scale-$step-$n.log
	if dry; then
		show /usr/bin/time -v "$@"
		return 0
	fi
	say "scale $scale, $step, run $n: $*"
	local load
	load=$(cut -d' ' -f1 /proc/loadavg)
	local status=0
	if [ "$step" = b ] && [ -n "$TIMEOUT" ]; then
		# timeout sends SIGINT, which the build handles like Ctrl-C (it
		# removes its temporary files); time's peak RSS covers the build.
		/usr/bin/time -v -o "$tf" timeout --signal=INT --kill-after=60 "$TIMEOUT" "$@" >"$log" 2>&1 || status=$?
	else
		/usr/bin/time -v -o "$tf" "$@" >"$log" 2>&1 || status=$?
	fi
	if [ -n "$TIMEOUT" ] && [ "$step" = b ] && { [ "$status" = 124 ] || [ "$status" = 137 ]; }; then
		# Stopped at the time limit (124), or killed a minute after it when
		# SIGINT did not end it (137): what it measured so far still says
		# something, so the run is recorded as such. A killed build's peak
		# RSS is not in time's figures (timeout did not reap it).
		fact "$scale" timed_out "$TIMEOUT"
	elif [ "$status" != 0 ]; then
		say "$step failed at scale $scale (log: $log):"
		tail -n 15 "$log" >&2 || true
		return 1
	fi
	local wall rss cpu
	wall=$(seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tf")")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tf")
	cpu=$(sed -n 's/.*Percent of CPU this job got: \([0-9]*\)%.*/\1/p' "$tf")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scale" "$step" "$n" "$wall" "$rss" "${cpu:-0}" "$load" >>"$RESULTS"
	[ "$status" = 0 ] || { say "$step stopped after $TIMEOUT s at scale $scale (log: $log)"; return 1; }
}

# loads SCALE STEP: the 1-minute load averages before each run, "a / b / c".
loads() {
	[ -f "$RESULTS" ] || return 0
	awk -F'\t' -v s="$1" -v st="$2" '$1 == s && $2 == st { printf "%s%s", (n++ ? " / " : ""), $7 }' "$RESULTS"
}

# phases SCALE RUN LOG: the phase durations a build printed, in seconds.
# The build logs "<phase>: done in <Go duration>" per phase and "indexes: N
# created in <duration>" inside finish; the rest of finish is ANALYZE,
# validation, sync and hash.
phases() {
	dry && return 0
	awk -v s="$1" -v n="$2" '
		function sec(d,   t, m) {
			t = 0
			while (match(d, /^[0-9.]+(h|ms|m|s|µs|us|ns)/)) {
				m = substr(d, 1, RLENGTH); d = substr(d, RLENGTH + 1)
				if (m ~ /ms$/) t += m / 1000; else if (m ~ /(µs|us)$/) t += m / 1e6; else if (m ~ /ns$/) t += m / 1e9
				else if (m ~ /h$/) t += m * 3600; else if (m ~ /m$/) t += m * 60; else t += m + 0
			}
			return t
		}
		/^(prepare|read sources|merge|write|finish)[^:]*: done in / {
			p = $0; sub(/:.*/, "", p); sub(/ .*/, "", p); d = $0; sub(/.*: done in /, "", d); sub(/ .*/, "", d)
			v[p] = sec(d)
		}
		/^indexes: [0-9]+ created in / { d = $0; sub(/.* created in /, "", d); sub(/ .*/, "", d); v["indexes"] = sec(d) }
		END {
			if ("finish" in v && "indexes" in v) v["finish"] -= v["indexes"]
			split("prepare read merge write indexes finish", order, " ")
			for (i = 1; i <= 6; i++) if (order[i] in v) printf "%s\t%s\t%s\t%.2f\n", s, n, order[i], v[order[i]]
		}' "$3" >>"$PHASES"
}

# phase SCALE PHASE: the median over runs of one phase, in seconds.
phase() {
	[ -f "$PHASES" ] || return 0
	awk -F'\t' -v s="$1" -v p="$2" '$1 == s && $3 == p { print $4 }' "$PHASES" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# median SCALE STEP COLUMN (4 wall, 5 rss, 6 cpu) -> the median over runs, or "".
median() {
	[ -f "$RESULTS" ] || return 0
	awk -F'\t' -v s="$1" -v st="$2" -v c="$3" '$1 == s && $2 == st { print $c }' "$RESULTS" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

sqlite_count() { # sqlite_count DB TABLE
	sqlite3 "$1" "SELECT count(*) FROM \"$2\""
}

# total_rows DB: rows of every table except SQLite's own.
total_rows() {
	local db=$1 t n=0
	for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"); do
		n=$((n + $(sqlite_count "$db" "$t")))
	done
	echo "$n"
}

filesize() { stat -c %s "$1"; }

# ---- setup ------------------------------------------------------------------

setup() {
	for tool in /usr/bin/time sqlite3 go; do
		command -v "$tool" >/dev/null || { say "missing $tool (apt-get install time sqlite3)"; exit 1; }
	done
	run mkdir -p "$W/bin" "$W/time" "$W/logs"
	if ! dry; then
		: >"$RESULTS"
		: >"$FACTS"
		: >"$PHASES"
		fact all load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
	fi
	# The commit the binaries are built from: the report names it, not
	# whatever HEAD is when the run ends.
	dry || fact all commit "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	run go -C "$repo" build -o "$TAGDB" .
	run go -C "$repo" build -o "$PACKDB" ./bench/packdb
}

# ---- (a) the real data -------------------------------------------------------

# The manifest may not point outside its folder, so the (small, MIT) real
# files are copied into the scratch folder, never into the repository.
real_inputs() {
	local d=$W/real
	run rm -rf "$d"
	run mkdir -p "$d/data"
	run cp "$SHARED/tagcomplete/danbooru.csv" "$SHARED/tagcomplete/e621.csv" \
		"$SHARED/booru-japanese-tag/danbooru-machine-jp.csv" "$SHARED/booru-japanese-tag/danbooru-jp.csv" "$d/data/"
	if dry; then
		echo "+ write $d/sources.yml"
		return
	fi
	cat >"$d/sources.yml" <<'EOF'
# bench/run.sh step (a): the real tagcomplete and booru-japanese-tag files.
sources:
  - id: tagcomplete-danbooru
    kind: tagcomplete_csv
    path: data/danbooru.csv
    format: danbooru
    license: MIT
    url: https://github.com/DominikDoom/a1111-sd-webui-tagcomplete
  - id: tagcomplete-e621
    kind: tagcomplete_csv
    path: data/e621.csv
    format: e621
    license: MIT
    url: https://github.com/DominikDoom/a1111-sd-webui-tagcomplete
  - id: booru-japanese-tag-machine
    kind: translation_csv
    path: data/danbooru-machine-jp.csv
    language: ja
    license: MIT
    url: https://github.com/boorutan/booru-japanese-tag
  - id: booru-japanese-tag
    kind: translation_csv
    path: data/danbooru-jp.csv
    language: ja
    license: MIT
    url: https://github.com/boorutan/booru-japanese-tag
EOF
	fact real input_rows "$(cat "$d"/data/*.csv | wc -l)"
}

step_real() {
	if [ ! -d "$SHARED/tagcomplete" ] || [ ! -d "$SHARED/booru-japanese-tag" ]; then
		say "no $SHARED: step (a) skipped"
		fact real skipped "no ../shared/data next to the repository"
		return
	fi
	real_inputs
	local i out=$W/real/out.sqlite
	for i in $(seq "$RUNS"); do
		run rm -f "$out"
		measure real a "$i" "$TAGDB" build --sources "$W/real/sources.yml" --profile "$REAL_PROFILE" \
			--out "$out" --build-time "$BUILD_TIME" --version bench || { fact real failed 1; return; }
	done
	dry || fact real out_bytes "$(filesize "$out")"
}

# ---- per scale ---------------------------------------------------------------

step_gen() {
	local s=$1 in log
	in=$(input "$s")
	if [ "$in" != "$W/in-$s" ]; then
		# Generated earlier (BENCH_INPUTS): gen is deterministic for a seed,
		# so the input is the one gen would write; its time is not measured.
		say "scale $s: using $in"
		log=$in.gen.log
		dry || fact "$s" gen_reused "$in"
	else
		run rm -rf "$in"
		measure "$s" gen 1 "$TAGDB" gen --out "$in" --scale "$s" --seed "$SEED" || return 1
		log=$W/logs/$s-gen-1.log
	fi
	if ! dry; then
		fact "$s" input_rows "$(sed -n 's/^input rows \([0-9]*\),.*/\1/p' "$log")"
		fact "$s" input_bytes "$(du -sb "$in" | cut -f1)"
	fi
}

step_build() {
	local s=$1 in out=$W/out-$1 i sum first="" n
	in=$(input "$s")
	n=$(runs "$s")
	run mkdir -p "$out"
	for i in $(seq "$n"); do
		run rm -f "$out/cc4.sqlite" "$out/idmap.tsv.zst"
		measure "$s" b "$i" "$TAGDB" build --sources "$in/sources.yml" --profile cc4 \
			--base "$in/base/tags_v4_base.sqlite" --out "$out/cc4.sqlite" --id-map "$out/idmap.tsv.zst" --memory-limit "${MEMORY_LIMIT}MiB" \
			--build-time "$BUILD_TIME" --version bench --report-dir "$out/report" ||
			{ phases "$s" "$i" "$W/logs/$s-b-$i.log"; return 1; }
		phases "$s" "$i" "$W/logs/$s-b-$i.log"
		if ! dry; then
			sum=$(sha256sum "$out/cc4.sqlite" | cut -d' ' -f1)
			if [ -z "$first" ]; then first=$sum; elif [ "$sum" != "$first" ]; then fact "$s" reproducible no; fi
		fi
	done
	if ! dry; then
		[ "$(getfact "$s" reproducible)" = no ] || fact "$s" reproducible "$([ "$n" -gt 1 ] && echo yes || echo "not checked (1 run)")"
		fact "$s" sha256 "$first"
		fact "$s" out_bytes "$(filesize "$out/cc4.sqlite")"
		fact "$s" out_rows "$(total_rows "$out/cc4.sqlite")"
	fi
}

# ceiling_prepare writes the CSV dumps and the load script for step (c).
ceiling_prepare() {
	local s=$1 built=$W/out-$1/cc4.sqlite c=$W/ceil-$1
	run rm -rf "$c"
	run mkdir -p "$c/csv"
	logged "$W/logs/$s-migrate.log" "$TAGDB" migrate --db "$c/template.sqlite" || return 1
	if dry; then
		echo "+ for each table T of $built: sqlite3 -csv -header $built 'SELECT <columns of T in template order> FROM T' > $c/csv/T.csv"
		echo "+ write $c/load.sql: PRAGMAs, BEGIN, DROP INDEX <secondary indexes>, .import each CSV, CREATE INDEX <(b)'s DDL>, [ANALYZE], COMMIT"
		return
	fi
	local sql=$c/load.sql t cols exists n rows=0
	{
		echo "PRAGMA journal_mode = OFF;"
		echo "PRAGMA synchronous = OFF;"
		echo "PRAGMA cache_size = -262144;"
		echo "PRAGMA locking_mode = EXCLUSIVE;"
		echo "BEGIN;"
		sqlite3 "$c/template.sqlite" "SELECT 'DROP INDEX \"' || name || '\";' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
	} >"$sql"
	for t in $(sqlite3 "$built" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"); do
		exists=$(sqlite3 "$c/template.sqlite" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '$t'")
		if [ "$exists" = 0 ]; then
			sqlite3 "$built" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND name = '$t'" >>"$sql"
			cols=$(sqlite3 "$built" "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info('$t')")
		else
			cols=$(sqlite3 "$c/template.sqlite" "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info('$t')")
		fi
		sqlite3 -csv -header "$built" "SELECT $cols FROM \"$t\"" >"$c/csv/$t.csv"
		n=$(sqlite_count "$built" "$t")
		rows=$((rows + n))
		if [ "$exists" = 1 ] && [ "$(sqlite_count "$c/template.sqlite" "$t")" != 0 ]; then
			echo "CREATE TEMP TABLE \"stage_$t\" AS SELECT * FROM main.\"$t\" LIMIT 0;"
			echo ".import --csv --skip 1 --schema temp $c/csv/$t.csv stage_$t"
			echo "INSERT OR REPLACE INTO main.\"$t\" SELECT * FROM temp.\"stage_$t\";"
		else
			echo ".import --csv --skip 1 $c/csv/$t.csv $t"
		fi >>"$sql"
	done
	sqlite3 "$built" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL" >>"$sql"
	if [ "$(sqlite3 "$built" "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")" = 1 ]; then
		echo "ANALYZE;" >>"$sql"
	fi
	echo "COMMIT;" >>"$sql"
	fact "$s" ceiling_rows "$rows"
}

step_ceiling() {
	local s=$1 c=$W/ceil-$1 i
	ceiling_prepare "$s" || return 1
	for i in $(seq "$(side_runs "$s")"); do
		run cp "$c/template.sqlite" "$c/ceiling.sqlite"
		measure "$s" c "$i" sqlite3 -bail "$c/ceiling.sqlite" ".read $c/load.sql" || return 1
	done
	if ! dry; then
		fact "$s" ceiling_bytes "$(filesize "$c/ceiling.sqlite")"
		fact "$s" ceiling_loaded "$(total_rows "$c/ceiling.sqlite")"
	fi
}

step_validate() {
	local s=$1 i
	for i in $(seq "$(side_runs "$s")"); do
		measure "$s" d "$i" "$TAGDB" validate --db "$W/out-$s/cc4.sqlite" || return 1
	done
}

step_pack() {
	local s=$1 out=$W/out-$1/cc4.sqlite i
	for i in $(seq "$(side_runs "$s")"); do
		run rm -f "$out.zst"
		measure "$s" e "$i" "$PACKDB" "$out" "$out.zst" || return 1
	done
	dry || fact "$s" zst_bytes "$(filesize "$out.zst")"
}

bench_scale() {
	local s=$1
	step_gen "$s" || { fact "$s" failed gen; return; }
	if ! step_build "$s"; then
		fact "$s" failed "b (cc4 build)"
		return
	fi
	if [[ " $CEILING_SCALES " == *" $s "* ]]; then
		step_ceiling "$s" || fact "$s" failed_c 1
	fi
	step_validate "$s" || fact "$s" failed_d 1
	step_pack "$s" || fact "$s" failed_e 1
	if [[ " $SEARCH_SCALES " == *" $s "* ]]; then
		step_search "$s" || fact "$s" failed_f 1
	fi
	# What this scale wrote is no longer needed; free the disk for the next
	# (inputs given by BENCH_INPUTS are never removed).
	dry || [ "$KEEP" = 1 ] || rm -rf "$W/in-$s" "$W/ceil-$s" "$W/out-$s"
}

# ---- report -------------------------------------------------------------------

mib() { awk -v b="$1" 'BEGIN { if (b == "") print "–"; else printf "%.1f", b / 1048576 }'; }
num() { awk -v x="$1" -v d="${2:-1}" 'BEGIN { if (x == "") print "–"; else printf "%.*f", d, x }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (n == "" || s == "" || s == 0) print "–"; else if (n / s >= 1e6) printf "%.2fM", n / s / 1e6; else printf "%.0fk", n / s / 1e3 }'; }

row() { # row SCALE STEP LABEL ROWS [NOTE]
	local s=$1 st=$2 wall rss cpu
	wall=$(median "$s" "$st" 4)
	rss=$(median "$s" "$st" 5)
	cpu=$(median "$s" "$st" 6)
	if [ -z "$wall" ]; then
		printf '| %s | not run | | | | | %s |\n' "$3" "${5:-}"
		return
	fi
	printf '| %s | %s | %s | %s | %s%% | %s | %s |\n' "$3" "$(num "$wall" 2)" "$(rate "$4" "$wall")" \
		"$(mib $((rss * 1024)))" "$(num "$cpu" 0)" "$(loads "$s" "$st")" "${5:-}"
}

check() { # check LABEL GOAL MEASURED OK(1/0/"") -> table row
	local v="–"
	case "$4" in 1) v=yes ;; 0) v="**no**" ;; esac
	printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$v"
}

# search_step SCALE: the search benchmarks (package search) against that
# scale's output; their output is kept for the report.
step_search() {
	local s=$1 out=$W/out-$1/cc4.sqlite log=$W/logs/$1-search.log
	if dry; then
		show env TAGDB_BENCH_DB="$out" go -C "$repo" test -run '^$' -bench "$SEARCH_BENCH" -benchtime 2000x ./search
		return
	fi
	say "scale $s, search benchmarks"
	fact "$s" search_load "$(cut -d' ' -f1 /proc/loadavg)"
	TAGDB_BENCH_DB=$out go -C "$repo" test -run '^$' -bench "$SEARCH_BENCH" -benchtime 2000x ./search >"$log" 2>&1 ||
		{ say "search benchmarks failed (log: $log)"; tail -n 15 "$log" >&2; return 1; }
}

# search_rows SCALE: one table row per search benchmark (p50/p99 wall, CPU).
search_rows() {
	awk '
		/^Benchmark/ {
			name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
			for (i = 3; i < NF; i++) v[$(i + 1)] = $i
			printf "| %s | %s | %s | %s | %s |\n", name, v["p50-ms"], v["p99-ms"], v["cpu-p50-ms"], v["cpu-p99-ms"]
		}' "$W/logs/$1-search.log"
}

report_body() {
	local s cores mem gov sqlv one
	cores=$(nproc)
	mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	gov=$(go version)
	sqlv=$(sqlite3 --version | cut -d' ' -f1)
	one=1.0
	echo "Produced by:"
	echo
	echo '```sh'
	echo "BENCH_SCALES=\"$SCALES\" BENCH_RUNS=$RUNS BENCH_RUNS_LARGE=$RUNS_LARGE${SIDE_RUNS:+ BENCH_SIDE_RUNS=$SIDE_RUNS} BENCH_CEILING_SCALES=\"$CEILING_SCALES\" BENCH_SEED=$SEED bench/run.sh"
	echo '```'
	echo
	echo "bench/run.sh says at its top what each step measures. Times are medians of $RUNS runs at scales up to 1"
	echo "and of $RUNS_LARGE above (wall clock)${SIDE_RUNS:+, $SIDE_RUNS run(s) of (c), (d) and (e)}; peak RSS and CPU share are from \`/usr/bin/time -v\`; 100% CPU is one core."
	echo "The load column is the 1-minute load average before each run: above $cores, other processes shared the"
	echo "cores and the wall time is longer than on an idle machine."
	echo
	echo "Machine: $cores cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)), $mem memory;"
	echo "$gov; sqlite3 $sqlv; tagdb at $(getfact all commit) on $(date -u +%Y-%m-%d);"
	echo "build memory budget $MEMORY_LIMIT MiB (\`--memory-limit\`)."
	echo "Load average (1, 5, 15 min) at the start: $(getfact all load_start); at the end: $(cut -d' ' -f1-3 /proc/loadavg)."

	echo
	echo "### Growth curve (cc4 build)"
	echo
	echo "| scale | input rows | wall s | × scale 1 | rows/s | peak RSS MiB | output MiB | CPU | load per run |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---|"
	local b1 w r in_rows
	b1=$(median "$one" b 4)
	for s in $SCALES; do
		w=$(median "$s" b 4)
		r=$(median "$s" b 5)
		in_rows=$(getfact "$s" input_rows)
		if [ -z "$w" ]; then
			echo "| $s | $in_rows | failed: $(getfact "$s" failed) | | | | | | |"
			continue
		fi
		if [ -n "$(getfact "$s" timed_out)" ]; then
			printf '| %s | %s | stopped at %s | – | – | %s (until then) | – | %s%% | %s |\n' "$s" "$in_rows" "$(num "$w" 0)" \
				"$(mib $((r * 1024)))" "$(num "$(median "$s" b 6)" 0)" "$(loads "$s" b)"
			continue
		fi
		printf '| %s | %s | %s | %s | %s | %s | %s | %s%% | %s |\n' "$s" "$in_rows" "$(num "$w" 1)" \
			"$(awk -v a="$w" -v b="$b1" 'BEGIN { if (b == "" || b == 0) print "–"; else printf "%.2f", a / b }')" \
			"$(rate "$in_rows" "$w")" "$(mib $((r * 1024)))" "$(mib "$(getfact "$s" out_bytes)")" \
			"$(num "$(median "$s" b 6)" 0)" "$(loads "$s" b)"
	done

	echo
	echo "### How each phase grows (seconds, median over the runs)"
	echo
	echo "| scale | prepare | read | merge | write | indexes | TAG_PREFIX_TOP, ANALYZE, validation, sync, hash |"
	echo "|---:|---:|---:|---:|---:|---:|---:|"
	for s in $SCALES; do
		printf '| %s |' "$s"
		for p in prepare read merge write indexes finish; do printf ' %s |' "$(num "$(phase "$s" "$p")" 1)"; done
		echo
	done

	for s in $SCALES; do
		echo
		echo "### Scale $s"
		echo
		echo "Input: $(getfact "$s" input_rows) rows, $(mib "$(getfact "$s" input_bytes)") MiB (18 site files, base DB, parquet)."
		[ -z "$(getfact "$s" gen_reused)" ] || echo "The input was generated before this run (BENCH_INPUTS); gen is not timed."
		if [ -n "$(getfact "$s" timed_out)" ]; then
			echo "**The build was stopped after $(getfact "$s" timed_out) s** (BENCH_TIMEOUT): its row shows the time and peak RSS until then, the phase table the phases it finished; the steps after it did not run."
		elif [ -n "$(getfact "$s" failed)" ]; then
			echo "**Step $(getfact "$s" failed) failed**; the steps after it did not run (logs in BENCH_WORK/logs)."
		fi
		echo
		echo "| step | wall s | rows/s | peak RSS MiB | CPU | load per run | notes |"
		echo "|---|---:|---:|---:|---:|---|---|"
		row "$s" gen "gen (tagdb gen)" "$(getfact "$s" input_rows)" "input rows/s; once"
		row "$s" b "(b) cc4 build" "$(getfact "$s" input_rows)" "input rows/s; output $(getfact "$s" out_rows) rows"
		if [[ " $CEILING_SCALES " == *" $s "* ]]; then
			local loaded_note=""
			[ "$(getfact "$s" ceiling_loaded)" = "$(getfact "$s" ceiling_rows)" ] ||
				loaded_note="; **only $(getfact "$s" ceiling_loaded) of $(getfact "$s" ceiling_rows) rows loaded**"
			row "$s" c "(c) sqlite3 ceiling" "$(getfact "$s" ceiling_rows)" "rows loaded/s; $(mib "$(getfact "$s" ceiling_bytes)") MiB$loaded_note"
		fi
		row "$s" d "(d) validate" "$(getfact "$s" out_rows)" "rows of the DB/s"
		row "$s" e "(e) zstd packaging" "" "$(awk -v b="$(getfact "$s" out_bytes)" -v t="$(median "$s" e 4)" 'BEGIN { if (t == "" || t == 0) print "–"; else printf "%.0f MB/s", b / 1e6 / t }'); $(mib "$(getfact "$s" zst_bytes)") MiB compressed"
		echo
		if [[ " $CEILING_SCALES " == *" $s "* ]]; then
			echo "- ratio (b)/(c): $(awk -v b="$(median "$s" b 4)" -v c="$(median "$s" c 4)" 'BEGIN { if (b == "" || c == "" || c == 0) print "–"; else printf "%.2f", b / c }')"
		fi
		echo "- output $(mib "$(getfact "$s" out_bytes)") MiB, compressed $(mib "$(getfact "$s" zst_bytes)") MiB"
		echo "- reproducible ($(runs "$s") builds, one sha256): $(getfact "$s" reproducible) \`$(getfact "$s" sha256)\`"
		if [ -f "$W/logs/$s-search.log" ]; then
			echo
			echo "Search benchmarks (package search, 2,000 operations each; load $(getfact "$s" search_load) before):"
			echo
			echo "| benchmark | wall p50 ms | wall p99 ms | CPU p50 ms | CPU p99 ms |"
			echo "|---|---:|---:|---:|---:|"
			search_rows "$s"
		fi
	done

	# Targets of the scale issue.
	local b4 r4 c1 pre
	b4=$(median 4.0 b 4)
	r4=$(median 4.0 b 5)
	c1=$(median "$one" c 4)
	ok() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN { if (v == "") print ""; else if (op == "<=") print (v + 0 <= g + 0) ? 1 : 0; else print (v + 0 >= g + 0) ? 1 : 0 }'; }
	local growth ratio rssm budget
	growth=$(awk -v a="$b4" -v b="$b1" 'BEGIN { if (a != "" && b != "" && b > 0) printf "%.2f", a / b }')
	ratio=$(awk -v b="$b1" -v c="$c1" 'BEGIN { if (b != "" && c != "" && c > 0) printf "%.2f", b / c }')
	rssm=$(awk -v r="$r4" 'BEGIN { if (r != "") printf "%.0f", r / 1024 }')
	budget=$((MEMORY_LIMIT + RSS_MARGIN))
	echo
	echo "### Targets ($cores cores)"
	echo
	echo "| target | goal | measured | met |"
	echo "|---|---|---|---|"
	check "full cc4 build, scale 1" "≤ 120 s" "$(num "$b1" 1) s" "$(ok "$b1" "<=" 120)"
	check "ratio to the sqlite3 ceiling, scale 1" "below 1.0" "${ratio:-–}" "$(ok "$ratio" "<=" 0.999)"
	check "build time, scale 4 over scale 1" "≤ 4.4×" "${growth:-–}" "$(ok "$growth" "<=" 4.4)"
	check "peak RSS of the build, scale 4" "≤ $MEMORY_LIMIT + $RSS_MARGIN MiB" "${rssm:-–} MiB" "$(ok "$rssm" "<=" "$budget")"
	if [ -f "$W/logs/$one-search.log" ]; then
		pre=$(awk '/^BenchmarkPrefix/ { for (i = 3; i < NF; i++) v[$(i + 1)] = $i; print v["p50-ms"], v["p99-ms"] }' "$W/logs/$one-search.log")
		check "Prefix p50, scale 1" "≤ 2 ms" "${pre% *} ms" "$(ok "${pre% *}" "<=" 2)"
		check "Prefix p99, scale 1" "≤ 10 ms" "${pre#* } ms" "$(ok "${pre#* }" "<=" 10)"
	fi
}

# report writes the measured part of BENCH_OUT: everything between the two
# marker lines is replaced; the notes around them are left as they are.
report() {
	local begin='<!-- bench/run.sh: begin (generated; edit the notes outside these markers) -->'
	local end='<!-- bench/run.sh: end -->'
	local body=$W/report.md tmp=$OUT.tmp
	report_body >"$body"
	if [ -f "$OUT" ] && grep -qF "$begin" "$OUT" && grep -qF "$end" "$OUT"; then
		awk -v b="$begin" -v e="$end" -v f="$body" '
			$0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
			$0 == e { skip = 0 }
			!skip' "$OUT" >"$tmp"
	else
		{ echo "# Benchmarks"; echo; echo "$begin"; cat "$body"; echo "$end"; [ ! -f "$OUT" ] || { echo; cat "$OUT"; }; } >"$tmp"
	fi
	mv "$tmp" "$OUT"
	say "wrote $OUT"
}

main() {
	setup
	step_real
	for s in $SCALES; do
		bench_scale "$s"
	done
	if dry; then
		echo "+ write $OUT"
	else
		report
		[ "$KEEP" = 1 ] || rm -rf "$W"/out-* "$W"/ceil-* "$W"/real
	fi
}

# Sourcing the file (for trying one step by hand) defines the functions only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
