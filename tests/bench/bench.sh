#!/usr/bin/env bash
# make bench: each workload untraced, under ior record, strace, perf trace and
# a bpftrace one-liner, in one run; prints slowdown ratios, lost events and
# bytes per event. The workload is pinned to CPU 1 (the tracers are not), as
# the two vCPUs differ in speed. usage: bench.sh IOR_BIN WORKLOAD_DIR
# Env: BENCH_QUICK=1 smaller sizes; BENCH_BIG=0 skips the 10M-event RSS run;
# BENCH_TOOLS="ior strace perf bpftrace" to choose the tracers.
set -u
IOR=$(realpath "$1")
W=$(realpath "$2")
TMP=$(mktemp -d /tmp/ior-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
TOOLS=${BENCH_TOOLS:-"ior strace perf bpftrace"}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	SYSLOOP_N=200000 FILES=2000 BIG_N=1000000
else
	SYSLOOP_N=2000000 FILES=20000 BIG_N=10000000
fi
CPU="$(command -v taskset) -c 1" # bpftrace -c wants an absolute path
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null

# Workloads: name and command (run through timeit, which prints the time).
declare -A CMD
CMD[sysloop]="$W/sysloop $SYSLOOP_N"
# On tmpfs when there is one: on ext4 each run pays for the inodes the
# previous run deleted (recently_deleted), which skews the later tracers.
MIXDIR=$TMP
[ -d /dev/shm ] && MIXDIR=$(mktemp -d /dev/shm/ior-bench.XXXXXX)
trap 'rm -rf "$TMP" "$MIXDIR"' EXIT
CMD[filemix]="$W/filemix $MIXDIR/mix $FILES"
printf 'cp -r /usr/include %s/inc && rm -rf %s/inc\n' "$TMP" "$TMP" >"$TMP/cp.sh"
CMD[cp-include]="/bin/sh $TMP/cp.sh"
ORDER="sysloop filemix cp-include"

elapsed() { sed -n 's/^timeit: //p' "$1" | tail -1; }
now_ns() { date +%s%N; }

run() { # mode workload -> prints "seconds lost events bytes_per_event startup_ms"
	local mode=$1 name=$2 cmd="$CPU $W/timeit ${CMD[$2]}" err=$TMP/err lost=- events=- bpe=- start=-
	rm -rf "$MIXDIR/mix" "$TMP/inc" "$TMP"/s.db*
	case $mode in
	untraced) eval "$cmd" >/dev/null 2>"$err" ;;
	ior)
		local t0
		t0=$(now_ns)
		eval "$IOR record -q -f -o $TMP/s.db -- $cmd" >/dev/null 2>"$err"
		events=$(sqlite3 "$TMP/s.db" 'SELECT events_recorded FROM session')
		lost=$(sqlite3 "$TMP/s.db" 'SELECT events_lost FROM session')
		local size first
		size=$(stat -c %s "$TMP/s.db")
		[ -f "$TMP/s.db-wal" ] && size=$((size + $(stat -c %s "$TMP/s.db-wal")))
		bpe=$(awk -v s="$size" -v e="$events" 'BEGIN { printf "%.1f", (e ? s / e : 0) }')
		first=$(sqlite3 "$TMP/s.db" 'SELECT min(ts_ns) FROM events_v')
		start=$(awk -v a="$first" -v b="$t0" 'BEGIN { printf "%.0f", (a - b) / 1e6 }')
		;;
	strace) eval "strace -f -qq -o $TMP/strace.out $cmd" >/dev/null 2>"$err"
		events=$(wc -l <"$TMP/strace.out"); lost=0 ;;
	perf) eval "perf trace -o $TMP/perf.out -- $cmd" >/dev/null 2>"$err"
		events=$(grep -vc 'LOST' "$TMP/perf.out")
		lost=$(grep -o 'LOST [0-9]*' "$TMP/perf.out" | awk '{s += $2} END {print s + 0}') ;;
	bpftrace) # follows forks like ior -f and strace -f; prints every event
		cat >"$TMP/bt.bt" <<'BT'
tracepoint:sched:sched_process_fork /args->parent_pid == cpid || @t[args->parent_pid]/ { @t[args->child_pid] = 1; }
tracepoint:raw_syscalls:sys_exit /pid == cpid || @t[pid]/ { printf("%d %d %d\n", tid, args->id, args->ret); }
END { clear(@t); }
BT
		eval "bpftrace -q -c \"$cmd\" $TMP/bt.bt" >"$TMP/bt.out" 2>"$err"
		events=$(grep -c '^[0-9]' "$TMP/bt.out")
		lost=$(grep -o 'Lost [0-9]*' "$err" "$TMP/bt.out" | awk '{s += $2} END {print s + 0}') ;;
	esac
	echo "$(elapsed "$err") $lost $events $bpe $start"
}

have() { command -v "$1" >/dev/null 2>&1; }

printf '%-11s %-9s %10s %9s %10s %9s %9s %10s\n' workload tracer seconds slowdown events lost bytes/ev startup_ms
for name in $ORDER; do
	read -r base _ <<<"$(run untraced "$name")"
	printf '%-11s %-9s %10.3f %9s %10s %9s %9s %10s\n' "$name" untraced "$base" 1.00x - - - -
	for tool in $TOOLS; do
		case $tool in perf | strace | bpftrace) have "$tool" || { echo "  ($tool not installed)"; continue; } ;; esac
		read -r secs lost events bpe start <<<"$(run "$tool" "$name")"
		[ -n "$secs" ] || { printf '%-11s %-9s failed\n' "$name" "$tool"; continue; }
		ratio=$(awk -v a="$secs" -v b="$base" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')
		printf '%-11s %-9s %10.3f %9s %10s %9s %9s %10s\n' "$name" "$tool" "$secs" "$ratio" "$events" "$lost" "$bpe" "$start"
	done
done

if [ "${BENCH_BIG:-1}" = 1 ]; then
	# Memory: ior's maximum RSS over a session of BIG_N events.
	rm -f "$TMP"/big.db*
	/usr/bin/time -f '%M' -o "$TMP/rss" "$IOR" record -q -o "$TMP/big.db" -- $CPU "$W/sysloop" "$BIG_N" 2>/dev/null
	events=$(sqlite3 "$TMP/big.db" 'SELECT events_recorded FROM session')
	lost=$(sqlite3 "$TMP/big.db" 'SELECT events_lost FROM session')
	size=$(stat -c %s "$TMP/big.db")
	echo
	echo "big session: $events events, $lost lost, max RSS $(($(cat "$TMP/rss") / 1024)) MiB," \
		"$(awk -v s="$size" -v e="$events" 'BEGIN { printf "%.1f", (e ? s / e : 0) }') bytes/event"
fi
