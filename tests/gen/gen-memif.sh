#!/bin/bash
# gen-memif.sh: sluice-gen end to end, two processes joined by net_memif.
#
# Covers:
#  - usage: a bad value exits 1 with "Error: --count: ...", before the EAL
#    (no hugepages touched);
#  - traffic: a sink (memif server) and a generator (client) at 100k pps,
#    200000 frames, classes 0:3,5:1. Whatever the machine's scheduling
#    loses, the books must balance: sink rx_packets + wire_lost ==
#    tx_attempted == 200000, sink lost == wire_lost (the sink is told
#    --expect 200000, so a lost tail counts), nothing duplicated, nothing
#    foreign, and the generator's class split exactly 150000/50000;
#  - PAUSE: an emitter (server) sends PAUSE 0xffff then PAUSE 0 (XON) to a
#    running generator: pause_frames_rx 2, xon_frames_rx 1, no PFC, none
#    malformed;
#  - PFC: the same with PFC frames for class 5 (0xffff, then 0): pfc 2,
#    xon 1, no PAUSE.
# Only counts are asserted, never times or rates: the machine may be busy.
#
# Needs root, free hugepages, hugetlbfs and jq; skips (exit 77) without
# them. Environment (meson sets it): SLUICE_GEN, the sluice-gen binary.

set -u

: "${SLUICE_GEN:?SLUICE_GEN must name the sluice-gen binary}"

RUN_TIMEOUT_S=60      # a hang fails the test, never blocks CI
START_TIMEOUT_S=20
MIN_FREE_HUGEPAGES=64 # two processes, about 20 pages of 2 MiB each

PREFIX="sluice-gen-test-$$"
T=$(mktemp -d "${TMPDIR:-/tmp}/sluice-gen-test.XXXXXX") || exit 99
FAILS=0
BG_PID=           # background sluice-gen (sink or emitter) not yet reaped
BG_RC=0

# EXIT trap: stop what we started (by PID), drop DPDK and temp files.
# shellcheck disable=SC2317  # reached through the trap only
cleanup() {
	local m fs

	if [ -n "$BG_PID" ]; then
		kill -KILL "$BG_PID" 2>/dev/null
		wait "$BG_PID" 2>/dev/null
	fi
	rm -rf /var/run/dpdk/"$PREFIX"-* 2>/dev/null
	# --huge-unlink leaves nothing behind, but a run killed mid-start may
	while read -r _ m fs _; do
		[ "$fs" = hugetlbfs ] && rm -f "$m/$PREFIX"-*map_*
	done </proc/mounts
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
	echo "FAIL: $*" >&2
	FAILS=$((FAILS + 1))
}

skip() {
	echo "SKIP: $*"
	exit 77
}

note() {
	echo "# $*"
}

# assert_eq NAME GOT WANT
assert_eq() {
	[ "$2" = "$3" ] || fail "$1: got $2 want $3"
}

# json FILE EXPR: the value, or "?" (and a failure) when it is missing.
json() {
	local v

	if ! v=$(jq -e -r "$2" "$1" 2>/dev/null); then
		fail "$(basename "$1"): no value for $2"
		v="?"
	fi
	printf '%s\n' "$v"
}

# The first two CPUs we may run on, one a line (one line if only one).
cpus() {
	local list part lo hi c n=0

	list=$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/self/status)
	for part in ${list//,/ }; do
		lo=${part%-*}
		hi=${part#*-}
		for ((c = lo; c <= hi && n < 2; c++, n++)); do
			echo "$c"
		done
	done
}

# ---------------------------------------------------------------- runs

# gen_args NAME ROLE CPU: EAL arguments for one process, one a line.
gen_args() {
	printf '%s\n' --no-pci --file-prefix "$PREFIX-$1" --huge-unlink \
		--lcores "0@$3" --log-level pmd.net.memif:warning \
		--vdev "net_memif0,role=$2,socket=$SOCK,rsize=11"
}

# bg_start NAME CPU OPTS...: sluice-gen as memif server, in the
# background; returns once its port has started (1 if it never does).
bg_start() {
	local name=$1 cpu=$2 eal i

	shift 2
	mapfile -t eal < <(gen_args "$name" server "$cpu")
	"$SLUICE_GEN" "${eal[@]}" -- "$@" >"$T/$name.out" 2>"$T/$name.err" \
		</dev/null &
	BG_PID=$!

	for ((i = 0; i < START_TIMEOUT_S * 10; i++)); do
		grep -q 'started' "$T/$name.err" && return 0
		kill -0 "$BG_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "$name: sluice-gen did not start within $START_TIMEOUT_S s"
	tail -n 5 "$T/$name.err" >&2
	kill -KILL "$BG_PID" 2>/dev/null
	wait "$BG_PID" 2>/dev/null
	BG_PID=
	return 1
}

# bg_wait NAME: wait for the background run; BG_RC is its exit status, or
# 255 when it did not end in time (it is killed then).
bg_wait() {
	local i

	for ((i = 0; i < RUN_TIMEOUT_S * 10; i++)); do
		kill -0 "$BG_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$BG_PID" 2>/dev/null; then
		kill -KILL "$BG_PID"
		fail "$1: still running after $RUN_TIMEOUT_S s, killed"
	fi
	wait "$BG_PID"
	BG_RC=$?
	BG_PID=
	assert_eq "$1: exit status" "$BG_RC" 0
}

# fg_run NAME CPU OPTS...: sluice-gen as memif client, under timeout.
fg_run() {
	local name=$1 cpu=$2 eal rc

	shift 2
	mapfile -t eal < <(gen_args "$name" client "$cpu")
	timeout -k 5 "$RUN_TIMEOUT_S" "$SLUICE_GEN" "${eal[@]}" -- "$@" \
		>"$T/$name.out" 2>"$T/$name.err" </dev/null
	rc=$?
	assert_eq "$name: exit status" "$rc" 0
	[ "$rc" -eq 0 ] || tail -n 5 "$T/$name.err" >&2
}

# ---------------------------------------------------------------- cases

usage_case() {
	local rc

	"$SLUICE_GEN" -- --count 0 >"$T/usage.out" 2>"$T/usage.err"
	rc=$?
	assert_eq "usage: exit status" "$rc" 1
	grep -q '^Error: --count: ' "$T/usage.err" ||
		fail "usage: no 'Error: --count:' line on stderr"
}

traffic_case() {
	local s="$T/sink.json" g="$T/gen.json" att lost rx

	bg_start sink "$CPU_A" --sink --duration 50 --idle-exit-ms 2000 \
		--expect 200000 --stats-json "$s" || return
	fg_run gen "$CPU_B" --rate-pps 100000 --count 200000 \
		--classes 0:3,5:1 --stats-json "$g"
	bg_wait sink
	if [ ! -s "$s" ] || [ ! -s "$g" ]; then
		fail "traffic: JSON missing"
		return
	fi

	att=$(json "$g" .tx_attempted)
	lost=$(json "$g" .wire_lost)
	rx=$(json "$s" .rx_packets)
	assert_eq "traffic: tx_attempted" "$att" 200000
	assert_eq "traffic: sink rx_packets + wire_lost" "$((rx + lost))" "$att"
	assert_eq "traffic: sink lost == wire_lost" "$(json "$s" .lost)" "$lost"
	assert_eq "traffic: duplicated" "$(json "$s" .duplicated)" 0
	assert_eq "traffic: rx_foreign" "$(json "$s" .rx_foreign)" 0
	assert_eq "traffic: class split" \
		"$(json "$g" '.tx_attempted_by_class | join(",")')" \
		"150000,0,0,0,0,50000,0,0"
	note "traffic: gen $(jq -c '{tx_attempted, tx_packets, wire_lost,
		rate_pps_achieved}' "$g")"
	note "traffic: sink $(jq -c '{rx_packets, lost, reordered,
		latency_ns}' "$s")"
}

# pause_case NAME EMIT-OPTION LIST PAUSE PFC XON
pause_case() {
	local name=$1 e="$T/$1-emit.json" g="$T/$1-gen.json"

	bg_start "$name-emit" "$CPU_A" "$2" "$3" --emit-gap-us 100 \
		--emit-delay-ms 300 --linger-ms 3000 --stats-json "$e" || return
	fg_run "$name-gen" "$CPU_B" --rate-pps 100000 --duration 2 \
		--classes 0,5 --stats-json "$g"
	bg_wait "$name-emit"
	if [ ! -s "$e" ] || [ ! -s "$g" ]; then
		fail "$name: JSON missing"
		return
	fi

	assert_eq "$name: emitted" "$(json "$e" .emitted)" 2
	assert_eq "$name: pause_frames_rx" "$(json "$g" .pause_frames_rx)" "$4"
	assert_eq "$name: pfc_frames_rx" "$(json "$g" .pfc_frames_rx)" "$5"
	assert_eq "$name: xon_frames_rx" "$(json "$g" .xon_frames_rx)" "$6"
	assert_eq "$name: mac_control_malformed" \
		"$(json "$g" .mac_control_malformed)" 0
	note "$name: gen $(jq -c '{pause_frames_rx, pfc_frames_rx,
		xon_frames_rx, paused_time_us}' "$g")"
}

# ---------------------------------------------------------------- main

[ "$(id -u)" -eq 0 ] || skip "needs root (DPDK hugepages and runtime dir)"
hp_free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
[ "${hp_free:-0}" -ge "$MIN_FREE_HUGEPAGES" ] ||
	skip "needs $MIN_FREE_HUGEPAGES free hugepages, has ${hp_free:-none}" \
		"(see /proc/sys/vm/nr_hugepages)"
grep -q ' hugetlbfs ' /proc/mounts || skip "no hugetlbfs mounted"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"

mapfile -t cpu_list < <(cpus)
CPU_A=${cpu_list[0]:-0}
CPU_B=${cpu_list[1]:-$CPU_A}
SOCK="$T/memif.sock"

usage_case
traffic_case
pause_case pause --emit-pause 65535,0 2 0 1
pause_case pfc --emit-pfc "0x20:0/0/0/0/0/65535/0/0,0x20:0/0/0/0/0/0/0/0" \
	0 2 1

if [ "$FAILS" -ne 0 ]; then
	echo "FAILED: $FAILS check(s)"
	exit 1
fi
echo "PASS"
exit 0
