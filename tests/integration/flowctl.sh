#!/bin/bash
# flowctl.sh: PAUSE and PFC on the wire, end to end over net_memif.
#
#   flowctl.sh CASE     CASE: pause-honoured, pause-ignored, watchdog,
#                       downstream-pause, pfc, or all (the default)
#
# Topology, "two hosts on a wire" on each side of sluice-dp:
#
#   sluice-gen (generator, memif client) --S1--> sluice-dp port 0 (server)
#   sluice-dp port 1 (memif client) --S2--> sluice-gen --sink (server)
#
# sluice-dp forwards port 0 -> port 1 on lcores '(0-2)@(cpu,cpu)', ring0
# 32768 entries, --high 50 --low 25 (16384 entries of headroom above the
# high mark: at least the 16384-slot memif ring, rsize=14, so whatever is
# in flight when XOFF leaves lands in it), --idle-exit-ms 3000. XOFF goes
# back to the generator out of port 0; PAUSE/PFC from downstream arrive
# on port 1.
# Start order: the peer on S2, sluice-dp, then the generator (it waits for
# its link). Every process runs under timeout with --no-pci, its own
# --file-prefix (this run's PID in it) and --huge-unlink; the memif
# sockets live in the test's private temp dir.
#
# Rates: the generator offers 1000000 frames at 400 kpps. Where pressure
# must come from the rates alone (pause-honoured, pause-ignored, pfc) the
# last stage costs 5000 ns a frame, a pipeline of at most 200 kpps: half
# the offer on any machine. (2000 ns, a 500 kpps cap, was only slower
# than 400 kpps because the lcores share 2 CPUs here; on free cores it
# would keep up and nothing would assert.) Measured once on the 2-CPU
# machine this was written on, where the sink and the generator busy-poll
# and sluice-dp's three lcores share what is left: the generator itself
# reached about 300 kpps (slots_late for the rest); the pipeline forwarded
# about 120 kpps at 5000 ns (ring0 crossed its high mark about 50 times
# a run) and about 210 kpps at 2000 ns (about 27 times). The watchdog and
# downstream cases keep 2000 ns: there the stall (or a 10 kpps offer)
# decides, and the short normal XOFF episodes (measured: 42 ms on average
# at 2000 ns, 93 ms at 5000 ns) stay far from the 200 ms watchdog.
#
# Cases (all figures are counts; no time or rate is asserted):
#  pause-honoured  --fc-mode pause --pause-watchdog-ms 10000: nothing lost
#     anywhere (gen tx_attempted 1000000, wire_lost 0; dp dropped_total 0,
#     no nic_rx_nombuf; sink got all 1000000, none lost or duplicated);
#     XOFF sent (xoff_sent[0] >= 1) and every XOFF followed by its XON
#     (xon_sent[0] == xoff_sent[0]); the generator saw both; ring0 never
#     past its capacity; in_flight 0, every mbuf back.
#  pause-ignored   the same with the generator's --honor-pause off: the
#     loss happens in sluice and is counted (dropped.ring_full > 0), and
#     every frame is accounted for: gen tx_packets == sink rx_packets +
#     dp dropped_total, dp rx_packets == gen tx_packets; no duplicates.
#  watchdog        --stage-stall 1000:1500 --pause-watchdog-ms 200
#     --watchdog-holddown-ms 300: the stuck stage holds XOFF past the
#     watchdog, which trips once and restores once (no flapping), sheds
#     at admission (dropped.shed > 0) and releases the sender (XON);
#     gen tx_packets == sink rx_packets + dp dropped_total.
#  downstream-pause  the sink replaced by an emitter (sluice-gen
#     --emit-pause 65535,0, then in a second run --emit-pfc with all
#     enabled times 0) on S2, a slow generator (10 kpps, 20000 frames)
#     into --fc-mode pause: sluice-dp counts pause_rx 1 / xon_rx 1, and
#     the PFC frame with all times 0 as xon_rx 1 (pfc_rx 0); none
#     malformed; rx_packets == tx_packets + dropped_total.
#  pfc             --fc-mode pfc, generator --classes 0:15,5:1 (PCP
#     marks): class 0 fills the pipeline, class 5 (1/16) never reaches its
#     own low mark, so only class 0 is paused: xoff_sent[0] >= 1,
#     xoff_sent[5] == 0; gen pfc_frames_rx >= 1; nothing lost anywhere.
#     Known to fail with dp_fc_wanted() as of 6545861 (unchanged at
#     d3caa01): while ring0 is still above its low mark, class 0 (15/16
#     of it) drops under its own low mark first, no class is "heavy" any
#     more, and the fallback pauses every class present, class 5 included
#     (xoff_sent[5] 14-61 per run). A sluice-dp bug, not a test to
#     loosen. Rarer (seen in 1 stock run in about 15): only the RX lcore
#     refreshes XOFF, every 167 us for a 335 us pause (65535 quanta at
#     memif's 100 Gb/s) and it may sleep 200 us when idle or lose its CPU
#     for ms here, so the pause lapses, class 0 floods back and ring0
#     overflows (ring_full) past its 16384 entries of headroom.
#
# Needs root, free hugepages, hugetlbfs and jq; skips (exit 77) without
# them. Environment (meson sets it): SLUICE_DP, SLUICE_GEN, PCAP_FRAMES.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

: "${SLUICE_GEN:?SLUICE_GEN must name the sluice-gen binary}"

CASE=${1:-all}
RUN_TIMEOUT_S=90       # bound on every process; a hang fails, never blocks
START_TIMEOUT_S=20     # for a process to report its port started
MIN_FREE_HUGEPAGES=200 # measured: about 175 pages for all three processes

COUNT=1000000
RATE=400000
SLOW_NS=5000          # last stage: <= 200 kpps, half the offer
WATCHDOG_NS=2000      # watchdog and downstream cases
DP_COMMON=(--ring-size 32768 --high 50 --low 25 --idle-exit-ms 3000)

# ---------------------------------------------------------------- processes

# Background sluice-gen runs, by name: the timeout PID (our child) and
# sluice-gen's own PID (its child). Killed by PID at exit if still there.
declare -A BG_TPID BG_PID
BG_RC=0
GEN_N=0

bg_kill() {
	local name=$1 tpid=${BG_TPID[$1]:-} pid=${BG_PID[$1]:-}

	[ -n "$tpid" ] || return 0
	# sluice-gen first, while timeout (its parent) still holds it
	if kill -0 "$tpid" 2>/dev/null; then
		[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
		kill -KILL "$tpid" 2>/dev/null
	fi
	wait "$tpid" 2>/dev/null
	unset "BG_TPID[$name]" "BG_PID[$name]"
}

# shellcheck disable=SC2317  # reached through the trap only
flowctl_cleanup() {
	local name

	for name in "${!BG_TPID[@]}"; do
		bg_kill "$name"
	done
	lib_cleanup
}
trap flowctl_cleanup EXIT

# The child of timeout PID $1 (sluice-gen or sluice-dp), or nothing.
child_of() {
	local i kids

	for ((i = 0; i < 100; i++)); do
		if [ -r "/proc/$1/task/$1/children" ]; then
			kids=$(cat "/proc/$1/task/$1/children")
		else
			kids=$(pgrep -P "$1" 2>/dev/null)
		fi
		kids=$(awk '{ print $1; exit }' <<<"$kids")
		[ -n "$kids" ] && { echo "$kids"; return 0; }
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# gen_start NAME ROLE SOCKET OPTS...: sluice-gen on one memif port, in the
# background under timeout; its files are $T/NAME.{cmd,out,err}.
gen_start() {
	local name=$1 role=$2 sock=$3 eal

	shift 3
	GEN_N=$((GEN_N + 1))
	eal=(--no-pci --file-prefix "$DP_PREFIX-gen$GEN_N" --huge-unlink
		--lcores "0@($DP_CPUS)" --log-level pmd.net.memif:warning
		--vdev "net_memif0,role=$role,socket=$sock,rsize=14")
	echo "$SLUICE_GEN ${eal[*]} -- $*" >"$T/$name.cmd"
	timeout -k 5 "$RUN_TIMEOUT_S" "$SLUICE_GEN" "${eal[@]}" -- "$@" \
		>"$T/$name.out" 2>"$T/$name.err" </dev/null &
	BG_TPID[$name]=$!
	BG_PID[$name]=$(child_of "${BG_TPID[$name]}")
}

# wait_line NAME FILE ERE TPID: until FILE has a line matching ERE (the
# process started its port), at most START_TIMEOUT_S. 1 if never.
wait_line() {
	local i

	for ((i = 0; i < START_TIMEOUT_S * 10; i++)); do
		grep -Eq "$3" "$2" 2>/dev/null && return 0
		kill -0 "$4" 2>/dev/null || break
		sleep 0.1
	done
	fail "$1: no line matching /$3/ within $START_TIMEOUT_S s"
	tail -n 8 "$2" | sed 's/^/    | /' >&2
	return 1
}

# What an exit status means, for a failure message.
rc_why() {
	case $1 in
	124 | 137 | 255) echo " (hung: killed)" ;;
	*) [ "$1" -gt 128 ] && echo " (died of signal $(($1 - 128)))" ;;
	esac
}

# gen_wait NAME: wait for a background sluice-gen (bounded: killed after
# RUN_TIMEOUT_S); BG_RC is its exit status; a non-zero one is a failure.
gen_wait() {
	local name=$1 tpid=${BG_TPID[$1]} i

	for ((i = 0; i < RUN_TIMEOUT_S * 10; i++)); do
		kill -0 "$tpid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$tpid" 2>/dev/null; then
		bg_kill "$name"
		BG_RC=255
	else
		wait "$tpid"
		BG_RC=$?
		unset "BG_TPID[$name]" "BG_PID[$name]"
	fi
	if [ "$BG_RC" -ne 0 ]; then
		fail "$name: sluice-gen exited $BG_RC, want 0$(rc_why "$BG_RC")"
		echo "  command: $(cat "$T/$name.cmd")" >&2
		tail -n 8 "$T/$name.err" | sed 's/^/    | /' >&2
	fi
}

# ---------------------------------------------------------------- topology

# topo_run NAME: the peer on S2 (sluice-gen "${PEER[@]}"), sluice-dp with
# "${DPO[@]}", the generator with "${GENO[@]}"; waits for all three. The
# JSON files are $T/NAME-{dp,gen,peer}.json. Returns 1 when a process
# failed (recorded) or a JSON file is missing.
topo_run() {
	local name=$1 s1="$T/$1-s1.sock" s2="$T/$1-s2.sock"

	J_DP="$T/$name-dp.json"
	J_GEN="$T/$name-gen.json"
	J_PEER="$T/$name-peer.json"

	gen_start "$name-peer" server "$s2" "${PEER[@]}" --stats-json "$J_PEER"
	wait_line "$name-peer" "$T/$name-peer.err" 'started' \
		"${BG_TPID[$name-peer]}" || { bg_kill "$name-peer"; return 1; }

	dp_start 3 --log-level pmd.net.memif:warning \
		--vdev "net_memif0,role=server,socket=$s1,rsize=14" \
		--vdev "net_memif1,role=client,socket=$s2,rsize=14" -- \
		"${DP_COMMON[@]}" --stats-json "$J_DP" "${DPO[@]}"
	if ! wait_line "$name-dp" "$DP_ERR" 'forwarding port' "$DP_TPID"; then
		dp_kill
		dp_show
		bg_kill "$name-peer"
		return 1
	fi

	gen_start "$name-gen" client "$s1" "${GENO[@]}" --stats-json "$J_GEN"
	gen_wait "$name-gen"
	dp_wait "$RUN_TIMEOUT_S"
	expect_ok "$name: sluice-dp"
	gen_wait "$name-peer"

	[ -s "$J_DP" ] && [ -s "$J_GEN" ] && [ -s "$J_PEER" ] && return 0
	fail "$name: JSON missing (dp $( [ -s "$J_DP" ] && echo ok || echo no), gen $( [ -s "$J_GEN" ] && echo ok || echo no), peer $( [ -s "$J_PEER" ] && echo ok || echo no))"
	return 1
}

# ---------------------------------------------------------------- checks

# check NAME GOT OP WANT: one line saying what is checked, then the check.
check() {
	echo "  check $1: $2 $3 $4"
	if [ "$3" = == ]; then
		assert_eq "$1" "$2" "$4"
	else
		assert_cmp "$1" "$2" "$3" "$4"
	fi
}

# The dataplane's own books, whatever happened on the wire.
check_dp_books() {
	local name=$1 j=$J_DP

	assert_json "$j" "$name: dp drained" '.drained == true'
	check "$name: dp in_flight" "$(json_get "$j" .in_flight)" == 0
	check "$name: dp mempool.in_use_at_exit" \
		"$(json_get "$j" .mempool.in_use_at_exit)" == 0
	check "$name: dp rx_packets == tx_packets + dropped_total" \
		"$(json_get "$j" .rx_packets)" == \
		"$(jq '.tx_packets + .dropped_total' "$j")"
	check "$name: dp dropped_total == sum of the reasons" \
		"$(json_get "$j" .dropped_total)" == \
		"$(jq '.dropped | .runt + .oversize + .malformed + .drain_timeout + .ring_full + .mac_control + .shed' "$j")"
}

show() {
	note "$1: dp $(jq -c '{rx_packets, tx_packets, dropped_total,
		dropped: (.dropped | with_entries(select(.value != 0))),
		ring0: (.rings[0] | {max_occupancy, xoff_count, xoff_time_us}),
		fc: (.flow_control | {xoff_sent, xon_sent, xoff_time_us,
		watchdog_trips: .watchdog_trips[0],
		watchdog_restores: .watchdog_restores[0], frames_sent,
		refreshes, send_failed, pause_rx, pfc_rx, xon_rx, malformed_rx,
		paused_by_peer_us, egress_rx_other}), elapsed_s}' "$J_DP")"
	note "$1: gen $(jq -c '{tx_attempted, tx_packets, wire_lost,
		tx_attempted_by_class, slots_late, pause_frames_rx,
		pfc_frames_rx, xon_frames_rx, paused_time_us,
		paused_time_us_by_class, rate_pps_achieved}' "$J_GEN")"
	note "$1: peer $(jq -c 'del(.port, .latency_ns)' "$J_PEER")"
}

# ---------------------------------------------------------------- cases

# The sink stops 2 s after its last frame, sluice-dp 3 s after its own
# last one: the sink is gone before sluice-dp closes its memif client port
# (pipeline latency stays far below the 1 s between them; the watchdog
# case's 1.5 s stall stays below 2 s). DPDK 22.11's net_memif unmaps the
# shared memory on disconnect without waiting for a data-path thread that
# may be inside rx_burst: a sink still busy-polling when sluice-dp closes
# its port dies of SIGSEGV now and then (seen: 1 run in about 30). The
# survivor should be the side that polls least: sluice-dp, which only
# peeks at its egress RX every 8 TX polls and sleeps when idle.
sink_peer() {
	PEER=(--sink --idle-exit-ms 2000 --expect "$1")
}

case_pause_honoured() {
	local n=pause-honoured j g s

	echo "== $n: --fc-mode pause, the sender honours it: no loss anywhere"
	sink_peer "$COUNT"
	DPO=(--stage-cost-ns "$SLOW_NS" --fc-mode pause --pause-watchdog-ms 10000)
	GENO=(--rate-pps "$RATE" --count "$COUNT")
	topo_run "$n" || return
	show "$n"
	j=$J_DP g=$J_GEN s=$J_PEER

	check "$n: gen tx_attempted" "$(json_get "$g" .tx_attempted)" == "$COUNT"
	check "$n: gen wire_lost" "$(json_get "$g" .wire_lost)" == 0
	check "$n: dp rx_packets == gen tx_packets" \
		"$(json_get "$j" .rx_packets)" == "$(json_get "$g" .tx_packets)"
	check "$n: dp dropped_total" "$(json_get "$j" .dropped_total)" == 0
	check "$n: dp dropped.nic_rx_nombuf" \
		"$(json_get "$j" .dropped.nic_rx_nombuf)" == 0
	check "$n: sink rx_packets" "$(json_get "$s" .rx_packets)" == "$COUNT"
	check "$n: sink lost" "$(json_get "$s" .lost)" == 0
	check "$n: sink duplicated" "$(json_get "$s" .duplicated)" == 0
	check "$n: dp xoff_sent[0]" \
		"$(json_get "$j" '.flow_control.xoff_sent[0]')" -ge 1
	check "$n: dp xon_sent[0] == xoff_sent[0]" \
		"$(json_get "$j" '.flow_control.xon_sent[0]')" == \
		"$(json_get "$j" '.flow_control.xoff_sent[0]')"
	check "$n: gen pause_frames_rx" "$(json_get "$g" .pause_frames_rx)" -ge 1
	check "$n: gen xon_frames_rx" "$(json_get "$g" .xon_frames_rx)" -ge 1
	check "$n: gen PAUSE frames other than XON (XOFF)" \
		"$(jq '.pause_frames_rx - .xon_frames_rx' "$g")" -ge 1
	check "$n: ring0 max_occupancy <= capacity" \
		"$(json_get "$j" '.rings[0].max_occupancy')" -le \
		"$(json_get "$j" '.rings[0].capacity')"
	check_dp_books "$n"
}

case_pause_ignored() {
	local n=pause-ignored j g s

	echo "== $n: --fc-mode pause, the sender ignores it: loss counted by sluice"
	sink_peer "$COUNT"
	DPO=(--stage-cost-ns "$SLOW_NS" --fc-mode pause --pause-watchdog-ms 10000)
	GENO=(--rate-pps "$RATE" --count "$COUNT" --honor-pause off)
	topo_run "$n" || return
	show "$n"
	j=$J_DP g=$J_GEN s=$J_PEER

	check "$n: gen tx_attempted" "$(json_get "$g" .tx_attempted)" == "$COUNT"
	check "$n: dp dropped.ring_full" "$(json_get "$j" .dropped.ring_full)" -gt 0
	check "$n: gen tx_packets == sink rx_packets + dp dropped_total" \
		"$(json_get "$g" .tx_packets)" == \
		"$(jq -s '.[0].rx_packets + .[1].dropped_total' "$s" "$j")"
	check "$n: dp rx_packets == gen tx_packets" \
		"$(json_get "$j" .rx_packets)" == "$(json_get "$g" .tx_packets)"
	check "$n: dp dropped_total == ring_full" \
		"$(json_get "$j" .dropped_total)" == \
		"$(json_get "$j" .dropped.ring_full)"
	check "$n: sink duplicated" "$(json_get "$s" .duplicated)" == 0
	check "$n: dp xoff_sent[0]" \
		"$(json_get "$j" '.flow_control.xoff_sent[0]')" -ge 1
	check "$n: dp xon_sent[0] == xoff_sent[0]" \
		"$(json_get "$j" '.flow_control.xon_sent[0]')" == \
		"$(json_get "$j" '.flow_control.xoff_sent[0]')"
	check_dp_books "$n"
}

case_watchdog() {
	local n=watchdog j g s

	echo "== $n: a stuck stage holds XOFF past the watchdog: trip once, shed, restore once"
	sink_peer "$COUNT"
	DPO=(--stage-cost-ns "$WATCHDOG_NS" --fc-mode pause
		--stage-stall 1000:1500 --pause-watchdog-ms 200
		--watchdog-holddown-ms 300)
	GENO=(--rate-pps "$RATE" --count "$COUNT")
	topo_run "$n" || return
	show "$n"
	j=$J_DP g=$J_GEN s=$J_PEER

	check "$n: dp watchdog_trips[0]" \
		"$(json_get "$j" '.flow_control.watchdog_trips[0]')" == 1
	check "$n: dp watchdog_restores[0]" \
		"$(json_get "$j" '.flow_control.watchdog_restores[0]')" == 1
	check "$n: dp dropped.shed" "$(json_get "$j" .dropped.shed)" -gt 0
	check "$n: gen tx_packets == sink rx_packets + dp dropped_total" \
		"$(json_get "$g" .tx_packets)" == \
		"$(jq -s '.[0].rx_packets + .[1].dropped_total' "$s" "$j")"
	check "$n: gen xon_frames_rx" "$(json_get "$g" .xon_frames_rx)" -ge 1
	check "$n: sink duplicated" "$(json_get "$s" .duplicated)" == 0
	check_dp_books "$n"
}

# downstream_run NAME PAUSE PFC XON EMITTED EMIT-OPTION LIST
downstream_run() {
	local n=$1 j g p

	# Frames 1 s after sluice-dp connects: while the generator (2 s of
	# traffic, starting well within 1 s) is sending. The emitter leaves
	# 4 s after that connection: after the traffic has passed, before
	# sluice-dp (3 s idle after the traffic) closes its port: see
	# sink_peer for why the emitter must not be the survivor.
	PEER=("$6" "$7" --emit-delay-ms 1000 --emit-gap-us 1000
		--linger-ms 3000)
	DPO=(--stage-cost-ns "$WATCHDOG_NS" --fc-mode pause)
	GENO=(--rate-pps 10000 --count 20000)
	topo_run "$n" || return
	show "$n"
	j=$J_DP g=$J_GEN p=$J_PEER

	check "$n: emitter emitted" "$(json_get "$p" .emitted)" == "$5"
	check "$n: dp flow_control.pause_rx" \
		"$(json_get "$j" .flow_control.pause_rx)" == "$2"
	check "$n: dp flow_control.pfc_rx" \
		"$(json_get "$j" .flow_control.pfc_rx)" == "$3"
	check "$n: dp flow_control.xon_rx" \
		"$(json_get "$j" .flow_control.xon_rx)" == "$4"
	check "$n: dp flow_control.malformed_rx" \
		"$(json_get "$j" .flow_control.malformed_rx)" == 0
	check "$n: dp rx_packets == gen tx_packets" \
		"$(json_get "$j" .rx_packets)" == "$(json_get "$g" .tx_packets)"
	check "$n: emitter rx_packets == dp tx_packets" \
		"$(json_get "$p" .rx_packets)" == "$(json_get "$j" .tx_packets)"
	check_dp_books "$n"
}

case_downstream_pause() {
	echo "== downstream-pause: PAUSE from the egress peer, counted and honoured by sluice-dp"
	downstream_run downstream-pause 1 0 1 2 --emit-pause 65535,0
	echo "== downstream-pfc-xon: a PFC frame whose enabled times are all 0 is XON"
	downstream_run downstream-pfc-xon 0 0 1 1 --emit-pfc \
		0x21:0/0/0/0/0/0/0/0
}

case_pfc() {
	local n=pfc j g s

	echo "== $n: --fc-mode pfc, classes 0:15,5:1: only the class under pressure is paused"
	sink_peer "$COUNT"
	DPO=(--stage-cost-ns "$SLOW_NS" --fc-mode pfc --pause-watchdog-ms 10000)
	GENO=(--rate-pps "$RATE" --count "$COUNT" --classes "0:15,5:1"
		--class-mark pcp)
	topo_run "$n" || return
	show "$n"
	j=$J_DP g=$J_GEN s=$J_PEER

	check "$n: dp xoff_sent[0]" \
		"$(json_get "$j" '.flow_control.xoff_sent[0]')" -ge 1
	check "$n: dp xoff_sent[5]" \
		"$(json_get "$j" '.flow_control.xoff_sent[5]')" == 0
	check "$n: gen pfc_frames_rx" "$(json_get "$g" .pfc_frames_rx)" -ge 1
	check "$n: gen wire_lost" "$(json_get "$g" .wire_lost)" == 0
	check "$n: dp dropped_total" "$(json_get "$j" .dropped_total)" == 0
	check "$n: sink lost" "$(json_get "$s" .lost)" == 0
	check "$n: sink rx_packets == gen tx_attempted" \
		"$(json_get "$s" .rx_packets)" == "$(json_get "$g" .tx_attempted)"
	check "$n: sink duplicated" "$(json_get "$s" .duplicated)" == 0
	check_dp_books "$n"
}

# ---------------------------------------------------------------- main

case $CASE in
all | pause-honoured | pause-ignored | watchdog | downstream-pause | pfc) ;;
*)
	echo "usage: $0 [all|pause-honoured|pause-ignored|watchdog|downstream-pause|pfc]" >&2
	exit 99
	;;
esac

need_hugepages
hp_free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
[ "${hp_free:-0}" -ge "$MIN_FREE_HUGEPAGES" ] ||
	skip "needs $MIN_FREE_HUGEPAGES free hugepages, has ${hp_free:-none}" \
		"(see /proc/sys/vm/nr_hugepages)"
need_tools jq timeout
[ -x "$SLUICE_GEN" ] || skip "sluice-gen not built at $SLUICE_GEN"

[ "$CASE" = all ] || [ "$CASE" = pause-honoured ] && case_pause_honoured
[ "$CASE" = all ] || [ "$CASE" = pause-ignored ] && case_pause_ignored
[ "$CASE" = all ] || [ "$CASE" = watchdog ] && case_watchdog
[ "$CASE" = all ] || [ "$CASE" = downstream-pause ] && case_downstream_pause
[ "$CASE" = all ] || [ "$CASE" = pfc ] && case_pfc

finish
