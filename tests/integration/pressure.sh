#!/bin/bash
# pressure.sh: ring watermarks and the RX hold under a slow last stage.
#
# Covers, on a net_null source (two ports) at full speed into a last stage
# slowed by --stage-cost-ns 2000 for --duration 2, with the default
# --idle-sleep-us, in three shapes (1 stage x 1 worker on 3 lcores;
# --stages 2 --workers 2 on 6 lcores; --shared-rxtx on 2 lcores):
#  - the ring feeding the slowed stage (ring0 with one stage, ring S-1 with
#    S stages: pressure upstream of it is up to scheduling) asserted:
#    xoff_count >= 1, xoff_time_us > 0, high <= max_occupancy <= capacity;
#  - the RX hold was measured: rx_hold_us > 0;
#  - nothing dropped for any reason, in_flight 0, the accounting identity,
#    every mbuf back in the pool.
# The same three shapes with --no-watermarks: xoff_count 0 on every ring,
# rx_hold_us 0, and still no drop and the identity.
#
# And release after the traffic stops: a net_pcap replay of
# pcapplusplus__example2_many-protocols.pcap with --stage-cost-ns 20000
# --ring-size 64 --high 50 --low 25 --idle-exit-ms 500: when the run ends
# no ring is still asserted, ring0 asserted at least once, and the output
# capture equals the input byte for byte (skipped without the captures).
#
# No assertion on rates or times beyond "more than zero".
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need_hugepages
need_tools jq

NULL2=(--vdev net_null0 --vdev net_null1)

# pressure_run NAME LCORES STAGES OPTS...
pressure_run() {
	local name=$1 n=$2 stages=$3 j

	shift 3
	j="$T/$name.json"
	dp_run "$n" "${NULL2[@]}" -- --stage-cost-ns 2000 --duration 2 \
		--stats-json "$j" "$@"
	expect_ok "$name" || return 1
	check_accounting "$j" "$name"
	assert_eq "$name: dropped_total" "$(json_get "$j" .dropped_total)" 0
	assert_json "$j" "$name: no NIC drops" \
		'.dropped.nic_imissed + .dropped.nic_rx_nombuf + .dropped.nic_ierrors == 0'
	assert_cmp "$name: rx_packets" "$(json_get "$j" .rx_packets)" -gt 0
	assert_eq "$name: rings" "$(json_get "$j" '.rings | length')" \
		$((stages + 1))
	note "$name: $(jq -c '{rx_packets, rx_hold_us, rings: [.rings[] |
		{name, high, max_occupancy, xoff_count, xoff_time_us}]}' "$j")"
	PR_JSON=$j
	PR_RING=".rings[$((stages - 1))]"
}

# with watermarks: the ring before the slow stage asserts, RX holds
pressure_on() {
	local name=$1 j r

	pressure_run "$@" || return
	j=$PR_JSON
	r=$PR_RING
	assert_cmp "$name: $r.xoff_count" "$(json_get "$j" "$r.xoff_count")" -ge 1
	assert_cmp "$name: $r.xoff_time_us" "$(json_get "$j" "$r.xoff_time_us")" -gt 0
	assert_json "$j" "$name: $r.high <= max_occupancy <= capacity" \
		"$r.max_occupancy >= $r.high and $r.max_occupancy <= $r.capacity"
	assert_cmp "$name: rx_hold_us" "$(json_get "$j" .rx_hold_us)" -gt 0
}

# without: no assertion anywhere, no hold
pressure_off() {
	local name=$1 j

	pressure_run "$@" --no-watermarks || return
	j=$PR_JSON
	assert_json "$j" "$name: watermarks false" '.watermarks == false'
	assert_eq "$name: xoff_count on every ring" \
		"$(json_get "$j" '[.rings[].xoff_count] | add')" 0
	assert_eq "$name: rx_hold_us" "$(json_get "$j" .rx_hold_us)" 0
}

pressure_on "1x1" 3 1
pressure_on "2x2" 6 2 --stages 2 --workers 2
pressure_on "shared-rxtx" 2 1 --shared-rxtx
pressure_off "1x1-no-wm" 3 1
pressure_off "2x2-no-wm" 6 2 --stages 2 --workers 2
pressure_off "shared-rxtx-no-wm" 2 1 --shared-rxtx

# release after the traffic stops
cap="$SLUICE_PCAP_DIR/pcapplusplus__example2_many-protocols.pcap"
if [ -f "$cap" ]; then
	j="$T/release.json"
	dp_run 3 --vdev "net_pcap0,rx_pcap=$cap,tx_pcap=$T/release.pcap" \
		-- --stage-cost-ns 20000 --ring-size 64 --high 50 --low 25 \
		--idle-exit-ms 500 --stats-json "$j"
	if expect_ok "release"; then
		note "release: $(jq -c '{rx_packets, tx_packets, rx_hold_us,
			rings: [.rings[] | {name, asserted, xoff_count}]}' "$j")"
		check_accounting "$j" "release"
		assert_json "$j" "release: no ring asserted at the end" \
			'[.rings[].asserted] | all(. == false)'
		assert_cmp "release: ring0.xoff_count" \
			"$(json_get "$j" '.rings[0].xoff_count')" -ge 1
		frames "$cap" >"$T/release-in.frames"
		frames "$T/release.pcap" >"$T/release-out.frames"
		compare_frames "release: output" "$T/release-out.frames" \
			"$T/release-in.frames"
	fi
else
	note "captures not found at $SLUICE_PCAP_DIR, skipping the release case"
fi

finish
