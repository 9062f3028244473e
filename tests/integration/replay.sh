#!/bin/bash
# replay.sh CAPTURE: replay one real capture through sluice-dp on a net_pcap
# port (rx_pcap= the capture, tx_pcap= a new file) and check what came out.
#
# Covers:
#  - a capture tcpdump cannot read, or whose link type is not EN10MB:
#    sluice-dp refuses it with a non-zero exit (not a signal, not a hang)
#    and names the file on stderr;
#  - any other capture: exit 0, and the output capture holds exactly the
#    input frames minus the runts (caplen < 14) and the oversize frames
#    (caplen > 9216, the default --max-frame), in order, byte for byte;
#  - the final JSON: rx_packets = records in the capture, tx_packets = the
#    frames expected out, dropped.runt and dropped.oversize = the counts
#    computed here, no other drop reason, in_flight 0, the accounting
#    identity, every mbuf back in the pool;
#  - classes: dp_rx_admit() (pipeline.c) gives every frame that passed the
#    runt and oversize checks exactly one class, malformed ones included
#    (the malformed policy is applied after classifying), so
#    sum(classes) == rx_packets - dropped.runt - dropped.oversize.
#
# Note: net_pcap sends a frame's captured bytes; the wire length of a record
# cut by the snap length is not carried, so only caplen is compared.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

MAX_FRAME=9216

# no argument: meson found no capture to list (see meson.build)
if [ $# -eq 0 ]; then
	need_captures
	skip "no captures in $SLUICE_PCAP_DIR"
fi
[ $# -eq 1 ] || { echo "usage: replay.sh [CAPTURE]" >&2; exit 99; }
need_captures
case $1 in
/*) F=$1 ;;
*) F="$SLUICE_PCAP_DIR/$1" ;;
esac
[ -f "$F" ] || { fail "capture $F is not there"; finish; }
need_hugepages
need_tools tcpdump jq

OUT="$T/out.pcap"
J="$T/stats.json"
note "capture $F"

# can tcpdump read it, and is it Ethernet?
readable=1
tcpdump -nn -r "$F" --count >"$T/tcpdump.out" 2>"$T/tcpdump.err" || readable=0
link=$(sed -n 's/.*link-type \([^ ]*\) .*/\1/p' "$T/tcpdump.err" | head -n 1)
pf_link=$("$PCAP_FRAMES" -l "$F" 2>/dev/null)
note "tcpdump readable=$readable link-type=${link:-?} pcap-frames link=${pf_link:-?}"

dp_run 3 --in-memory --vdev "net_pcap0,rx_pcap=$F,tx_pcap=$OUT" \
	-- --idle-exit-ms 300 --stats-json "$J"

if [ "$readable" -eq 0 ] || [ "$link" != EN10MB ] || [ "$pf_link" != EN10MB ]; then
	note "expecting a refusal"
	if expect_error "unreadable or non-Ethernet capture"; then
		assert_contains "stderr names the capture" "$DP_ERR" "$F"
	fi
	finish
fi

# expected output: the input minus runts and oversize frames
frames "$F" >"$T/in.frames"
awk -v max="$MAX_FRAME" '$1 >= 14 && $1 <= max' "$T/in.frames" >"$T/want.frames"
records=$(wc -l <"$T/in.frames")
runt=$(awk '$1 < 14' "$T/in.frames" | wc -l)
oversize=$(awk -v max="$MAX_FRAME" '$1 > max' "$T/in.frames" | wc -l)
want_tx=$(wc -l <"$T/want.frames")
note "records $records runt $runt oversize $oversize expected out $want_tx"

expect_ok "replay" || finish

if [ -f "$OUT" ]; then
	frames "$OUT" >"$T/got.frames"
	compare_frames "output capture" "$T/got.frames" "$T/want.frames"
else
	fail "no output capture written at $OUT"
fi

[ -s "$J" ] || { fail "no JSON written"; dp_show; finish; }
assert_eq "rx_packets" "$(json_get "$J" .rx_packets)" "$records"
assert_eq "tx_packets" "$(json_get "$J" .tx_packets)" "$want_tx"
assert_eq "dropped.runt" "$(json_get "$J" .dropped.runt)" "$runt"
assert_eq "dropped.oversize" "$(json_get "$J" .dropped.oversize)" "$oversize"
assert_eq "dropped_total" "$(json_get "$J" .dropped_total)" $((runt + oversize))
assert_json "$J" "no NIC drops" \
	'.dropped.nic_imissed + .dropped.nic_rx_nombuf + .dropped.nic_ierrors == 0'
check_accounting "$J" "replay"
assert_eq "sum(classes)" "$(json_get "$J" '.classes | add')" \
	$((records - runt - oversize))
finish
