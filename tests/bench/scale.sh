#!/usr/bin/env bash
# make bench: ior record -f at scale, each recording checked against the
# workload's own counts (tests/workloads/scale.c), with ior's peak RSS
# (VmHWM, sampled from /proc every 20 ms until it exits). Prints a table;
# exits 1 if a check failed.
# usage: scale.sh IOR_BIN WORKLOAD_DIR (SCALE_QUICK=1: smaller sizes)
set -u
IOR=$(realpath "$1")
W=$(realpath "$2")
TMP=$(mktemp -d /tmp/ior-scale.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
if [ "${SCALE_QUICK:-0}" = 1 ]; then
	FORKS=200 THREADS=1000 FDS=10000 EXECS=50 CHURN_FILES=100000 CHURN_PROCS=10000
else
	FORKS=2000 THREADS=10000 FDS=100000 EXECS=500 CHURN_FILES=${CHURN_FILES:-1000000}
	CHURN_PROCS=${CHURN_PROCS:-100000}
fi
FAIL=0
S=$TMP/s.db
RECORD_OPTS=()
q() { sqlite3 -readonly "$S" "$1"; }

# record ARGS... : ior record -f -q -o $S -- ARGS; sets HWM and ANON (KiB:
# peak RSS, and peak anonymous RSS, which leaves out the BPF ring that ior
# maps twice: 2 x --ring-size, resident from the start), SECS.
record() {
	local pid t0 t1 hwm=0 anon=0 h a
	rm -f "$S" "$S"-wal "$S"-shm
	t0=$(date +%s%N)
	"$IOR" record -q -f -o "$S" "${RECORD_OPTS[@]}" -- "$@" >"$TMP/out" 2>"$TMP/err" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		read -r h a < <(awk '/^VmHWM/ { h = $2 } /^RssAnon/ { a = $2 }
			END { print h + 0, a + 0 }' "/proc/$pid/status" 2>/dev/null)
		[ "${h:-0}" -gt "$hwm" ] && hwm=$h
		[ "${a:-0}" -gt "$anon" ] && anon=$a
		sleep 0.02
	done
	wait "$pid" || { echo "ior record failed: $(tail -2 "$TMP/err")"; FAIL=1; }
	t1=$(date +%s%N)
	HWM=$hwm ANON=$anon
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
}

printf '%-10s %-28s %-36s %-5s %8s %5s %8s %9s %5s\n' case workload check result events lost \
	'VmHWM' 'anon peak' 's'
row() { # case workload check ok
	local ok=ok
	[ "$4" = 1 ] || { ok=FAIL; FAIL=1; }
	printf '%-10s %-28s %-36s %-5s %8s %5s %4d MiB %5d MiB %5s\n' "$1" "$2" "$3" "$ok" \
		"$(q 'SELECT events_recorded FROM session')" "$(q 'SELECT events_lost FROM session')" \
		$((HWM / 1024)) $((ANON / 1024)) "$SECS"
}
root_pid() { q "SELECT pid FROM events_v WHERE syscall = 'execve' ORDER BY id LIMIT 1"; }

# Fork storm: N children, each one getppid; one processes row each, ended.
record "$W/scale" fork "$FORKS"
root=$(root_pid)
n=$(q "SELECT count(*) FROM events_v WHERE syscall = 'getppid'")
p=$(q "SELECT count(*) FROM processes WHERE ppid = $root AND exit_ns IS NOT NULL")
row fork "$FORKS children" "getppid $n, ended children $p" \
	"$([ "$n" = "$FORKS" ] && [ "$p" = "$FORKS" ] && echo 1)"

# Threads: all alive at once, one gettid each, in one process.
record "$W/scale" threads "$THREADS"
n=$(q "SELECT count(DISTINCT tid) FROM events_v WHERE syscall = 'gettid'")
p=$(q "SELECT count(DISTINCT pid) FROM events_v")
row threads "$THREADS threads" "gettid tids $n, pids $p" \
	"$([ "$n" = "$THREADS" ] && [ "$p" = 1 ] && echo 1)"

# Descriptors: N open at once; the last one is still named.
echo data >"$TMP/file"
record "$W/scale" fds "$FDS" "$TMP/file"
last=$(sed -n 's/.*the last \([0-9]*\).*/\1/p' "$TMP/out")
did=$(sed -n 's/^scale: \([0-9]*\) descriptors.*/\1/p' "$TMP/out")
[ "$did" = "$FDS" ] || echo "fds: $did, not $FDS: the hard RLIMIT_NOFILE ($(ulimit -Hn)) cannot be raised here"
FDS=${did:-$FDS}
n=$(q "SELECT count(*) FROM events_v WHERE syscall = 'openat' AND ret >= 0 AND file = '$TMP/file'")
f=$(q "SELECT file FROM events_v WHERE syscall = 'pread64' AND fd = ${last:-0}")
row fds "$FDS open descriptors" "opens $n, fd $last named" \
	"$([ "$n" = "$FDS" ] && [ "$f" = "$TMP/file" ] && echo 1)"

# Wide: N children alive at once, each inheriting a descriptor at the
# highest number allowed (the tracker's copy of each table must not cost an
# array up to that number).
record "$W/scale" wide "$FORKS"
high=$(sed -n 's/.*holding fd \([0-9]*\).*/\1/p' "$TMP/out")
n=$(q "SELECT count(*) FROM events_v WHERE syscall = 'getppid'")
row wide "$FORKS children, fd $high" "getppid $n" "$([ "$n" = "$FORKS" ] && echo 1)"

# Exec chain: N re-execs of one process, a getpid in each image.
record "$W/scale" exec "$EXECS"
n=$(q "SELECT count(*) FROM events_v WHERE syscall = 'execve' AND ret = 0")
g=$(q "SELECT count(*) FROM events_v WHERE syscall = 'getpid'")
p=$(q "SELECT count(DISTINCT pid) FROM events_v")
row exec "$EXECS re-execs" "execve $n, getpid $g, pids $p" \
	"$([ "$n" = $((EXECS + 1)) ] && [ "$g" = $((EXECS + 1)) ] && [ "$p" = 1 ] && echo 1)"

# PID reuse: two processes with one pid; the second does not see the
# first's fd 3.
mkdir -p "$TMP/reuse"
record "$W/scale" pidreuse "$TMP/reuse"
pid=$(sed -n 's/.*pid \([0-9]*\) reused.*/\1/p' "$TMP/out")
if [ -z "$pid" ]; then
	printf '%-10s %s\n' pidreuse "skipped: $(cat "$TMP/err" "$TMP/out" | tail -1)"
else
	r=$(q "SELECT count(*) FROM processes WHERE pid = $pid")
	a=$(q "SELECT count(*) FROM events_v WHERE pid = $pid AND syscall = 'write' AND ret = 1 AND file = '$TMP/reuse/first'")
	e=$(q "SELECT count(*) FROM events_v WHERE pid = $pid AND syscall = 'write' AND errno = 'EBADF' AND file IS NULL")
	b=$(q "SELECT count(*) FROM events_v WHERE pid = $pid AND syscall = 'write' AND ret = 2 AND file = '$TMP/reuse/second'")
	row pidreuse "pid $pid twice" "rows $r, first $a, EBADF $e, second $b" \
		"$([ "$r" = 2 ] && [ "$a" = 1 ] && [ "$e" = 1 ] && [ "$b" = 1 ] && echo 1)"
fi

# Churn: distinct paths, then short processes; memory must stay bounded.
mkdir -p "$TMP/churn"
record "$W/scale" churn "$CHURN_FILES" "$CHURN_PROCS" "$TMP/churn"
n=$(q "SELECT count(*) FROM events_v WHERE syscall = 'openat' AND errno = 'ENOENT' AND file LIKE '$TMP/churn/%'")
p=$(q "SELECT count(*) FROM processes WHERE exit_ns IS NOT NULL")
row churn "$CHURN_FILES paths, $CHURN_PROCS procs" "ENOENT opens $n, ended $p" \
	"$([ "$n" = $((CHURN_FILES + CHURN_PROCS)) ] && [ "$p" -ge "$CHURN_PROCS" ] && echo 1)"
exit $FAIL
