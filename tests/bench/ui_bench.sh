#!/usr/bin/env bash
# The live UI's costs (make bench): capture under the UI against headless
# `ior record` on sysloop, round-robin in one run; the time from a key press
# to the redrawn screen at 1M+ events/s; the UI thread's CPU over a session
# of 100,000 files and 1,000 processes; the RSS of a 10M-event live session.
# The UI runs in tmux (a private server). usage: ui_bench.sh IOR_BIN WORKLOAD_DIR
# Env: BENCH_QUICK=1 smaller sizes; BENCH_ROUNDS (3); CAPTURE_ROUNDS for the
# capture part (9: one round's ratio varies by 10% here, the median less).
set -u
IOR=$(realpath "$1")
W=$(realpath "$2")
TMP=$(mktemp -d /tmp/ior-uibench.XXXXXX)
SOCK=ior-uibench-$$
T="tmux -L $SOCK -f /dev/null"
trap '$T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
ROUNDS=${BENCH_ROUNDS:-3}
CAPTURE_ROUNDS=${CAPTURE_ROUNDS:-${BENCH_ROUNDS:-9}}
SECTIONS=${UI_BENCH_SECTIONS:-"capture twin keys cpu rss replay"} # which parts to run
want() { case " $SECTIONS " in *" $1 "*) return 0 ;; esac; return 1; }
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	N=500000 BIG=1000000 FILES=10000 PROCS=100
else
	N=2000000 BIG=10000000 FILES=100000 PROCS=1000
fi
CPU="$(command -v taskset) -c 1"

ms() { date +%s%3N; }

# Wait until the pane shows $1 (up to $2 seconds).
wait_screen() {
	local end=$(($(date +%s) + $2))
	until $T capture-pane -p -t b | grep -qF -- "$1"; do
		[ "$(date +%s)" -ge "$end" ] && { echo "timeout waiting for '$1'" >&2; return 1; }
		sleep 0.05
	done
}

# The ior process in the pane (the pane runs sh, whose child is ior).
ior_pid() { pgrep -P "$($T display -p -t b '#{pane_pid}')" | head -1; }

# Live UI on a command: start it at 200x50, leave it running.
live() {
	rm -f "$TMP"/s.db*
	$T new-session -d -s b -x 200 -y 50 "cd $TMP && TERM=xterm-256color LANG=C.UTF-8 $IOR -f -w $TMP/s.db --force -- $*; sleep 600"
}
quit() {
	$T send-keys -t b q
	sleep 0.2
	$T send-keys -t b y
	wait_screen "session kept" 120 || true
	$T kill-server 2>/dev/null
}

if want capture; then
echo "== capture: live UI vs headless record (sysloop $N, pinned to CPU 1), $CAPTURE_ROUNDS rounds"
base_sum=0
for r in $(seq 1 "$CAPTURE_ROUNDS"); do
	# Rotate the starting mode.
	modes="untraced record ui"
	[ $((r % 3)) = 2 ] && modes="record ui untraced"
	[ $((r % 3)) = 0 ] && modes="ui untraced record"
	for m in $modes; do
		case $m in
		untraced) $CPU "$W/timeit" "$W/sysloop" "$N" 2>"$TMP/err" >/dev/null ;;
		record)
			rm -f "$TMP"/r.db*
			$IOR record -q -f -o "$TMP/r.db" -- $CPU "$W/timeit" "$W/sysloop" "$N" 2>"$TMP/err" >/dev/null
			echo "lost $(sqlite3 "$TMP/r.db" 'SELECT events_lost FROM session') events $(sqlite3 "$TMP/r.db" 'SELECT events_recorded FROM session')" >>"$TMP/err" ;;
		ui)
			live "$CPU $W/timeit $W/sysloop $N"
			wait_screen "ENDED" 300
			quit
			cp "$TMP/s.db.out" "$TMP/err"
			echo "lost $(sqlite3 "$TMP/s.db" 'SELECT events_lost FROM session') events $(sqlite3 "$TMP/s.db" 'SELECT events_recorded FROM session')" >>"$TMP/err" ;;
		esac
		secs=$(sed -n 's/^timeit: //p' "$TMP/err" | tail -1)
		echo "$r $m $secs $(grep -o 'lost [0-9]* events [0-9]*' "$TMP/err")" >>"$TMP/rr"
	done
done
awk '{ t[$2] += $3; n[$2]++; if ($2 != "untraced") { lost[$2] += $5; ev[$2] += $7 } }
END {
	b = t["untraced"] / n["untraced"]
	printf "  untraced %.3fs; record %.2fx (lost %d of %d); ui %.2fx (lost %d of %d); ui/record %.3f\n",
		b, t["record"] / n["record"] / b, lost["record"], ev["record"] + lost["record"],
		t["ui"] / n["ui"] / b, lost["ui"], ev["ui"] + lost["ui"], t["ui"] / t["record"] }' "$TMP/rr"
# The same round's two runs, the machine's speed varying less within a round.
awk '$2 == "record" { rec[$1] = $3 } $2 == "ui" { ui[$1] = $3 }
END { for (r in ui) if (rec[r] > 0) print ui[r] / rec[r] }' "$TMP/rr" | sort -g |
	awk '{ v[NR] = $1; s = s sprintf(" %.3f", $1) }
	END { if (NR) printf "  ui/record per round:%s; median %.3f\n", s, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
sed 's/^/  round /' "$TMP/rr"
fi

if want twin; then
echo "== twin mode: capture with the UI idle vs while seeking back and forth in the past (sysloop $((N * 3))), $ROUNDS rounds"
rm -f "$TMP/tw"
for r in $(seq 1 "$ROUNDS"); do
	modes="idle seeking"
	[ $((r % 2)) = 0 ] && modes="seeking idle"
	for m in $modes; do
		live "$CPU $W/timeit $W/sysloop $((N * 3))"
		wait_screen "1 Overview" 30
		keys=0
		if [ "$m" = seeking ]; then
			# Scripted browsing until the workload ends: pause, back a
			# second, to 50%, a step back, to the start, back to live.
			sleep 0.3
			while ! $T capture-pane -p -t b | grep -qF ENDED; do
				for k in "Space" "b -1s Enter" "b 50% Enter" "," "r" "Z"; do
					$T send-keys -t b $k
					keys=$((keys + 1))
					sleep 0.1
				done
			done
		fi
		wait_screen "ENDED" 300
		quit
		secs=$(sed -n 's/^timeit: //p' "$TMP/s.db.out" | tail -1)
		echo "$r $m $secs $(sqlite3 "$TMP/s.db" 'SELECT events_lost, events_recorded FROM session' | tr '|' ' ') $keys" >>"$TMP/tw"
	done
done
awk '{ t[$2] += $3; lost[$2] += $4; ev[$2] += $5; k[$2] += $6 }
END {
	printf "  idle %.3fs (lost %d of %d); seeking %.3fs (lost %d of %d, %d keys); seeking/idle %.3f\n",
		t["idle"] / '"$ROUNDS"', lost["idle"], ev["idle"] + lost["idle"], t["seeking"] / '"$ROUNDS"',
		lost["seeking"], ev["seeking"] + lost["seeking"], k["seeking"], t["seeking"] / t["idle"] }' "$TMP/tw"
sed 's/^/  round /' "$TMP/tw"
fi

if want keys; then
echo "== key to redrawn screen at full rate (sysloop in the UI), 20 presses"
live "$CPU $W/sysloop $((BIG * 5))"
wait_screen "1 Overview" 30
wait_screen "M ev/s" 30 # the rate is sampled each second: wait for the first
for i in $(seq 1 20); do
	if [ $((i % 2)) = 1 ]; then key=3 want="SYSCALL"; else key=2 want="FAMILY / SYSCALL"; fi
	t0=$(ms)
	$T send-keys -t b "$key"
	wait_screen "$want" 10 || break
	echo $(($(ms) - t0)) >>"$TMP/keys"
done
rate=$($T capture-pane -p -t b | grep -o '[0-9.]*[kM]* ev/s' | head -1)
sort -n "$TMP/keys" | awk -v rate="$rate" '{ v[NR] = $1 } END {
	printf "  at %s: median %d ms, max %d ms (includes tmux capture polling, ~50 ms steps)\n", rate, v[int((NR + 1) / 2)], v[NR] }'
quit
fi

if want cpu; then
echo "== UI thread CPU at 10 redraws/s, $FILES files and $PROCS processes"
live "$W/manyfiles $TMP/mf $FILES $PROCS 15"
wait_screen "1 Overview" 30
# Wait for the workload's quiet phase: all files made.
sleep 2
until [ "$(sqlite3 "$TMP/s.db" "SELECT count(*) FROM processes" 2>/dev/null || echo 0)" -ge "$PROCS" ]; do sleep 0.5; done
sleep 1
pid=$(ior_pid)
for s in 1 4 6; do $T send-keys -t b "$s"; sleep 0.3; done
read -r u0 s0 < <(awk '{ print $14, $15 }' "/proc/$pid/task/$pid/stat")
t0=$(ms)
sleep 5
read -r u1 s1 < <(awk '{ print $14, $15 }' "/proc/$pid/task/$pid/stat")
t1=$(ms)
tck=$(getconf CLK_TCK)
awk -v u="$((u1 + s1 - u0 - s0))" -v tck="$tck" -v ms="$((t1 - t0))" \
	'BEGIN { printf "  UI thread: %.1f%% of a core over %.1f s (Stream screen, 10 redraws/s)\n", 100 * u / tck / (ms / 1000), ms / 1000 }'
grep -E 'VmHWM' "/proc/$pid/status" | sed 's/^/  ior /'
quit
fi

if want rss; then
echo "== RSS of a live session of $BIG events"
live "$CPU $W/sysloop $BIG"
wait_screen "ENDED" 600
pid=$(ior_pid)
# The writer may still be catching up: wait for every record, then measure.
until [ "$(sqlite3 "$TMP/s.db" 'SELECT count(*) FROM events' 2>/dev/null || echo 0)" -ge "$BIG" ]; do sleep 1; done
echo "  $(grep VmHWM "/proc/$pid/status"); events $(sqlite3 "$TMP/s.db" 'SELECT count(*) FROM events'), $($T capture-pane -p -t b | grep -o 'lost [0-9,]*\|LOST [0-9,]*' | head -1)"
quit
fi

if want replay; then
echo "== replay of a $BIG-event session (sysloop): first screen, seeks, max-speed rate, RSS"
rm -f "$TMP"/big.db*
$IOR record -q -o "$TMP/big.db" -- $CPU "$W/sysloop" "$BIG" 2>/dev/null
events=$(sqlite3 "$TMP/big.db" 'SELECT count(*) FROM events')
echo "  session: $(du -m "$TMP/big.db" | cut -f1) MiB, $(sqlite3 "$TMP/big.db" \
	"SELECT count(*) || ' checkpoints, ' || (sum(length(stats)) / 1024) || ' KiB' FROM checkpoints")"
t0=$(ms)
$T new-session -d -s b -x 200 -y 50 "cd $TMP && TERM=xterm-256color LANG=C.UTF-8 $IOR replay --paused $TMP/big.db; sleep 600"
wait_screen "#0 " 60
echo "  $events events; first screen $(($(ms) - t0)) ms"
seek() { # key(s), what the header then shows, label
	local t0
	t0=$(ms)
	$T send-keys -t b $1
	wait_screen "$2" 600
	echo "  $3: $(($(ms) - t0)) ms"
}
seek Z "END" "seek to the end (from the start)"
seek "b 50% Enter" "PAUSED" "seek to 50% (back from the end)"
seek "b #$((events / 10)) Enter" "#$((events / 10)) " "seek to event #$((events / 10)) (back)"
seek "b #$((events * 9 / 10)) Enter" "#$((events * 9 / 10)) " "seek to event #$((events * 9 / 10)) (forward)"
for i in 1 2 3 4 5; do
	id=$(((RANDOM * 32768 + RANDOM) % events + 1))
	seek "b #$id Enter" "#$id " "seek to event #$id (random)"
done
seek r "#0 " "seek to the start"
pid=$(ior_pid)
t0=$(ms)
$T send-keys -t b + + + + + + + + + + Space # as fast as possible
wait_screen "END" 600
secs=$(awk -v ms="$(($(ms) - t0))" 'BEGIN { printf "%.2f", ms / 1000 }')
echo "  max-speed replay: $secs s, $(awk -v e="$events" -v s="$secs" 'BEGIN { printf "%.0f", e / s }') events/s"
echo "  $(grep VmHWM "/proc/$pid/status")"
$T send-keys -t b q
sleep 0.5
$T kill-server 2>/dev/null
fi
