#!/usr/bin/env bash
# make screens: capture every screen of the live UI on the demo workload in
# tmux (a private server) at 120x40 and 80x24 into docs/screens/*.txt, as a
# person would see them. usage: screens.sh IOR_BIN WORKLOAD_DIR OUT_DIR
set -eu
IOR=$(realpath "$1")
W=$(realpath "$2")
OUT=$3
TMP=$(mktemp -d /tmp/ior-screens.XXXXXX)
T=
trap '{ [ -n "$T" ] && $T kill-server; } 2>/dev/null || true; rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
DEMO="while :; do $W/filemix $TMP/demo 100; ls -l /usr/include >/dev/null; cat /etc/os-release | wc -l >/dev/null; sleep 0.5; done"

shot() { # size name keys...
	local size=$1 name=$2
	shift 2
	for k in "$@"; do
		$T send-keys -t s "$k"
		sleep 0.4
	done
	sleep 1.2
	$T capture-pane -p -t s >"$OUT/$name-$size.txt"
}

for size in 120x40 80x24; do
	T="tmux -L ior-screens-$$-$size -f /dev/null" # a server per size
	$T new-session -d -s s -x "${size%x*}" -y "${size#*x}" \
		"cd $TMP && TERM=xterm-256color LANG=C.UTF-8 TMPDIR=$TMP $IOR -f -- sh -c '$DEMO'; sleep 60"
	sleep 4
	shot "$size" 1-overview 1
	shot "$size" 2-families 2
	shot "$size" 3-syscalls 3
	shot "$size" 4-files 4
	shot "$size" 4-files-tree F5
	$T send-keys -t s F5
	shot "$size" 5-processes 5
	shot "$size" 6-stream 6 / rename Enter
	$T send-keys -t s End
	shot "$size" 7-latency 7
	shot "$size" 8-flame 8
	shot "$size" family-panel 3 f
	$T send-keys -t s Enter
	shot "$size" help F1
	$T send-keys -t s Escape
	sleep 0.3
	$T send-keys -t s q
	sleep 0.3
	$T send-keys -t s n || true
	sleep 1
	$T kill-server 2>/dev/null || true
done
# Replay: a few seconds of the demo recorded, then played back from 50%.
"$IOR" record -q -f -d 3 -o "$TMP/demo.db" -- sh -c "$DEMO" >/dev/null 2>&1 || true
for size in 120x40; do
	T="tmux -L ior-screens-$$-replay -f /dev/null"
	$T new-session -d -s s -x "${size%x*}" -y "${size#*x}" \
		"cd $TMP && TERM=xterm-256color LANG=C.UTF-8 $IOR replay --paused --start 50% $TMP/demo.db; sleep 60"
	sleep 2
	shot "$size" replay-syscalls 3
	shot "$size" replay-stream 6 / rename Enter
	$T send-keys -t s q
	sleep 0.5
	$T kill-server 2>/dev/null || true
done
ls "$OUT"
