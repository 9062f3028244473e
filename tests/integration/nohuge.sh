#!/bin/bash
# nohuge.sh: sluice-dp without hugepages (EAL --no-huge -m 512), so hosts
# without a hugepage reservation can still run it.
#
# Covers: one net_null run (two ports, 3 lcores) for --duration 1 exits 0,
# forwards something, and the final JSON shows the accounting identity,
# in_flight 0 and every mbuf back in the pool.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need_tools jq

J="$T/stats.json"
dp_run 3 --no-huge -m 512 --vdev net_null0 --vdev net_null1 \
	-- --duration 1 --stats-json "$J"
if expect_ok "--no-huge run"; then
	check_accounting "$J" "--no-huge"
	assert_cmp "rx_packets" "$(json_get "$J" .rx_packets)" -gt 0
	note "$(jq -c '{rx_packets, tx_packets, dropped_total, in_flight}' "$J")"
fi

finish
