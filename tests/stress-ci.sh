#!/usr/bin/env bash
# Is the suite deterministic? Run the CI (`bash .ci/run`) N times in a row,
# each on a fresh clone of one commit, optionally with a second fresh
# clone's `make check` running at the same time, and print a tally. Logs of
# failed runs are kept (issue 11).
#
#   tests/stress-ci.sh [-n RUNS] [-c] [-l LOGDIR] [-t SECONDS] [REPO [REF]]
#
#   -n RUNS     runs in a row (default 20)
#   -c          concurrent: each run has a peer clone running `make check`
#               (IOR_REQUIRE_BPF=1) at the same time; its result is tallied
#               too
#   -l LOGDIR   where to keep the logs of failures (default: a new
#               /tmp/ior-stress-logs-XXXXXX)
#   -t SECONDS  a run (or peer) still going after this is killed and
#               counted as failed (default 1800)
#   REPO        a path or URL git can clone (default: the repository that
#               holds this script)
#   REF         the commit to test (default: REPO's HEAD), resolved once so
#               that every run tests the same commit
#
# Run it niced on a shared machine: nice -n 10 tests/stress-ci.sh -n 10
set -uo pipefail

runs=20
concurrent=0
logdir=
limit=1800

usage()
{
	sed -n '/^#   tests/,/^# Run it/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while getopts "n:cl:t:h" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	c) concurrent=1 ;;
	l) logdir=$OPTARG ;;
	t) limit=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -le 2 ] || usage
[[ $runs =~ ^[1-9][0-9]*$ ]] || usage
[[ $limit =~ ^[1-9][0-9]*$ ]] || usage

repo=${1:-$(git -C "$(dirname "$0")" rev-parse --show-toplevel)} || exit 2
ref=${2:-HEAD}
if [ -d "$repo" ]; then
	repo=$(cd "$repo" && pwd)
	commit=$(git -C "$repo" rev-parse --verify --quiet "$ref^{commit}") || {
		echo "stress-ci: $repo: no commit '$ref'" >&2
		exit 2
	}
else
	commit=$ref # resolved in the first clone
fi

# The clones' make and tests must not see this shell's settings.
unset MAKEFLAGS MAKELEVEL MFLAGS IOR_BIN IOR_WORKLOADS IOR_SRCDIR IOR_REQUIRE_BPF

root=$(mktemp -d /tmp/ior-stress-XXXXXX) || exit 1
[ -n "$logdir" ] || logdir=$(mktemp -d /tmp/ior-stress-logs-XXXXXX) || exit 1
mkdir -p "$logdir" || exit 1
# Clones live under $root; on exit (or ^C) remove them, and end whatever
# this script still runs: the process groups it started, by pid.
pgids=()
cleanup()
{
	for g in "${pgids[@]}"; do
		kill -KILL -- "-$g" 2>/dev/null
	done
	rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# clone DIR: a fresh clone of $commit in DIR.
clone()
{
	local dir=$1

	git clone -q --no-checkout "$repo" "$dir" || return 1
	if [ "$commit" = "$ref" ] && [ ! -d "$repo" ]; then
		commit=$(git -C "$dir" rev-parse --verify --quiet "$ref^{commit}") ||
			commit=$(git -C "$dir" rev-parse --verify --quiet "origin/$ref^{commit}") ||
			return 1
	fi
	# A commit on no branch (a detached HEAD) is not cloned: fetch it.
	git -C "$dir" cat-file -e "$commit^{commit}" 2>/dev/null ||
		git -C "$dir" fetch -q "$repo" "$commit" || return 1
	git -C "$dir" checkout -q --detach "$commit"
}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }

# start LOG CMD...: run CMD in its own process group (so a timeout or ^C
# ends all of it), output to LOG; sets $started to its pid.
start()
{
	local log=$1

	shift
	setsid -w timeout -k 30 "$limit" "$@" >"$log" 2>&1 &
	started=$!
	pgids+=("$started")
}

passed=0 failed=0 peer_passed=0 peer_failed=0
durations=()
echo "stress-ci: $runs run(s) of bash .ci/run on fresh clones of $repo @ $ref$(
	[ $concurrent = 0 ] || echo ' (each with a concurrent make check)')"
echo "stress-ci: clones in $root, logs of failures in $logdir"
for ((i = 1; i <= runs; i++)); do
	tag=$(printf 'run-%02d' "$i")
	dir=$root/$tag
	if ! clone "$dir" >"$root/$tag.clone.log" 2>&1; then
		echo "stress-ci: cannot clone $repo @ $ref:" >&2
		cat "$root/$tag.clone.log" >&2
		exit 1
	fi
	[ $i -gt 1 ] || echo "stress-ci: commit $(git -C "$dir" log -1 --format='%h %s' | cut -c1-72)"
	peer=
	if [ $concurrent = 1 ]; then
		clone "$dir-peer" >"$root/$tag-peer.clone.log" 2>&1 || exit 1
		start "$root/$tag-peer.log" env IOR_REQUIRE_BPF=1 make -C "$dir-peer" check
		peer=$started
	fi
	t0=$(now)
	start "$root/$tag.log" bash "$dir/.ci/run"
	wait "$started"
	rc=$?
	t1=$(now)
	d=$(secs "$t0" "$t1")
	durations+=("$d")
	if [ $rc = 0 ]; then
		passed=$((passed + 1))
		result=PASS
	else
		failed=$((failed + 1))
		result="FAIL (status $rc$([ $rc = 124 ] && echo ', timed out'))"
		cp "$root/$tag.log" "$logdir/$tag.log"
		grep -E '^\[FAIL\]|Assertion Failed|^make.*Error|FAILED|^FAIL' "$root/$tag.log" |
			head -5 | sed 's/^/    /'
	fi
	line="$tag: $result in ${d}s"
	if [ -n "$peer" ]; then
		wait "$peer"
		prc=$?
		pd=$(secs "$t0" "$(now)")
		if [ $prc = 0 ]; then
			peer_passed=$((peer_passed + 1))
			line+=", peer make check PASS (${pd}s from start)"
		else
			peer_failed=$((peer_failed + 1))
			line+=", peer make check FAIL (status $prc)"
			cp "$root/$tag-peer.log" "$logdir/$tag-peer.log"
		fi
	fi
	echo "$line"
	pgids=()
	rm -rf "$dir" "$dir-peer"
done

sorted=$(printf '%s\n' "${durations[@]}" | sort -n)
echo "stress-ci: runs $runs, passed $passed, failed $failed;" \
	"duration min $(head -1 <<<"$sorted")s," \
	"median $(sed -n "$(((runs + 1) / 2))p" <<<"$sorted")s," \
	"max $(tail -1 <<<"$sorted")s," \
	"total $(awk '{ s += $1 } END { print s }' <<<"$sorted")s"
if [ $concurrent = 1 ]; then
	echo "stress-ci: concurrent peers: passed $peer_passed, failed $peer_failed"
fi
if [ $((failed + peer_failed)) -gt 0 ]; then
	echo "stress-ci: logs of failures kept in $logdir"
	exit 1
fi
rmdir "$logdir" 2>/dev/null
exit 0
