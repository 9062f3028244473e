# shellcheck shell=bash
# Shared helpers for the integration tests; sourced, never run.
#
# What it gives a test:
#  - T: a private temp dir, removed on exit with the DPDK runtime files of
#    every run the test made (runtime dir, leftover hugepage files);
#  - dp_run / dp_start: sluice-dp with EAL arguments built here (--no-pci,
#    a unique --file-prefix or the caller's --in-memory, --lcores mapping
#    N lcores onto the CPUs we may use), always under timeout;
#  - skip helpers that exit 77 with the reason;
#  - json_get / assert_* / check_accounting, which record failures in a
#    file so they also count from $(...) subshells; finish turns them into
#    the exit status.
#
# Environment (meson sets it): SLUICE_DP, PCAP_FRAMES, SLUICE_PCAP_DIR.

set -u

: "${SLUICE_DP:?SLUICE_DP must name the sluice-dp binary}"
: "${PCAP_FRAMES:?PCAP_FRAMES must name the pcap-frames binary}"
SLUICE_PCAP_DIR=${SLUICE_PCAP_DIR:-/work/shared/pcaps}

DP_TIMEOUT_S=${DP_TIMEOUT_S:-60}   # a hang fails the test, never blocks CI
DP_PREFIX="sluice-test-$$"
DP_RUN_N=0
DP_RC=0
DP_OUT=
DP_ERR=
DP_PID=
DP_CMD=()
DP_TPID=   # the timeout process of a dp_start run not yet waited for

T=$(mktemp -d "${TMPDIR:-/tmp}/sluice-test.XXXXXX") || exit 99
LIB_FAILS="$T/.failures"
: >"$LIB_FAILS"

# Kill a dp_start run still going: sluice-dp first, while timeout (its
# parent, our child) still holds it, so neither PID can have been reused.
dp_kill() {
	[ -n "$DP_TPID" ] || return 0
	if kill -0 "$DP_TPID" 2>/dev/null; then
		[ -n "$DP_PID" ] && kill -KILL "$DP_PID" 2>/dev/null
		kill -KILL "$DP_TPID" 2>/dev/null
	fi
	wait "$DP_TPID" 2>/dev/null
	DP_TPID=
}

# EXIT trap: stop what we started (by PID), drop DPDK and temp files.
lib_cleanup() {
	local d m

	dp_kill
	for d in /var/run/dpdk "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk"; do
		[ -d "$d" ] && rm -rf "$d/$DP_PREFIX"-*
	done
	# --huge-unlink leaves nothing behind, but a run killed mid-start may
	while read -r _ m fs _; do
		[ "$fs" = hugetlbfs ] && rm -f "$m/$DP_PREFIX"-*map_*
	done </proc/mounts
	rm -rf "$T"
}
trap lib_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- results

fail() {
	echo "FAIL: $*" >&2
	echo "$*" >>"$LIB_FAILS"
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
	if [ "$2" != "$3" ]; then
		fail "$1: got $2 want $3"
		return 1
	fi
	return 0
}

# assert_cmp NAME GOT OP WANT, OP one of -ge -gt -le -lt -ne (integers)
assert_cmp() {
	if ! [[ "$2" =~ ^-?[0-9]+$ && "$4" =~ ^-?[0-9]+$ ]]; then
		fail "$1: got '$2', want a number $3 '$4'"
		return 1
	fi
	local ok

	case $3 in
	-ge) ok=$(($2 >= $4)) ;;
	-gt) ok=$(($2 > $4)) ;;
	-le) ok=$(($2 <= $4)) ;;
	-lt) ok=$(($2 < $4)) ;;
	-ne) ok=$(($2 != $4)) ;;
	*) fail "$1: assert_cmp: unknown operator $3"; return 1 ;;
	esac
	if [ "$ok" -ne 1 ]; then
		fail "$1: got $2 want $3 $4"
		return 1
	fi
	return 0
}

# assert_match NAME FILE ERE: some line of FILE matches ERE
assert_match() {
	if ! grep -Eq -- "$3" "$2"; then
		fail "$1: no line matches /$3/ in:"
		sed 's/^/    | /' "$2" | tail -n 15 >&2
		return 1
	fi
	return 0
}

# assert_contains NAME FILE STRING: FILE holds STRING (fixed text)
assert_contains() {
	if ! grep -Fq -- "$3" "$2"; then
		fail "$1: '$3' not found in:"
		sed 's/^/    | /' "$2" | tail -n 15 >&2
		return 1
	fi
	return 0
}

# Exit 1 if any check failed, else 0.
finish() {
	local n

	n=$(wc -l <"$LIB_FAILS")
	if [ "$n" -ne 0 ]; then
		echo "FAILED: $n check(s)"
		exit 1
	fi
	echo "PASS"
	exit 0
}

# ---------------------------------------------------------------- skips

need_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (DPDK hugepages and runtime dir)"
}

# Hugepage-backed runs need free hugepages and the right to map them.
need_hugepages() {
	local free

	need_root
	free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
	if [ -z "$free" ] || [ "$free" -eq 0 ]; then
		skip "no free hugepages (HugePages_Free is ${free:-absent}; reserve some in /proc/sys/vm/nr_hugepages)"
	fi
	grep -q ' hugetlbfs ' /proc/mounts || skip "no hugetlbfs mounted"
}

need_captures() {
	[ -d "$SLUICE_PCAP_DIR" ] ||
		skip "captures not found at $SLUICE_PCAP_DIR, skipping"
}

need_tools() {
	local t

	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
	done
}

# ---------------------------------------------------------------- EAL

# The first two CPUs this process may run on, as "a,b" (or "a").
lib_cpus() {
	local list part parts lo hi c cpus=()

	list=$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/self/status)
	IFS=, read -ra parts <<<"${list:-0}"
	for part in "${parts[@]}"; do
		lo=${part%-*}
		hi=${part#*-}
		for ((c = lo; c <= hi && ${#cpus[@]} < 2; c++)); do
			cpus+=("$c")
		done
	done
	local IFS=,
	echo "${cpus[*]}"
}
DP_CPUS=$(lib_cpus)

# --lcores value mapping lcores 0..N-1 onto our CPUs.
lcores_arg() {
	echo "(0-$(($1 - 1)))@($DP_CPUS)"
}

# dp_args LCORES EAL-ARGS...: print the full EAL argument list, one a line.
# Adds --no-pci and --lcores; adds --file-prefix (unique per run) and
# --huge-unlink unless the caller chose --in-memory (or --no-huge).
dp_args() {
	local n=$1 a inmem=0 nohuge=0

	shift
	for a in "$@"; do
		[ "$a" = --in-memory ] && inmem=1
		[ "$a" = --no-huge ] && nohuge=1
	done

	printf '%s\n' --no-pci --lcores "$(lcores_arg "$n")"
	if [ "$inmem" -eq 0 ]; then
		printf '%s\n' --file-prefix "$DP_PREFIX-$DP_RUN_N"
		[ "$nohuge" -eq 0 ] && printf '%s\n' --huge-unlink
	fi
	[ $# -gt 0 ] && printf '%s\n' "$@"
}

# dp_prepare LCORES EAL-ARGS... -- SLUICE-OPTS...: set DP_CMD (the whole
# command line) and a fresh DP_OUT / DP_ERR pair for the next run.
dp_prepare() {
	local n=$1 eal=() opts=() seen=0 a

	shift
	for a in "$@"; do
		if [ "$seen" -eq 0 ] && [ "$a" = -- ]; then
			seen=1
		elif [ "$seen" -eq 0 ]; then
			eal+=("$a")
		else
			opts+=("$a")
		fi
	done

	DP_RUN_N=$((DP_RUN_N + 1))
	DP_OUT="$T/run$DP_RUN_N.out"
	DP_ERR="$T/run$DP_RUN_N.err"
	mapfile -t eal < <(dp_args "$n" "${eal[@]}")
	DP_CMD=("$SLUICE_DP" "${eal[@]}" -- "${opts[@]}")
	echo "${DP_CMD[*]}" >"$T/run$DP_RUN_N.cmd"
}

# dp_run LCORES EAL-ARGS... -- SLUICE-OPTS...
# Runs sluice-dp under timeout; sets DP_RC, DP_OUT and DP_ERR (files).
dp_run() {
	dp_prepare "$@"
	timeout -k 5 "$DP_TIMEOUT_S" "${DP_CMD[@]}" \
		>"$DP_OUT" 2>"$DP_ERR" </dev/null
	DP_RC=$?
	return 0
}

# dp_start: as dp_run, but in the background. DP_PID is sluice-dp's own
# PID (the child of timeout); wait for it with dp_wait.
dp_start() {
	local i kids

	dp_prepare "$@"
	timeout -k 5 "$DP_TIMEOUT_S" "${DP_CMD[@]}" \
		>"$DP_OUT" 2>"$DP_ERR" </dev/null &
	DP_TPID=$!

	# timeout forks sluice-dp at once; find that child by its parent PID
	DP_PID=
	for ((i = 0; i < 100; i++)); do
		if [ -r "/proc/$DP_TPID/task/$DP_TPID/children" ]; then
			kids=$(cat "/proc/$DP_TPID/task/$DP_TPID/children")
		else
			kids=$(pgrep -P "$DP_TPID" 2>/dev/null)
		fi
		DP_PID=$(awk '{ print $1; exit }' <<<"$kids")
		[ -n "$DP_PID" ] && break
		kill -0 "$DP_TPID" 2>/dev/null || break
		sleep 0.05
	done
}

# dp_wait SECONDS: wait for the background run to end; DP_RC is its exit
# status, or 255 when it did not end in time (it is then killed).
dp_wait() {
	local limit=$1 i

	for ((i = 0; i < limit * 10; i++)); do
		kill -0 "$DP_TPID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$DP_TPID" 2>/dev/null; then
		dp_kill
		DP_RC=255
		return 1
	fi
	wait "$DP_TPID"
	DP_RC=$?
	DP_TPID=
	return 0
}

# Print what a run said, for a failure report.
dp_show() {
	echo "  command: $(cat "$T/run$DP_RUN_N.cmd")" >&2
	echo "  exit status: $DP_RC" >&2
	echo "  stderr (last lines):" >&2
	tail -n 15 "$DP_ERR" | sed 's/^/    | /' >&2
	echo "  stdout (last lines):" >&2
	tail -n 15 "$DP_OUT" | sed 's/^/    | /' >&2
}

# The last run exited 0.
expect_ok() {
	if [ "$DP_RC" -ne 0 ]; then
		fail "$1: sluice-dp exited $DP_RC, want 0$( [ "$DP_RC" -eq 124 ] && echo ' (timed out: hang)')"
		dp_show
		return 1
	fi
	return 0
}

# The last run failed cleanly: non-zero, not by a signal, not a hang.
expect_error() {
	if [ "$DP_RC" -eq 0 ]; then
		fail "$1: sluice-dp exited 0, want an error"
		dp_show
		return 1
	fi
	if [ "$DP_RC" -eq 124 ] || [ "$DP_RC" -eq 137 ]; then
		fail "$1: sluice-dp hung (killed after ${DP_TIMEOUT_S}s)"
		dp_show
		return 1
	fi
	if [ "$DP_RC" -ge 128 ]; then
		fail "$1: sluice-dp died of signal $((DP_RC - 128))"
		dp_show
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------- JSON

# json_get FILE EXPR: print the value (false prints as false); a missing
# key, null, or an unreadable file is a failure.
json_get() {
	local out rc

	out=$(jq -e -r "$2" "$1" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$out" != false ]; then
		fail "json $(basename "$1"): '$2': ${out:-null}"
		echo "?"
		return 1
	fi
	printf '%s\n' "$out"
}

# assert_json FILE NAME EXPR: EXPR (a jq boolean) holds.
assert_json() {
	local out

	out=$(jq -r "$3" "$1" 2>&1)
	if [ "$out" != true ]; then
		fail "$2: jq '$3' gave ${out:-nothing} on $(basename "$1")"
		return 1
	fi
	return 0
}

# The accounting identity and a clean exit, from the final JSON:
# rx = tx + dropped_total + in_flight, in_flight 0, every mbuf returned,
# dropped_total is the sum of the reasons, and the drain completed.
check_accounting() {
	local j=$1 what=$2

	[ -s "$j" ] || { fail "$what: no JSON written at $j"; return 1; }
	assert_json "$j" "$what: drained" '.drained == true'
	assert_json "$j" "$what: rx_packets == tx_packets + dropped_total + in_flight" \
		'.rx_packets == .tx_packets + .dropped_total + .in_flight'
	assert_eq "$what: in_flight" "$(json_get "$j" .in_flight)" 0
	assert_eq "$what: mempool.in_use_at_exit" \
		"$(json_get "$j" .mempool.in_use_at_exit)" 0
	assert_json "$j" "$what: dropped_total == sum of sluice's drop reasons" \
		'.dropped_total == (.dropped.runt + .dropped.oversize + .dropped.malformed + .dropped.drain_timeout + .dropped.tx_error)'
}

# ---------------------------------------------------------------- captures

# frames FILE: "CAPLEN HEX" per record (fails the test on a read error).
frames() {
	if ! "$PCAP_FRAMES" "$1"; then
		fail "pcap-frames could not read $1"
		return 1
	fi
}

# compare_frames NAME GOT-FILE WANT-FILE: two frame lists, line by line.
compare_frames() {
	local got want line

	got=$(wc -l <"$2")
	want=$(wc -l <"$3")
	if cmp -s "$2" "$3"; then
		return 0
	fi
	line=$(cmp "$2" "$3" 2>/dev/null | sed -n 's/.* line \([0-9]*\).*/\1/p')
	fail "$1: output frames differ from the expected ones ($got frames, want $want; first difference at frame ${line:-?})"
	if [ -n "$line" ]; then
		echo "    got:  $(sed -n "${line}p" "$2" | cut -c1-120)" >&2
		echo "    want: $(sed -n "${line}p" "$3" | cut -c1-120)" >&2
	fi
	return 1
}
