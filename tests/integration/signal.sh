#!/bin/bash
# signal.sh: a run without --duration stops cleanly on SIGINT.
#
# Covers:
#  - plain: sluice-dp on net_null (two ports, 3 lcores) with
#    --stats-interval 0.2 and no --duration runs until a live counter line
#    shows it forwarding (polled for at most 20 s); SIGINT sent to its own
#    PID makes it stop RX, drain and exit 0 (waited for at most the drain
#    timeout plus a generous margin, so a hang fails instead of blocking).
#    The final JSON is written, the drain dropped nothing (drain_timeout
#    0), in_flight is 0, the identity holds and every mbuf is back in the
#    pool.
#  - drain timeout: the same with a last stage slowed to 1 ms a packet and
#    --drain-timeout-ms 200, signalled once ring0 is under pressure (so
#    hundreds of packets are queued: draining them takes far longer than
#    200 ms on any machine). The drain must give up, and what it gave up
#    on must be counted: exit 0, dropped.drain_timeout > 0, and still the
#    identity, in_flight 0 and every mbuf back. (Checked through the
#    counters, not the clock.)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need_hugepages
need_tools jq

DRAIN_MS=2000

# sigint_run NAME READY-ERE OPTS...: start, wait until a stdout line
# matches READY-ERE, send SIGINT, wait for the exit. Returns 1 (after
# recording why) when any step fails; DP_RC is the exit status.
sigint_run() {
	local name=$1 ready=$2 started=0 limit i

	shift 2
	dp_start 3 --vdev net_null0 --vdev net_null1 -- --stats-interval 0.2 "$@"
	if [ -z "$DP_PID" ]; then
		dp_wait 5
		fail "$name: sluice-dp did not start"
		dp_show
		return 1
	fi
	assert_eq "$name: the PID signalled is sluice-dp's own" \
		"$(cat "/proc/$DP_PID/comm" 2>/dev/null)" sluice-dp

	for ((i = 0; i < 200; i++)); do
		if grep -Eq "$ready" "$DP_OUT"; then
			started=1
			break
		fi
		kill -0 "$DP_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$started" -eq 0 ]; then
		fail "$name: no stats line matching /$ready/ within 20 s"
		dp_kill
		dp_show
		return 1
	fi
	note "$name: running: $(grep -E "$ready" "$DP_OUT" | tail -n 1)"

	kill -INT "$DP_PID"
	limit=$((DRAIN_MS / 1000 + 15))
	if ! dp_wait "$limit"; then
		fail "$name: sluice-dp still running $limit s after SIGINT"
		dp_show
		return 1
	fi
	expect_ok "$name: exit after SIGINT" || return 1
	assert_match "$name: stopped because of SIGINT" "$DP_ERR" \
		"stopping RX \(SIGINT\)"
	return 0
}

# plain
J="$T/plain.json"
if sigint_run "plain" '^\[ *[0-9.]+s\] rx [1-9][0-9]*' \
	--drain-timeout-ms "$DRAIN_MS" --stats-json "$J"; then
	check_accounting "$J" "plain"
	assert_eq "plain: dropped.drain_timeout" \
		"$(json_get "$J" .dropped.drain_timeout)" 0
	assert_cmp "plain: rx_packets" "$(json_get "$J" .rx_packets)" -gt 0
	note "plain: $(jq -c '{elapsed_s, rx_packets, tx_packets, dropped_total, in_flight, mempool}' "$J")"
fi

# drain timeout: ring0 under pressure (XOFF) before the signal
J="$T/slow.json"
if sigint_run "drain-timeout" '^\[.* ring0 [0-9]+/[0-9]+ XOFF' \
	--stage-cost-ns 1000000 --drain-timeout-ms 200 --stats-json "$J"; then
	check_accounting "$J" "drain-timeout"
	assert_cmp "drain-timeout: dropped.drain_timeout" \
		"$(json_get "$J" .dropped.drain_timeout)" -gt 0
	note "drain-timeout: $(jq -c '{elapsed_s, rx_packets, tx_packets, dropped, in_flight, mempool}' "$J")"
fi

# A stage so slow (1 s a packet) that a burst outlasts any drain timeout:
# the stage must notice the drain was given up, not finish its burst.
J="$T/crawl.json"
if sigint_run "crawling stage" '^\[.* ring0 [0-9]+/[0-9]+' \
	--stage-cost-ns 1000000000 --burst 64 --drain-timeout-ms 200 \
	--stats-json "$J"; then
	check_accounting "$J" "crawling stage"
	assert_cmp "crawling stage: dropped.drain_timeout" \
		"$(json_get "$J" .dropped.drain_timeout)" -gt 0
fi

# An egress that never takes anything (a memif server nobody joins) and
# an hour of drain timeout: the first SIGINT starts the drain, a second
# one abandons it, counting what is left.
J="$T/second.json"
dp_start 3 --vdev net_null0 \
	--vdev "net_memif0,role=server,socket=$T/nobody.sock" \
	-- --stats-interval 0.2 --drain-timeout-ms 3600000 --stats-json "$J"
for ((i = 0; i < 200; i++)); do
	grep -Eq '^\[ *[0-9.]+s\] rx [1-9]' "$DP_OUT" && break
	kill -0 "$DP_PID" 2>/dev/null || break
	sleep 0.1
done
if [ -n "$DP_PID" ] && kill -INT "$DP_PID" 2>/dev/null; then
	sleep 1
	assert_eq "second signal: still draining after the first" \
		"$(kill -0 "$DP_PID" 2>/dev/null && echo running)" running
	kill -INT "$DP_PID" 2>/dev/null
	if dp_wait 15; then
		expect_ok "second signal: exit" &&
			check_accounting "$J" "second signal"
		assert_cmp "second signal: dropped.drain_timeout" \
			"$(json_get "$J" .dropped.drain_timeout)" -gt 0
		assert_match "second signal: said so" "$DP_ERR" \
			"second signal: drain abandoned"
	else
		fail "second signal: still running 15 s after the second SIGINT"
		dp_show
	fi
else
	fail "second signal: sluice-dp did not start"
	dp_wait 5
	dp_show
fi

finish
