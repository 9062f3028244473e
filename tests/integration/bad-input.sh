#!/bin/bash
# bad-input.sh: sluice-dp's error paths. Each bad input must end the run
# with a non-zero exit (not a signal, not a hang: every run is under
# timeout) and a message that names the problem.
#
# Covers:
#  - option errors: an unknown option, --stages 0, --ring-size abc,
#    --high 50 --low 60, --ring-wm 9:90:10 (ring out of range),
#    --dscp-map 64=1, --malformed maybe;
#  - set-up errors: --rx-port 7 with two ports, no ports at all, too few
#    lcores (--workers 4 with 3 lcores: the message gives both counts),
#    --pool-size 100 (refused with the required number);
#  - --stats-json into a folder that does not exist: refused at start-up,
#    the exit is non-zero and the file is named;
#  - captures: one that does not exist, a non-Ethernet one (SLL; skipped
#    without the captures folder), and a copy of a valid one cut in the
#    middle of a record: sluice either forwards the valid part (exit 0,
#    counts consistent, output = the records before the cut) or refuses
#    naming the file;
#  - --help exits 0 and names every option of opts.c's long option table.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need_hugepages
need_tools jq

NULL2=(--vdev net_null0 --vdev net_null1)

# bad_case NAME LCORES PATTERN EAL... -- OPTS...: refused, saying PATTERN.
bad_case() {
	local name=$1 n=$2 pattern=$3

	shift 3
	dp_run "$n" "$@"
	expect_error "$name" || return
	assert_match "$name: message" "$DP_ERR" "$pattern"
}

# option errors
bad_case "unknown option" 3 "^Error: .*'--no-such-option'" \
	"${NULL2[@]}" -- --no-such-option
bad_case "--stages 0" 3 "^Error: --stages: '0'" \
	"${NULL2[@]}" -- --stages 0
bad_case "--ring-size abc" 3 "^Error: --ring-size: 'abc'" \
	"${NULL2[@]}" -- --ring-size abc
bad_case "--high 50 --low 60" 3 "^Error: --low 60 must be below --high 50" \
	"${NULL2[@]}" -- --high 50 --low 60
bad_case "--ring-wm 9:90:10" 3 "^Error: --ring-wm: '9:90:10'" \
	"${NULL2[@]}" -- --ring-wm 9:90:10
bad_case "--dscp-map 64=1" 3 "^Error: --dscp-map: '64=1'" \
	"${NULL2[@]}" -- --dscp-map 64=1
bad_case "--malformed maybe" 3 "^Error: --malformed: 'maybe'" \
	"${NULL2[@]}" -- --malformed maybe
bad_case "--ring-wm wrapping past 2^32" 3 "^Error: --ring-wm: '4294967296:90:10'" \
	"${NULL2[@]}" -- --ring-wm 4294967296:90:10
bad_case "--ring-wm with signs" 3 "^Error: --ring-wm: '1:\+90:-0'" \
	"${NULL2[@]}" -- --ring-wm 1:+90:-0
bad_case "--pool-size beyond the mempool's reach" 3 "^Error: --pool-size: '2147483648'" \
	"${NULL2[@]}" -- --pool-size 2147483648
bad_case "--stats-interval too small" 3 "^Error: --stats-interval: '1e-12'" \
	"${NULL2[@]}" -- --stats-interval 1e-12
bad_case "sluice option before --" 3 "^Error: --duration is a sluice-dp option: put it after '--'" \
	"${NULL2[@]}" --duration 1 --
bad_case "--hw-pfc outside hw mode" 3 "^Error: --hw-pfc sets the NIC's PFC and needs --fc-mode hw" \
	"${NULL2[@]}" -- --fc-mode pause --hw-pfc 3
bad_case "--pause-time-us 1" 3 "^Error: --pause-time-us: '1'" \
	"${NULL2[@]}" -- --fc-mode pause --pause-time-us 1
bad_case "--hw-pfc 3,9" 3 "^Error: --hw-pfc: '3,9'" \
	"${NULL2[@]}" -- --fc-mode hw --hw-pfc 3,9
bad_case "--fc-mode hw on a port without flow control" 3 \
	"port 0: the driver has no flow control to set" \
	"${NULL2[@]}" -- --fc-mode hw --duration 1
bad_case "--fc-mode hw --hw-pfc on a port without PFC" 3 \
	"port 0: PFC on priority 3: the driver has none" \
	"${NULL2[@]}" -- --fc-mode hw --hw-pfc 3,5 --duration 1

# set-up errors
bad_case "--rx-port 7 with two ports" 3 "--rx-port 7: no such port \(2 available\)" \
	"${NULL2[@]}" -- --rx-port 7 --duration 1
bad_case "no ports" 3 "no ports" \
	-- --duration 1
bad_case "too few lcores" 3 "need 6 lcores, the EAL gave 3" \
	"${NULL2[@]}" -- --workers 4 --duration 1
bad_case "--pool-size 100" 3 "--pool-size 100 is below the [0-9]+ mbufs" \
	"${NULL2[@]}" -- --pool-size 100 --duration 1

# --stats-json into a folder that is not there: refused before the run
nodir="$T/no-such-dir/stats.json"
dp_run 3 "${NULL2[@]}" -- --duration 0.3 --stats-json "$nodir"
if expect_error "--stats-json into a missing folder"; then
	assert_contains "--stats-json: names the file" "$DP_ERR" "$nodir"
	if grep -Eq "^sluice-dp: .* rx [0-9]+ tx [0-9]+" "$DP_OUT"; then
		fail "--stats-json: refused only after the run"
	fi
fi

# a capture that does not exist
missing="$T/no-such-capture.pcap"
bad_case "missing capture" 3 "^Error: capture '$missing'" \
	--vdev "net_pcap0,rx_pcap=$missing,tx_pcap=$T/out.pcap" \
	-- --idle-exit-ms 300

# MAC control is never forwarded: a PAUSE, and a tagged one (invalid:
# MAC control is never tagged) sent to the MAC control address
mc="$T/mac-control.pcap"
{
	printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\0\0\0\0\0\0\0\0\xff\xff\0\0\x01\0\0\0'
	for tag in '' '\x81\x00\x00\x05'; do
		len=$((60 + ${#tag} / 4))
		printf '\0\0\0\0\0\0\0\0'
		printf "\\x$(printf %02x "$len")\\0\\0\\0\\x$(printf %02x "$len")\\0\\0\\0"
		printf '\x01\x80\xc2\x00\x00\x01\x02\x00\x00\x00\x00\x01'
		printf "$tag"
		printf '\x88\x08\x00\x01\xff\xff'
		head -c 42 /dev/zero
	done
} >"$mc"
dp_run 3 --vdev "net_pcap0,rx_pcap=$mc,tx_pcap=$T/mc-out.pcap" \
	-- --idle-exit-ms 300 --stats-json "$T/mc.json"
if expect_ok "MAC control capture"; then
	assert_eq "MAC control: received" "$(json_get "$T/mc.json" .rx_packets)" 2
	assert_eq "MAC control: none forwarded" "$(json_get "$T/mc.json" .tx_packets)" 0
	assert_eq "MAC control: counted" "$(json_get "$T/mc.json" .dropped.mac_control)" 2
	assert_eq "MAC control: the tagged one is malformed" \
		"$(json_get "$T/mc.json" .flow_control.malformed_rx)" 1
	assert_eq "MAC control: the PAUSE is seen" \
		"$(json_get "$T/mc.json" .flow_control.pause_rx)" 1
fi

# two captures on one port: only one RX queue is read, so refused
if [ -d "$SLUICE_PCAP_DIR" ]; then
	q=$SLUICE_PCAP_DIR/zeek__q-in-q.pcap
	bad_case "two rx_pcap on one port" 3 "2 rx_pcap files" \
		--vdev "net_pcap0,rx_pcap=$q,rx_pcap=$q,tx_pcap=$T/o1.pcap,tx_pcap=$T/o2.pcap" \
		-- --idle-exit-ms 300

	# the same file in and out would be truncated while it is read
	cp "$q" "$T/same.pcap"
	bad_case "rx_pcap is its own tx_pcap" 3 "is also the tx_pcap of its port" \
		--vdev "net_pcap0,rx_pcap=$T/same.pcap,tx_pcap=$T/same.pcap" \
		-- --idle-exit-ms 300
	assert_eq "same file left whole" "$(cmp -s "$q" "$T/same.pcap" && echo same)" same

	# getopt takes --vde for --vdev: the capture check must too
	bad_case "abbreviated --vdev" 3 "is not Ethernet" \
		--vde "net_pcap0,rx_pcap=$SLUICE_PCAP_DIR/tcpdump__tcp-handshake-nano.pcap,tx_pcap=$T/o3.pcap" \
		-- --idle-exit-ms 300
fi

# a non-Ethernet capture
sll="$SLUICE_PCAP_DIR/tcpdump__tcp-handshake-nano.pcap"
if [ -f "$sll" ]; then
	dp_run 3 --vdev "net_pcap0,rx_pcap=$sll,tx_pcap=$T/out.pcap" \
		-- --idle-exit-ms 300
	if expect_error "non-Ethernet capture"; then
		assert_contains "non-Ethernet capture: names the file" \
			"$DP_ERR" "$sll"
	fi
else
	note "captures not found at $SLUICE_PCAP_DIR, skipping the SLL case"
fi

# a valid capture cut in the middle of its second record
src="$SLUICE_PCAP_DIR/zeek__http-vlan-0.pcap"
cut="$T/truncated.pcap"
if [ -f "$src" ]; then
	frames "$src" >"$T/src.frames"
	# 24-byte file header, 16-byte record headers, then caplen bytes
	bytes=$(awk 'NR == 1 { a = $1 } NR == 2 { b = $1; exit }
		END { print 24 + 16 + a + 16 + int(b / 2) }' "$T/src.frames")
	head -c "$bytes" "$src" >"$cut"
	head -n 1 "$T/src.frames" >"$T/cut.frames"

	dp_run 3 --vdev "net_pcap0,rx_pcap=$cut,tx_pcap=$T/cut-out.pcap" \
		-- --idle-exit-ms 300 --stats-json "$T/cut.json"
	if [ "$DP_RC" -eq 0 ]; then
		note "truncated capture: forwarded the valid part"
		check_accounting "$T/cut.json" "truncated capture"
		assert_eq "truncated capture: rx_packets" \
			"$(json_get "$T/cut.json" .rx_packets)" 1
		frames "$T/cut-out.pcap" >"$T/cut-out.frames"
		compare_frames "truncated capture: output" \
			"$T/cut-out.frames" "$T/cut.frames"
	elif expect_error "truncated capture"; then
		note "truncated capture: refused"
		assert_contains "truncated capture: names the file" \
			"$DP_ERR" "$cut"
	fi
else
	note "captures not found at $SLUICE_PCAP_DIR, skipping the truncated case"
fi

# --help names every long option
opts_c=${SLUICE_OPTS_C:-$(dirname "$0")/../../dataplane/opts.c}
dp_run 3 "${NULL2[@]}" -- --help
expect_ok "--help"
if [ -f "$opts_c" ]; then
	mapfile -t names < <(sed -n '/dp_long_opts\[\] = {/,/^};/ s/^[[:space:]]*{ "\([^"]*\)",.*/\1/p' "$opts_c")
	assert_cmp "long options found in $opts_c" "${#names[@]}" -gt 0
	for name in "${names[@]}"; do
		assert_contains "--help lists --$name" "$DP_OUT" "--$name"
	done
else
	fail "opts.c not found at $opts_c (set SLUICE_OPTS_C)"
fi

finish
