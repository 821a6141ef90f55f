#!/usr/bin/env bash
# bench/run.sh: the scale benchmark of issue 5. It generates a synthetic
# full-size input set per scale (tagdb gen), measures the build and the steps
# around it with /usr/bin/time -v, and writes BENCHMARKS.md at the repository
# root.
#
#   bench/run.sh                                   # the documented run: scales 0.25 and 1.0, 3 runs each
#   BENCH_DRY=1 bench/run.sh                       # print every command, run nothing
#   BENCH_SCALES=0.02 BENCH_RUNS=1 bench/run.sh    # a quick smoke run
#
# Settings (environment variables):
#   BENCH_SCALES        "0.25 1.0"        scales of the synthetic input (tagdb gen --scale)
#   BENCH_RUNS          3                 runs of each measurement; the tables show the median
#   BENCH_SEED          1                 tagdb gen --seed
#   BENCH_WORK          /tmp/tagdb-bench  scratch folder: inputs, outputs, CSV dumps (~15 GB at scale 1)
#   BENCH_OUT           <repo>/BENCHMARKS.md
#   BENCH_REAL_PROFILE  mit               profile of step (a); see below
#   BENCH_NOTES         (none)            a markdown file appended to BENCHMARKS.md (profile findings)
#   BENCH_KEEP          0                 1 keeps BENCH_WORK afterwards
#   BENCH_DRY           0                 1 prints the commands instead of running them
#
# What is measured. Every step runs BENCH_RUNS times under /usr/bin/time -v
# (wall clock, peak RSS, CPU share); the report shows medians.
#   gen  tagdb gen --scale S: writes the input once per scale (one run).
#   (a)  tagdb build of the real tagcomplete CSVs (danbooru, e621) and the
#        booru-japanese-tag translations from ../shared/data, skipped with a
#        note when that folder is absent. That data is MIT-licensed, so a cc0
#        build of it would contain nothing: the profile is mit (CC0 + MIT).
#   (b)  tagdb build --profile cc4 --base <the generated tags_v4-scale base>:
#        the 18 site_tags files and the p1atdev parquet merged onto the base.
#        Rows/s counts input rows (site tags and alias rows, base tags,
#        parquet rows). Every run rebuilds from scratch with a fixed build
#        time, so the runs also check reproducibility (one sha256).
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
#   (e)  packaging: zstd compression of (b)'s output through release/pack
#        (bench/packdb, the code `tagdb release` uses), reported in MB/s of
#        input; the CPU share shows whether both cores worked.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
SCALES=${BENCH_SCALES:-"0.25 1.0"}
RUNS=${BENCH_RUNS:-3}
SEED=${BENCH_SEED:-1}
W=${BENCH_WORK:-/tmp/tagdb-bench}
OUT=${BENCH_OUT:-$repo/BENCHMARKS.md}
REAL_PROFILE=${BENCH_REAL_PROFILE:-mit}
NOTES=${BENCH_NOTES:-}
KEEP=${BENCH_KEEP:-0}
DRY=${BENCH_DRY:-0}
SHARED=$repo/../shared/data
BUILD_TIME=2025-04-12T00:00:00Z
TAGDB=$W/bin/tagdb
PACKDB=$W/bin/packdb
RESULTS=$W/results.tsv # scale step run wall_s rss_kb cpu_pct
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
	if ! /usr/bin/time -v -o "$tf" "$@" >"$log" 2>&1; then
		say "$step failed at scale $scale (log: $log):"
		tail -n 15 "$log" >&2 || true
		return 1
	fi
	local wall rss cpu
	wall=$(seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tf")")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tf")
	cpu=$(sed -n 's/.*Percent of CPU this job got: \([0-9]*\)%.*/\1/p' "$tf")
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$scale" "$step" "$n" "$wall" "$rss" "${cpu:-0}" >>"$RESULTS"
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
		fact all load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
	fi
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
	local s=$1 in=$W/in-$1
	run rm -rf "$in"
	measure "$s" gen 1 "$TAGDB" gen --out "$in" --scale "$s" --seed "$SEED" || return 1
	if ! dry; then
		fact "$s" input_rows "$(sed -n 's/^input rows \([0-9]*\),.*/\1/p' "$W/logs/$s-gen-1.log")"
		fact "$s" input_bytes "$(du -sb "$in" | cut -f1)"
	fi
}

step_build() {
	local s=$1 in=$W/in-$1 out=$W/out-$1 i sum first=""
	run mkdir -p "$out"
	for i in $(seq "$RUNS"); do
		run rm -f "$out/cc4.sqlite"
		measure "$s" b "$i" "$TAGDB" build --sources "$in/sources.yml" --profile cc4 \
			--base "$in/base/tags_v4_base.sqlite" --out "$out/cc4.sqlite" \
			--build-time "$BUILD_TIME" --version bench --report-dir "$out/report" || return 1
		if ! dry; then
			sum=$(sha256sum "$out/cc4.sqlite" | cut -d' ' -f1)
			if [ -z "$first" ]; then first=$sum; elif [ "$sum" != "$first" ]; then fact "$s" reproducible no; fi
		fi
	done
	if ! dry; then
		[ "$(getfact "$s" reproducible)" = no ] || fact "$s" reproducible "$([ "$RUNS" -gt 1 ] && echo yes || echo "not checked (1 run)")"
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
	for i in $(seq "$RUNS"); do
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
	for i in $(seq "$RUNS"); do
		measure "$s" d "$i" "$TAGDB" validate --db "$W/out-$s/cc4.sqlite" || return 1
	done
}

step_pack() {
	local s=$1 out=$W/out-$1/cc4.sqlite i
	for i in $(seq "$RUNS"); do
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
	step_ceiling "$s" || fact "$s" failed_c 1
	step_validate "$s" || fact "$s" failed_d 1
	step_pack "$s" || fact "$s" failed_e 1
	# The inputs of this scale are no longer needed; free the disk for the next.
	dry || [ "$KEEP" = 1 ] || rm -rf "$W/in-$s" "$W/ceil-$s/csv"
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
		printf '| %s | not run | | | | %s |\n' "$3" "${5:-}"
		return
	fi
	printf '| %s | %s | %s | %s | %s%% | %s |\n' "$3" "$(num "$wall" 2)" "$(rate "$4" "$wall")" \
		"$(mib $((rss * 1024)))" "$(num "$cpu" 0)" "${5:-}"
}

check() { # check LABEL GOAL MEASURED OK(1/0/"") -> table row
	local v="–"
	case "$4" in 1) v=yes ;; 0) v="**no**" ;; esac
	printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$v"
}

report() {
	local s cores mem gov sqlv first last
	cores=$(nproc)
	mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	gov=$(go version)
	sqlv=$(sqlite3 --version | cut -d' ' -f1)
	{
		echo "# Benchmarks"
		echo
		echo "Scale benchmark of issue 5: a full-size synthetic input (\`tagdb gen\`) built, validated and"
		echo "packaged, against the sqlite3 shell loading the same rows. Produced by:"
		echo
		echo '```sh'
		echo "BENCH_SCALES=\"$SCALES\" BENCH_RUNS=$RUNS BENCH_SEED=$SEED bench/run.sh"
		echo '```'
		echo
		echo "bench/run.sh says at its top what each step measures. Times are medians of $RUNS runs (wall clock),"
		echo "peak RSS and CPU share are from \`/usr/bin/time -v\`; 100% CPU is one core."
		echo
		echo "Machine: $cores cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)), $mem memory;"
		echo "$gov; sqlite3 $sqlv; tagdb at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown) on $(date -u +%Y-%m-%d)."
		echo "Load average (1, 5, 15 min) at the start: $(getfact all load_start); at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
		echo "Above $cores, other processes shared the cores and the wall times are longer than on an idle machine;"
		echo "the CPU column then shows how much of a core each step actually got."
		echo
		if [ -n "$(getfact real skipped)" ]; then
			echo "Step (a) was skipped: $(getfact real skipped)."
		else
			echo "## (a) Real data ($REAL_PROFILE build of tagcomplete + booru-japanese-tag)"
			echo
			echo "| step | wall s | rows/s | peak RSS MiB | CPU | notes |"
			echo "|---|---:|---:|---:|---:|---|"
			row real a "(a) $REAL_PROFILE build" "$(getfact real input_rows)" "$(getfact real input_rows) input rows, output $(mib "$(getfact real out_bytes)") MiB"
		fi
		for s in $SCALES; do
			local in_rows out_rows b c
			in_rows=$(getfact "$s" input_rows)
			out_rows=$(getfact "$s" out_rows)
			echo
			echo "## Scale $s"
			echo
			echo "Input: $in_rows rows, $(mib "$(getfact "$s" input_bytes)") MiB (18 site files, base DB, parquet)."
			[ -z "$(getfact "$s" failed)" ] || echo "**Step $(getfact "$s" failed) failed**; the steps after it did not run (logs in BENCH_WORK/logs)."
			echo
			echo "| step | wall s | rows/s | peak RSS MiB | CPU | notes |"
			echo "|---|---:|---:|---:|---:|---|"
			row "$s" gen "gen (tagdb gen)" "$in_rows" "input rows/s; once"
			row "$s" b "(b) cc4 build" "$in_rows" "input rows/s; output $out_rows rows, $(mib "$(getfact "$s" out_bytes)") MiB"
			local loaded_note=""
		[ "$(getfact "$s" ceiling_loaded)" = "$(getfact "$s" ceiling_rows)" ] ||
			loaded_note="; **only $(getfact "$s" ceiling_loaded) of $(getfact "$s" ceiling_rows) rows loaded**"
		row "$s" c "(c) sqlite3 ceiling" "$(getfact "$s" ceiling_rows)" "rows loaded/s; $(mib "$(getfact "$s" ceiling_bytes)") MiB$loaded_note"
			row "$s" d "(d) validate" "$out_rows" "rows of the DB/s"
			local e zst
			e=$(median "$s" e 4)
			zst=$(getfact "$s" zst_bytes)
			row "$s" e "(e) zstd packaging" "" "$(awk -v b="$(getfact "$s" out_bytes)" -v t="$e" 'BEGIN { if (t == "" || t == 0) print "–"; else printf "%.0f MB/s", b / 1e6 / t }'); $(mib "$zst") MiB compressed"
			b=$(median "$s" b 4)
			c=$(median "$s" c 4)
			echo
			echo "- ratio (b)/(c): $(awk -v b="$b" -v c="$c" 'BEGIN { if (b == "" || c == "" || c == 0) print "–"; else printf "%.2f", b / c }')"
			echo "- output $(mib "$(getfact "$s" out_bytes)") MiB, compressed $(mib "$zst") MiB"
			echo "- reproducible ($RUNS builds, one sha256): $(getfact "$s" reproducible) \`$(getfact "$s" sha256)\`"
		done
		first=$(echo "$SCALES" | awk '{ print $1 }')
		last=$(echo "$SCALES" | awk '{ print $NF }')
		if [ "$first" != "$last" ]; then
			local r1 r2 n1 n2
			r1=$(median "$first" b 5)
			r2=$(median "$last" b 5)
			n1=$(getfact "$first" input_rows)
			n2=$(getfact "$last" input_rows)
			echo
			echo "## Memory growth"
			echo
			echo "Peak RSS of (b): $(mib $((${r1:-0} * 1024))) MiB at scale $first ($n1 input rows), $(mib $((${r2:-0} * 1024))) MiB at scale $last ($n2 rows):"
			echo "$(awk -v a="$r1" -v b="$r2" -v x="$n1" -v y="$n2" 'BEGIN { if (a == "" || b == "" || y == x) print "–"; else printf "%.1f", (b - a) / 1024 / ((y - x) / 1e6) }') MiB per million input rows."
		fi
		# Targets, at the largest scale.
		local b c d e rss bc cpu mbs
		b=$(median "$last" b 4)
		c=$(median "$last" c 4)
		d=$(median "$last" d 4)
		e=$(median "$last" e 4)
		rss=$(median "$last" b 5)
		cpu=$(median "$last" e 6)
		bc=$(awk -v b="$b" -v c="$c" 'BEGIN { if (b != "" && c != "" && c > 0) printf "%.2f", b / c }')
		mbs=$(awk -v by="$(getfact "$last" out_bytes)" -v t="$e" 'BEGIN { if (t != "" && t > 0) printf "%.0f", by / 1e6 / t }')
		ok() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN { if (v == "") print ""; else if (op == "<=") print (v + 0 <= g + 0) ? 1 : 0; else print (v + 0 >= g + 0) ? 1 : 0 }'; }
		echo
		echo "## Targets (scale $last, $cores cores)"
		echo
		echo "| target | goal | measured | met |"
		echo "|---|---|---|---|"
		check "full cc4 build" "≤ 180 s" "$(num "$b" 1) s" "$(ok "$b" "<=" 180)"
		check "ratio to the sqlite3 ceiling" "≤ 2.0" "${bc:-–}" "$(ok "$bc" "<=" 2.0)"
		check "peak RSS of the build" "≤ 1024 MiB" "$(mib $((${rss:-0} * 1024))) MiB" "$(ok "$rss" "<=" 1048576)"
		check "validate" "≤ 30 s" "$(num "$d" 1) s" "$(ok "$d" "<=" 30)"
		check "zstd packaging" "≥ 200 MB/s, both cores" "${mbs:-–} MB/s at $(num "$cpu" 0)% CPU" "$(ok "$mbs" ">=" 200)"
		if [ -n "$NOTES" ] && [ -f "$NOTES" ]; then
			echo
			cat "$NOTES"
		fi
	} >"$OUT"
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
