#!/usr/bin/env bash
# make bench: SIGKILL `ior record -f` at random points while it records a
# file-churning workload, N times (default 100). Every session left behind
# must pass `PRAGMA integrity_check`, and `ior report` must read it and say it
# was cut short. A kill before the command runs leaves no SESSION.db (ior
# writes SESSION.db.ior-new-PID until then; counted apart). Prints the tally; exits 1 if any session failed.
# usage: faults.sh IOR_BIN WORKLOAD_DIR [N] (FAULTS_MAX_MS: latest kill, 3000)
set -u
IOR=$(realpath "$1")
W=$(realpath "$2")
N=${3:-100}
MAX_MS=${FAULTS_MAX_MS:-3000}
TMP=$(mktemp -d /tmp/ior-faults.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
RANDOM=${FAULTS_SEED:-9}

ok=0 none=0 bad=0 rows_min= rows_max=0 rows_sum=0
for i in $(seq 1 "$N"); do
	rm -rf "$TMP"/s.db* "$TMP/mix"
	ms=$(( (RANDOM * 32768 + RANDOM) % (MAX_MS + 1) ))
	# Its own process group, so that the workload ior launched (orphaned
	# when ior dies) can be ended by group id afterwards.
	setsid "$IOR" record -q -f -o "$TMP/s.db" -- /bin/sh -c \
		"while :; do $W/filemix $TMP/mix 300; done" >/dev/null 2>"$TMP/err" &
	pid=$!
	sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	kill -KILL -- "-$pid" 2>/dev/null # the orphaned workload
	if [ ! -e "$TMP/s.db" ]; then
		none=$((none + 1))
		printf 'kill %3d at %4d ms: no session (before the command ran)\n' "$i" "$ms"
		continue
	fi
	why=
	integ=$(sqlite3 -readonly "$TMP/s.db" 'PRAGMA integrity_check' 2>&1)
	[ "$integ" = ok ] || why="integrity_check: $integ"
	if [ -z "$why" ]; then
		if ! "$IOR" report "$TMP/s.db" >"$TMP/report" 2>"$TMP/rerr"; then
			why="report failed: $(head -1 "$TMP/rerr")"
		elif ! grep -q 'CUT SHORT' "$TMP/report"; then
			why="report does not say it was cut short"
		fi
	fi
	rows=$(sqlite3 -readonly "$TMP/s.db" 'SELECT count(*) FROM events' 2>/dev/null || echo '?')
	if [ -n "$why" ]; then
		bad=$((bad + 1))
		printf 'kill %3d at %4d ms: FAIL %s (%s rows)\n' "$i" "$ms" "$why" "$rows"
		cp "$TMP/s.db" "/tmp/ior-faults-fail-$i.db" 2>/dev/null
	else
		ok=$((ok + 1))
		case $rows in ''|*[!0-9]*) ;; *)
			rows_sum=$((rows_sum + rows))
			[ "$rows" -gt "$rows_max" ] && rows_max=$rows
			{ [ -z "$rows_min" ] || [ "$rows" -lt "$rows_min" ]; } && rows_min=$rows ;;
		esac
		printf 'kill %3d at %4d ms: ok, %s rows, cut short\n' "$i" "$ms" "$rows"
	fi
done
printf '\nfaults: %d SIGKILLs of ior record -f (0..%d ms): %d sessions ok (integrity_check ok,\n' \
	"$N" "$MAX_MS" "$ok"
printf '        report reads it and says CUT SHORT; rows %s..%s, mean %s), %d before the\n' \
	"${rows_min:-0}" "$rows_max" "$(( ok ? rows_sum / ok : 0 ))" "$none"
printf '        command ran (no session file), %d FAILED\n' "$bad"
[ "$bad" = 0 ]
