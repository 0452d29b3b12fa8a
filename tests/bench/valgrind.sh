#!/usr/bin/env bash
# make bench: memcheck on the readers of a real session: report, export csv,
# export folded, and the replay UI (in a private tmux server: play, seek to
# the end, back to 50%, the Stream, search, quit). Fails on any error or
# leak. usage: valgrind.sh IOR_BIN WORKLOAD_DIR
set -u
IOR=$(realpath "$1")
W=$(realpath "$2")
TMP=$(mktemp -d /tmp/ior-vg.XXXXXX)
SOCK=ior-vg-$$
T="tmux -L $SOCK -f /dev/null"
trap '$T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
command -v valgrind >/dev/null || { echo "valgrind not installed: skipped"; exit 0; }
VG="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible"
FAIL=0
"$IOR" record -q -f -o "$TMP/s.db" -- "$W/filemix" "$TMP/mix" 2000 2>/dev/null
check() { # label, then the command
	local label=$1
	shift
	if "$@" >"$TMP/out" 2>"$TMP/vg"; then
		echo "  $label: clean"
	else
		echo "  $label: FAILED ($?)"
		head -40 "$TMP/vg"
		FAIL=1
	fi
}
echo "== valgrind memcheck on a session of $(sqlite3 "$TMP/s.db" 'SELECT count(*) FROM events') events"
check "report" $VG "$IOR" report "$TMP/s.db"
check "export csv" $VG "$IOR" export csv "$TMP/s.db" -o "$TMP/s.csv"
check "export folded" $VG "$IOR" export folded "$TMP/s.db"
$T new-session -d -s v -x 160 -y 45 "TERM=xterm-256color LANG=C.UTF-8 $VG --log-file=$TMP/replay.vg $IOR replay --paused $TMP/s.db; echo EXIT=\$? >$TMP/replay.rc; sleep 60"
for i in $(seq 1 300); do $T capture-pane -p -t v | grep -q PAUSED && break; sleep 0.2; done
for k in Space Z r "b 50% Enter" 6 "/ mix Enter" n , . 4 8 q; do
	$T send-keys -t v $k
	sleep 1
done
for i in $(seq 1 300); do [ -s "$TMP/replay.rc" ] && break; sleep 0.2; done
if grep -q "EXIT=0" "$TMP/replay.rc" 2>/dev/null && [ ! -s "$TMP/replay.vg" ]; then
	echo "  replay UI: clean"
else
	echo "  replay UI: FAILED ($(cat "$TMP/replay.rc" 2>/dev/null))"
	head -40 "$TMP/replay.vg"
	FAIL=1
fi
exit $FAIL
