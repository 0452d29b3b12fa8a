#!/usr/bin/env bash
# make bench: ior against the floor (issue 10). sysloop pinned to CPU 1 runs
# untraced, under the three floor probes (tests/bench/floor.bpf.c: empty,
# stash, ring) and under `ior record`, round-robin in one run with the
# starting mode rotated each round. Per mode: the median of the per-round
# ratios to untraced, the ns added per call, the IRQ-work interrupts on CPU 1
# (/proc/interrupts IWI: forced ring-buffer wake-ups land there) and lost
# records. The headline is ior / ring. Times are sysloop's own loop time.
# Mode other: sysloop untraced while `ior record` traces another process
# (sleep): what ior costs the rest of the machine (empty is the floor).
# Each run waits for an idle machine; another tracer attached (a tracing,
# tracepoint or kprobe program that is not ours) makes it refuse.
# usage: floor.sh IOR_BIN WORKLOAD_DIR FLOOR_BIN
# Env: BENCH_QUICK=1 smaller sizes; FLOOR_ROUNDS (5); FLOOR_N (2000000);
# FLOOR_MODES ("untraced empty stash ring ior other"); BENCH_IDLE_WAIT (30 s);
# FLOOR_IOR_ARGS extra arguments for ior record; FLOOR_IOR0=BIN adds a mode
# ior0 that runs another ior build (an A/B in the same run).
set -u
IOR=$(realpath "$1")
W=$(realpath "$2")
FLOOR=$(realpath "$3")
TMP=$(mktemp -d /tmp/ior-floor.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
ROUNDS=${FLOOR_ROUNDS:-5}
N=${FLOOR_N:-2000000}
[ "${BENCH_QUICK:-0}" = 1 ] && { ROUNDS=${FLOOR_ROUNDS:-3}; N=${FLOOR_N:-500000}; }
MODES=(${FLOOR_MODES:-untraced empty stash ring ior other})
[ -n "${FLOOR_IOR0:-}" ] && MODES+=(ior0)
IDLE_WAIT=${BENCH_IDLE_WAIT:-30}
CPU="$(command -v taskset) -c 1"
LOAD="$CPU $W/sysloop $N"

# Tracing programs attached now (none of ours runs between runs).
tracers() {
	bpftool prog list 2>/dev/null |
		awk '/^[0-9]+: / && ($2 ~ /^(tracing|raw_tracepoint|tracepoint|kprobe|perf_event)$/) {
			for (i = 3; i <= NF; i++) if ($i == "name") { printf "%s ", $(i + 1); break } }'
}

# Busy share of all CPUs (percent) over 0.5 s, from /proc/stat.
busy_pct() {
	local a b
	a=$(awk '/^cpu /{ print $2+$3+$4+$7+$8, $5+$6 }' /proc/stat)
	sleep 0.5
	b=$(awk '/^cpu /{ print $2+$3+$4+$7+$8, $5+$6 }' /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
		busy = y[1] - x[1]; idle = y[2] - x[2];
		printf "%d", (busy + idle > 0 ? 100 * busy / (busy + idle) : 0) }'
}

BUSY_RUNS=0
# Wait for no foreign tracer and an idle machine (under 25% busy); a tracer
# still there after IDLE_WAIT seconds is a refusal, a busy machine only a note.
# Context switches of the RCU Tasks Trace grace-period kthread: while a
# grace period runs (a program, map or task storage element being freed,
# 250 ms after the free), every traced syscall leaves its tracepoint the
# slow way (rcu_read_unlock_trace_special), so a run must not overlap one.
rcu_trace_switches() {
	local k
	k=$(pgrep "^rcu_tasks_trace" | head -1)
	[ -n "$k" ] && awk '/^nr_switches/ { print $3 }' "/proc/$k/sched" 2>/dev/null
}

wait_quiet() {
	local end=$(($(date +%s) + IDLE_WAIT)) t r0
	while :; do
		t=$(tracers)
		r0=$(rcu_trace_switches)
		if [ -z "$t" ] && [ "$(busy_pct)" -lt 25 ] && [ "$(rcu_trace_switches)" = "$r0" ]; then
			return 0
		fi
		if [ "$(date +%s)" -ge "$end" ]; then
			if [ -n "$t" ]; then
				echo "floor.sh: another tracer is attached ($t); refusing to measure" >&2
				exit 1
			fi
			BUSY_RUNS=$((BUSY_RUNS + 1))
			return 0
		fi
		sleep 1
	done
}

iwi_cpu1() { awk '$1 == "IWI:" { print $3 }' /proc/interrupts; }

run() { # mode -> "seconds iwi lost"
	local mode=$1 err=$TMP/err lost=0 i0 i1
	rm -f "$TMP"/s.db*
	i0=$(iwi_cpu1)
	case $mode in
	untraced) $LOAD 2>"$err" ;;
	empty | stash | ring) "$FLOOR" "$mode" -- $LOAD 2>"$err"
		lost=$(sed -n 's/^floor: .* lost //p' "$err") ;;
	other) local op t=0
		"$IOR" record -q -o "$TMP/o.db" -- sleep 600 2>/dev/null &
		op=$!
		until [ -e "$TMP/o.db" ] || [ $t -ge 100 ]; do sleep 0.05; t=$((t + 1)); done
		$LOAD 2>"$err"
		kill -INT "$op"
		wait "$op"
		rm -f "$TMP"/o.db* ;;
	ior | ior0) local bin=$IOR
		[ "$mode" = ior0 ] && bin=$FLOOR_IOR0
		"$bin" record -q ${FLOOR_IOR_ARGS:-} -o "$TMP/s.db" -- $LOAD 2>"$err"
		lost=$(sqlite3 "$TMP/s.db" 'SELECT events_lost FROM session') ;;
	esac
	i1=$(iwi_cpu1)
	echo "$(sed -n 's/^sysloop: .* in \([0-9.]*\) s$/\1/p' "$err") $((i1 - i0)) ${lost:-?}"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan";
	else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

t=$(tracers)
[ -n "$t" ] && echo "floor.sh: waiting for other tracers to go ($t)" >&2
declare -A SECS IWI LOST
nm=${#MODES[@]}
for ((r = 0; r < ROUNDS; r++)); do
	for ((k = 0; k < nm; k++)); do
		mode=${MODES[$(((r + k) % nm))]}
		wait_quiet
		read -r s i l <<<"$(run "$mode")"
		[ -n "$s" ] || { echo "floor.sh: $mode failed: $(cat "$TMP/err")" >&2; exit 1; }
		SECS[$mode.$r]=$s IWI[$mode.$r]=$i LOST[$mode.$r]=$l
	done
done

echo "floor: sysloop $N preads pinned to CPU 1, $ROUNDS rounds round-robin (start rotated)"
printf '%-9s %9s %9s %8s %10s %8s   %s\n' mode seconds ratio ns/call "IWI(cpu1)" lost "per-round ratios"
for mode in "${MODES[@]}"; do
	ratios= secs= ns= iwi= lost=
	for ((r = 0; r < ROUNDS; r++)); do
		base=${SECS[untraced.$r]:-}
		s=${SECS[$mode.$r]}
		secs+="$s "$'\n'
		iwi+="${IWI[$mode.$r]} "$'\n'
		lost+="${LOST[$mode.$r]} "
		[ -n "$base" ] || continue
		ratios+=$(awk -v a="$s" -v b="$base" 'BEGIN { printf "%.3f", a / b }')$'\n'
		ns+=$(awk -v a="$s" -v b="$base" -v n="$N" 'BEGIN { printf "%.1f", (a - b) * 1e9 / n }')$'\n'
	done
	printf '%-9s %9.3f %8.2fx %8.1f %10s %8s   %s\n' "$mode" "$(echo "$secs" | median)" \
		"$(echo "$ratios" | median)" "$(echo "$ns" | median)" "$(echo "$iwi" | median)" \
		"$(echo $lost | tr ' ' '\n' | sort -n | tail -1)" "$(echo $ratios)"
done
if [ -n "${SECS[ior.0]:-}" ] && [ -n "${SECS[ring.0]:-}" ]; then
	rr=
	for ((r = 0; r < ROUNDS; r++)); do
		rr+=$(awk -v a="${SECS[ior.$r]}" -v b="${SECS[ring.$r]}" 'BEGIN { printf "%.3f", a / b }')$'\n'
	done
	echo "headline: ior / ring = $(echo "$rr" | median)x (per round: $(echo $rr))"
fi
[ "$BUSY_RUNS" -gt 0 ] && echo "note: $BUSY_RUNS runs started on a busy machine (waited ${IDLE_WAIT}s)"
exit 0
