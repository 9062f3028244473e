#!/bin/bash
# bench-null.sh: forwarding rate of dpdk-testpmd (io mode) and of sluice-dp
# (--shared-rxtx, watermarks on and off) on two in-process net_null ports,
# 64-byte frames, burst 32, on the same two cores: main lcore 0 on CPU 0,
# lcore 1 on CPU 1. Each configuration runs ~--seconds, --repeat times,
# interleaved (testpmd, sluice, sluice --no-watermarks, testpmd, ...);
# prints the method, every run, median and min/max, ratios, sluice's cycles
# per packet per task, and reference targets marked met or not. It asserts
# nothing: exit 0, 77 when a tool or hugepages are missing (meson: skipped),
# 1 when a run fails.
#
# testpmd rate: from its --stats-period reports (TSC-timed Rx-pps), after
# the first report: (dRX port 0 + dRX port 1) / 2 / dt is per direction.
# sluice rate: tx_packets / elapsed_s from --stats-json.
#
# Environment: SLUICE_DP (default ../../build/dataplane/sluice-dp from here),
# TESTPMD (default dpdk-testpmd), BENCH_CPUS (default "0,1": CPU of the
# main lcore, CPU of lcore 1).

set -u

usage() {
	cat <<USAGE
Usage: $0 [--seconds N] [--repeat N]

  --seconds N   length of each run in seconds (default 5)
  --repeat N    runs per configuration, interleaved (default 3)
USAGE
}

SECONDS_PER_RUN=5
REPEAT=3
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		SECONDS_PER_RUN=$2
		shift 2
		;;
	--repeat)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		REPEAT=$2
		shift 2
		;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		echo "Error: unknown argument '$1'" >&2
		usage >&2
		exit 2
		;;
	esac
done

if ! [[ $SECONDS_PER_RUN =~ ^[0-9]+$ ]] || [ "$SECONDS_PER_RUN" -lt 1 ]; then
	echo "Error: --seconds: '$SECONDS_PER_RUN' is not a whole number >= 1" >&2
	exit 2
fi
if ! [[ $REPEAT =~ ^[0-9]+$ ]] || [ "$REPEAT" -lt 1 ]; then
	echo "Error: --repeat: '$REPEAT' is not a whole number >= 1" >&2
	exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
SLUICE_DP=${SLUICE_DP:-$here/../../build/dataplane/sluice-dp}
TESTPMD=${TESTPMD:-dpdk-testpmd}
BENCH_CPUS=${BENCH_CPUS:-0,1}
CPU0=${BENCH_CPUS%%,*}
CPU1=${BENCH_CPUS##*,}
if ! [[ $BENCH_CPUS =~ ^[0-9]+,[0-9]+$ ]] || [ "$CPU0" = "$CPU1" ]; then
	echo "Error: BENCH_CPUS='$BENCH_CPUS' is not two different CPUs, e.g. 0,1" >&2
	exit 2
fi
BURST=32
LINE_RATE=14.88   # Mpps: 10GbE at 64 B (84 B on the wire with IFG+preamble)
ONOFF_TARGET=0.97
NOISE_PCT=2       # other processes' share of the CPUs that marks a run noisy

skip() {
	echo "SKIP: $*"
	exit 77
}

for tool in awk jq sort timeout; do
	command -v "$tool" >/dev/null 2>&1 || skip "'$tool' not found"
done
command -v "$TESTPMD" >/dev/null 2>&1 ||
	skip "'$TESTPMD' not found (apt-get install dpdk, or set TESTPMD)"
[ -x "$SLUICE_DP" ] ||
	skip "sluice-dp not found at '$SLUICE_DP' (build it, or set SLUICE_DP)"
hp_total=$(awk '/^HugePages_Total:/ { print $2 }' /proc/meminfo)
if [ "${hp_total:-0}" -eq 0 ] || ! grep -qs hugetlbfs /proc/mounts; then
	skip "no hugepages: set /proc/sys/vm/nr_hugepages (>= 1024) and" \
		"mount hugetlbfs on /dev/hugepages"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-null.XXXXXX") || exit 1
child=
# shellcheck disable=SC2317  # reached through the EXIT trap
cleanup() {
	if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
		kill -KILL "$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

EAL_PORTS=(--in-memory --no-pci --vdev net_null0 --vdev net_null1
	--log-level pmd.net.null:warning)

# "busy total ours" in clock ticks: busy and total over all CPUs from
# /proc/stat (busy = user nice system irq softirq steal), ours = this
# shell's CPU time plus that of its reaped children (sluice, testpmd).
cpu_ticks() {
	local busy_total ours

	busy_total=$(awk '/^cpu / {
		print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9
		exit }' /proc/stat)
	ours=$(sed 's/^.*) //' "/proc/$$/stat" |
		awk '{ print $12 + $13 + $14 + $15 }')
	echo "$busy_total $ours"
}

# CPU share taken by anything but this benchmark between two cpu_ticks,
# in percent of all CPUs.
other_load() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		t = y[2] - x[2]
		o = (y[1] - x[1]) - (y[3] - x[3])
		if (o < 0) o = 0
		printf "%.1f", (t > 0) ? 100 * o / t : 0
	}'
}

# median min max of the numbers in file $1, one per line
summary() {
	sort -g "$1" | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "nan nan nan"; exit }
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.6g %.6g %.6g\n", m, v[1], v[NR]
		}'
}

# testpmd --stats-period output -> "mpps_per_direction window_s intervals".
# Each report gives per port the cumulative RX-packets and the Rx-pps of
# the interval since the previous report (testpmd times it with the TSC),
# so an interval lasts dRX / Rx-pps; the first report has no rate.
testpmd_rate() {
	awk '
	BEGIN { port = -1; np = 0 }
	/Forward statistics|Accumulated forward/ { port = -1; next }
	/NIC statistics for port/ {
		match($0, /port [0-9]+/)
		port = substr($0, RSTART + 5, RLENGTH - 5) + 0
		next
	}
	port >= 0 && $1 == "RX-packets:" { rx[port] = $2; next }
	port >= 0 && $1 == "Rx-pps:" {
		if ((port in prev) && $2 > 0) {
			d = rx[port] - prev[port]
			pkts += d
			dt += d / $2
			n++
		}
		if (!(port in prev))
			np++
		prev[port] = rx[port]
	}
	END {
		if (dt <= 0 || np == 0) { print "0 0 0"; exit }
		# pkts counts both directions; dt counts each interval once per port
		printf "%.4f %.3f %d\n", pkts / dt / 1e6, dt / np, n / np
	}' "$1"
}

fail() {
	echo "FAIL: $*"
	exit 1
}

# Stop our child by its PID: SIGINT, then SIGKILL after 20 s. Sets rc.
stop_child() {
	local deadline=$((SECONDS + 20))

	kill -INT "$child" 2>/dev/null
	while kill -0 "$child" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.2
	done
	kill -0 "$child" 2>/dev/null && kill -KILL "$child" 2>/dev/null
	wait "$child"
	rc=$?
	child=
}

# testpmd until its reports cover >= SECONDS_PER_RUN, then SIGINT.
# Sets RES=(mpps_per_direction window_s intervals).
run_testpmd() {
	local out=$tmp/testpmd.$1.out err=$tmp/testpmd.$1.err
	local deadline window

	"$TESTPMD" --lcores "0@$CPU0,1@$CPU1" "${EAL_PORTS[@]}" -- \
		--forward-mode=io --auto-start --stats-period 1 \
		--nb-cores=1 --burst=$BURST --rxd=1024 --txd=1024 \
		--total-num-mbufs=16383 --mbcache=256 \
		>"$out" 2>"$err" </dev/null &
	child=$!
	deadline=$((SECONDS + SECONDS_PER_RUN + 60))
	while :; do
		if ! kill -0 "$child" 2>/dev/null; then
			wait "$child"
			rc=$?
			child=
			tail -n 20 "$err" "$out"
			fail "testpmd exited by itself (status $rc)"
		fi
		[ -d "$tmp" ] || fail "$tmp vanished (removed by someone else?)"
		read -r -a RES < <(testpmd_rate "$out")
		[ "${#RES[@]}" -eq 3 ] || fail "testpmd: cannot read $out"
		window=${RES[1]}
		awk -v w="$window" -v s="$SECONDS_PER_RUN" \
			'BEGIN { exit !(w >= s) }' && break
		if [ "$SECONDS" -ge "$deadline" ]; then
			stop_child
			fail "testpmd: reports cover only ${window} s after" \
				"$((SECONDS_PER_RUN + 60)) s"
		fi
		sleep 0.25
	done

	stop_child
	# testpmd re-raises SIGINT after its clean shutdown: 130 is normal
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 130 ]; then
		tail -n 20 "$err"
		fail "testpmd: exit status $rc after SIGINT"
	fi
	grep -q "Accumulated forward statistics" "$out" ||
		fail "testpmd: no final forward statistics in its output"

	read -r -a RES < <(testpmd_rate "$out")
	[ "${#RES[@]}" -eq 3 ] || fail "testpmd: cannot read $out"
	echo "${RES[0]}" >>"$tmp/mpps.testpmd" ||
		fail "cannot write to $tmp (removed by someone else?)"
}

# sluice-dp, one direction port 0 -> port 1, --shared-rxtx: RX, TX and
# control on main lcore 0, worker s0w0 on lcore 1. Sets RES=(mpps elapsed
# tx_packets dropped cpp_rx cpp_s0w0 cpp_tx xoff max_ring_occupancy).
run_sluice() {
	local cfg=$1 i=$2 extra=()
	local json=$tmp/sluice.$cfg.$i.json log=$tmp/sluice.$cfg.$i.log res

	[ "$cfg" = wmoff ] && extra=(--no-watermarks)
	[ -d "$tmp" ] || fail "$tmp vanished (removed by someone else?)"
	timeout -k 5 $((SECONDS_PER_RUN + 60)) \
		"$SLUICE_DP" --lcores "0@$CPU0,1@$CPU1" "${EAL_PORTS[@]}" -- \
		--shared-rxtx --duration "$SECONDS_PER_RUN" --idle-sleep-us 0 \
		--burst $BURST --stats-json "$json" "${extra[@]}" \
		>"$log" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -ne 0 ] || [ ! -s "$json" ]; then
		tail -n 30 "$log"
		fail "sluice-dp ($cfg, run $i): exit status $rc"
	fi

	res=$(jq -r '
		def cpp(t): ([.lcores[] | select(.task == t) |
			.cycles_per_packet] + [0])[0];
		[ (.tx_packets / .elapsed_s / 1e6), .elapsed_s, .tx_packets,
		  .dropped_total, cpp("rx"), cpp("s0w0"), cpp("tx"),
		  ([.rings[].xoff_count] | add),
		  ([.rings[].max_occupancy] | max) ] | map(tostring) | join(" ")
		' "$json") || fail "sluice-dp ($cfg, run $i): unreadable --stats-json"
	read -r -a RES <<<"$res"
	[ "${#RES[@]}" -eq 9 ] || fail "sluice-dp ($cfg, run $i): --stats-json" \
		"lacks a field: $res"
	echo "${RES[0]}" >>"$tmp/mpps.$cfg"
	echo "${RES[4]}" >>"$tmp/cpp_rx.$cfg"
	echo "${RES[5]}" >>"$tmp/cpp_w.$cfg"
	echo "${RES[6]}" >>"$tmp/cpp_tx.$cfg"
	awk -v a="${RES[4]}" -v b="${RES[6]}" 'BEGIN { print a + b }' \
		>>"$tmp/cpp_main.$cfg"
	xoff_total[$cfg]=$((${xoff_total[$cfg]:-0} + RES[7]))
}

# ratio a/b of two numbers, 3 decimals
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "nan" }'
}

# "met" when $1 >= $2
verdict() {
	awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t) ? "met" : "NOT met" }'
}

tsc_mhz=$(awk -F: '/^cpu MHz/ { gsub(/ /, "", $2); print $2; exit }' \
	/proc/cpuinfo)
model=$(awk -F: '/^model name/ { sub(/^ +/, "", $2); print $2; exit }' \
	/proc/cpuinfo)
dpdk_version=$(dpkg-query -W -f '${Version}' dpdk 2>/dev/null || echo "?")
declare -A xoff_total=()

cat <<HEADER
== null-forwarding benchmark: dpdk-testpmd vs sluice-dp on net_null
host:    $(nproc) CPUs, ${model:-?}, cpu MHz ${tsc_mhz:-?}
tools:   $TESTPMD (dpdk $dpdk_version)
         $SLUICE_DP
ports:   --vdev net_null0 --vdev net_null1 --no-pci --in-memory; frames are
         64 B (net_null's default size=64, copy=0: RX hands out fresh mbufs,
         TX frees them; no payload is written, sluice parses them as non-IP)
burst:   $BURST (RX, rings, TX); 1024 RX/TX descriptors; 16383 mbufs with a
         256-mbuf lcore cache (sluice's computed pool; testpmd given the same)
cores:   CPU $CPU0 and CPU $CPU1 for both tools
  A testpmd --lcores 0@$CPU0,1@$CPU1 -- --forward-mode=io --auto-start
              --stats-period 1 --nb-cores=1 --burst=$BURST
            lcore 0 (CPU $CPU0) only prints stats; ONE forwarding lcore (CPU $CPU1)
            runs both streams, port0->port1 and port1->port0.
            Mpps per direction = (dRX port0 + dRX port1) / 2 / dt, over the
            stats reports after the first (dt from testpmd's TSC-timed
            Rx-pps); SIGINT once the reports cover >= ${SECONDS_PER_RUN} s.
  B sluice  --lcores 0@$CPU0,1@$CPU1 -- --shared-rxtx --duration $SECONDS_PER_RUN
              --idle-sleep-us 0 --burst $BURST --stats-json F
            one direction, port0 -> port1. lcore 0 (CPU $CPU0): RX + TX +
            control; lcore 1 (CPU $CPU1): worker s0w0 (ring0 -> ring1).
            Mpps = tx_packets / elapsed_s (elapsed includes the drain, ~ms).
  C sluice  as B plus --no-watermarks (no occupancy checks, no RX hold).
  the busy lcore is CPU $CPU1 for testpmd but CPU $CPU0 for sluice (lcore 0 has
  RX+TX): on a VM whose vCPUs differ in speed, cross-check with
  BENCH_CPUS=$CPU1,$CPU0, which swaps both.
order:   A B C, repeated: $REPEAT round(s) of ~${SECONDS_PER_RUN} s runs; median [min .. max]
noise:   a run is marked NOISE when other processes (or hypervisor steal)
         used more than $NOISE_PCT% of all CPUs during it (/proc/stat minus our
         own and our children's CPU time)
cycles/packet per sluice task: busy_cycles / packets from --stats-json. A
  task's busy window opens AFTER its input call returns, so it covers
    rx    parse + classify + ring0 enqueue    (not rte_eth_rx_burst)
    s0w0  ring1 enqueue                       (not the ring0 dequeue)
    tx    rte_eth_tx_burst: net_null frees    (not the ring1 dequeue)
  the uncovered calls, idle polls and the control step are in no task, nor
  are retries of a burst that did not fit a full ring: with full rings (C)
  rx and s0w0 undercount.
load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at start
HEADER
t0=$(cpu_ticks)
sleep 1
load=$(other_load "$t0" "$(cpu_ticks)")
echo "others:  $load% of the CPUs busy with other processes in the second before"
if awk -v l="$load" -v m="$NOISE_PCT" 'BEGIN { exit !(l > m) }'; then
	echo "WARNING: the CPUs are not idle: expect noise"
fi
echo

noisy=0
for i in $(seq 1 "$REPEAT"); do
	for cfg in testpmd wmon wmoff; do
		t0=$(cpu_ticks)
		if [ "$cfg" = testpmd ]; then
			run_testpmd "$i"
			line=$(printf "A testpmd io     %7.2f Mpps/dir (%.1f s in %d intervals)" \
				"${RES[0]}" "${RES[1]}" "${RES[2]}")
		else
			run_sluice "$cfg" "$i"
			name="B sluice wm on "
			[ "$cfg" = wmoff ] && name="C sluice wm off"
			line=$(printf "%s %7.2f Mpps     (%.2f s; cyc/pkt rx %.1f s0w0 %.1f tx %.1f; xoff %s; max ring occ %s)" \
				"$name" "${RES[0]}" "${RES[1]}" "${RES[4]}" \
				"${RES[5]}" "${RES[6]}" "${RES[7]}" "${RES[8]}")
			[ "${RES[3]}" != 0 ] && line="$line (dropped ${RES[3]})"
		fi
		load=$(other_load "$t0" "$(cpu_ticks)")
		mark=
		if awk -v l="$load" -v m="$NOISE_PCT" 'BEGIN { exit !(l > m) }'; then
			mark="  [NOISE: others used $load% of the CPUs]"
			noisy=$((noisy + 1))
		fi
		echo "run $i/$REPEAT  $line$mark"
	done
done

read -r tp_med tp_min tp_max < <(summary "$tmp/mpps.testpmd")
read -r on_med on_min on_max < <(summary "$tmp/mpps.wmon")
read -r off_med off_min off_max < <(summary "$tmp/mpps.wmoff")

# per-repeat ratios, to show their spread
paste -d' ' "$tmp/mpps.wmon" "$tmp/mpps.wmoff" |
	awk '{ print ($2 > 0) ? $1 / $2 : 0 }' >"$tmp/r.onoff"
paste -d' ' "$tmp/mpps.wmon" "$tmp/mpps.testpmd" |
	awk '{ print ($2 > 0) ? $1 / $2 : 0 }' >"$tmp/r.ontp"
paste -d' ' "$tmp/mpps.wmoff" "$tmp/mpps.testpmd" |
	awk '{ print ($2 > 0) ? $1 / $2 : 0 }' >"$tmp/r.offtp"
read -r _ r1_min r1_max < <(summary "$tmp/r.onoff")
read -r _ r2_min r2_max < <(summary "$tmp/r.ontp")
read -r _ r3_min r3_max < <(summary "$tmp/r.offtp")
onoff=$(ratio "$on_med" "$off_med")

twice() {
	awk -v v="$1" 'BEGIN { print 2 * v }'
}

echo
echo "== results: $REPEAT runs per configuration, median [min .. max]"
printf "%-46s %8s  %s\n" "configuration" "Mpps" "[min .. max]"
printf "%-46s %8.2f  [%.2f .. %.2f]\n" \
	"A testpmd io, per direction (total / 2)" "$tp_med" "$tp_min" "$tp_max"
printf "%-46s %8.2f  [%.2f .. %.2f]\n" \
	"  (its one lcore, both directions: total)" "$(twice "$tp_med")" \
	"$(twice "$tp_min")" "$(twice "$tp_max")"
printf "%-46s %8.2f  [%.2f .. %.2f]\n" \
	"B sluice-dp --shared-rxtx, watermarks on" "$on_med" "$on_min" "$on_max"
printf "%-46s %8.2f  [%.2f .. %.2f]\n" \
	"C sluice-dp --shared-rxtx --no-watermarks" "$off_med" "$off_min" "$off_max"
echo
echo "ratios: of the medians; [min .. max] of the per-repeat ratios"
printf "%-46s %8s  [%.3f .. %.3f]\n" "sluice watermarks on / off (B / C)" \
	"$onoff" "$r1_min" "$r1_max"
printf "%-46s %8s  [%.3f .. %.3f]\n" "sluice wm on / testpmd per direction" \
	"$(ratio "$on_med" "$tp_med")" "$r2_min" "$r2_max"
printf "%-46s %8s  [%.3f .. %.3f]\n" "sluice wm off / testpmd per direction" \
	"$(ratio "$off_med" "$tp_med")" "$r3_min" "$r3_max"
echo
echo "sluice cycles per packet by task (median over runs; TSC cycles)"
printf "  %-6s %-5s %-4s %-36s %7s %7s\n" task lcore CPU covers "wm on" "wm off"
for t in "rx:0:$CPU0:parse+classify+ring0 enqueue" \
	"w:1:$CPU1:ring1 enqueue" \
	"tx:0:$CPU0:rte_eth_tx_burst (net_null frees)" \
	"main:0:$CPU0:lcore 0 accounted, rx + tx"; do
	IFS=: read -r key lc cpu what <<<"$t"
	label=$key
	[ "$key" = w ] && label=s0w0
	[ "$key" = main ] && label="rx+tx"
	read -r m_on _ _ < <(summary "$tmp/cpp_$key.wmon")
	read -r m_off _ _ < <(summary "$tmp/cpp_$key.wmoff")
	printf "  %-6s %-5s %-4s %-36s %7.1f %7.1f\n" "$label" "$lc" "$cpu" \
		"$what" "$m_on" "$m_off"
done
if [ -n "$tsc_mhz" ]; then
	printf "  %-6s %-5s %-4s %-36s %7.1f %7.1f\n" budget 0 "$CPU0" \
		"cycles per packet at median rate" \
		"$(awk -v f="$tsc_mhz" -v r="$on_med" \
			'BEGIN { print (r > 0) ? f / r : 0 }')" \
		"$(awk -v f="$tsc_mhz" -v r="$off_med" \
			'BEGIN { print (r > 0) ? f / r : 0 }')"
	echo "  budget = cpu MHz / Mpps (cpu MHz taken as the TSC rate); budget"
	echo "  minus rx+tx = lcore 0's unaccounted share: PMD RX, ring1 dequeue,"
	echo "  polling, control"
	printf "  testpmd's forwarding lcore: %.1f cycles per packet forwarded" \
		"$(awk -v f="$tsc_mhz" -v r="$tp_med" \
			'BEGIN { print (r > 0) ? f / r / 2 : 0 }')"
	echo " (PMD RX + PMD TX + loop)"
fi
echo "ring pressure assertions (xoff), all runs: wm on" \
	"${xoff_total[wmon]:-0}, wm off ${xoff_total[wmoff]:-0}"

echo
echo "== reference targets (printed, not asserted)"
printf "  %-52s %6.2f Mpps -> %s\n" \
	"$LINE_RATE Mpps (10GbE line rate, 64 B), sluice wm on:" "$on_med" \
	"$(verdict "$on_med" "$LINE_RATE")"
printf "  %-52s %6.2f Mpps -> %s\n" \
	"$LINE_RATE Mpps (10GbE line rate, 64 B), sluice wm off:" "$off_med" \
	"$(verdict "$off_med" "$LINE_RATE")"
printf "  %-52s %6s      -> %s\n" "watermarks on / off >= $ONOFF_TARGET:" \
	"$onoff" "$(verdict "$onoff" "$ONOFF_TARGET")"
echo
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at end"
if [ "$noisy" -gt 0 ]; then
	echo "NOTE: in $noisy of $((3 * REPEAT)) runs other processes used more" \
		"than $NOISE_PCT% of the CPUs: those figures understate the machine"
	echo "      (sluice most: its two lcores hand every packet over, so it"
	echo "      stalls whenever either is descheduled; testpmd only slows)."
else
	echo "noise:   other processes used at most $NOISE_PCT% of the CPUs in every run"
fi
echo "         (the host's own contention, e.g. a busy SMT sibling of a vCPU,"
echo "         is invisible here: it shows as a run whose cycles/packet rise"
echo "         on every task at once; trust the spread, not one run)"
exit 0
