/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen: traffic generator, sink and PAUSE/PFC emitter for testing
 * sluice over DPDK vdevs (net_memif between two processes on one machine,
 * net_ring, net_null, net_pcap).
 *
 *   sluice-gen [EAL options] -- [options]        (--help lists them)
 *
 * Three modes, one port each, one lcore (the main one):
 *
 * Generator (default). Sends IPv4/UDP frames out of --tx-port at
 * --rate-pps, or --rate-pct of the link speed (10 Gb/s when the port
 * reports none, FC_FALLBACK_SPEED_MBPS; the wire cost of a frame is its
 * length plus 24 bytes of FCS, preamble and inter-frame gap), until
 * --count frames or --duration seconds. Frame lengths come from --size or
 * the weighted --size-mix; classes from the weighted --classes, marked as
 * PCP in an 802.1Q tag (VID 1), as DSCP (class << 3) or both. Weighted
 * lists are played in a fixed smooth round-robin order, not at random, so
 * the split over a run is exact to within one round.
 *
 *   Frame: dst 02:00:00:00:00:02, src the port's MAC, [802.1Q], IPv4
 *   10.0.0.1 -> 10.0.0.2 (DF, valid header checksum), UDP 49152+class ->
 *   9 with checksum 0, then the 24-byte sluice-gen header in network byte
 *   order: magic 0x534c4753 ("SLGS"), u32 class, u64 sequence number (one
 *   counter for the whole run, from 0), u64 TSC when handed to the port.
 *   The rest of the payload is zero.
 *
 *   Pacing is TSC based: slot k is due at epoch + k / rate; each loop turn
 *   sends the due slots, up to --burst. After a stall it catches up on
 *   at most 8 bursts of backlog; older slots are given up (slots_late),
 *   so the average never exceeds the rate. The port is the wire: a
 *   frame rte_eth_tx_burst() does not take is lost (wire_lost), its
 *   sequence number used; only PAUSE/PFC slow the generator down.
 *
 *   Between bursts it polls the same port's RX and parses MAC control
 *   frames with fc_parse(). Like an 802.3 MAC, each PAUSE/PFC frame
 *   replaces the remaining timer (quanta converted at the link speed);
 *   time 0 resumes at once. PAUSE holds everything, and the schedule
 *   restarts when it ends: no catch-up burst. PFC holds the enabled
 *   classes only: their turns are skipped while the others keep their
 *   rates. --honor-pause off only counts. At the end it keeps receiving
 *   for --linger-ms (the peer may still be reading, and late PAUSE frames
 *   still count) and reports.
 *
 * Sink (--sink). Receives on --rx-port until --duration, --idle-exit-ms
 * of silence after the first frame, or a signal. Frames with a valid
 * sluice-gen header are counted by class and checked for sequence (lost,
 * duplicated, reordered: see gen_seq.c for the window and its bound) and
 * latency (receive TSC minus the stamp; log-linear histogram, p50/p99 as
 * bucket upper bounds). Anything else is rx_foreign. With --expect N
 * (the generator's tx_attempted) a lost tail counts too.
 *
 * Emitter (--emit-pause Q,... or --emit-pfc V:Q0/../Q7,...). Sends the
 * listed frames out of --tx-port, --emit-gap-us apart, starting
 * --emit-delay-ms after link up, lingers and exits. Used to check that a
 * generator stops and resumes as told.
 *
 * Accounting a test can rely on, generator against a sink over memif with
 * nothing else dropping: sink rx_packets + wire_lost == tx_attempted, and
 * sink lost == wire_lost (given --expect, or when the last frame arrived).
 *
 * Exit status: 0 when the run completed (whatever it counted), 1 on bad
 * options or a set-up failure (no port, no hugepages, JSON not written).
 *
 * Over net_memif, the generator waits for the link (the peer) before it
 * sends, and memif reports 100 Gb/s: --rate-pct and quanta use that, so
 * a PAUSE of 0xffff lasts 335 us there. A memif client needs its server
 * up first; rsize=14 (the largest ring) rides out scheduling stalls on a
 * busy machine that a 2048-slot ring turns into wire_lost.
 *
 * Known limits, each marked XXX: where it bites: sizes below 66 bytes
 * (70 tagged) grow to fit the header; a PFC-paused class loses its turns;
 * a slow peer shows up as wire_lost; latency needs one TSC for both ends;
 * the sink's sequence window is bounded; DPDK 22.11's memif corrupts
 * frames mixed across its buffer size (refused) and may crash if closed
 * mid-handshake; one queue and one lcore.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "gen.h"

RTE_LOG_REGISTER(gen_logtype, sluice.gen, INFO);

volatile sig_atomic_t gen_signalled;

static void
gen_on_signal(int sig)
{
	(void)sig;
	/* a count, so a linger can tell a second signal from the first */
	gen_signalled = gen_signalled + 1;
}

static void
gen_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = gen_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Index of "--" in argv, or argc when there is none. */
static int
gen_split(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

/*
 * Options before the EAL starts: a typo must not need hugepages to be
 * reported. Returns 0 to go on, else the exit status; exits 0 on --help.
 */
static int
gen_opts_from_args(struct gen_opts *o, int argc, char **argv, int dd)
{
	char **av = argv + dd;
	char *saved;
	int rc;

	/* "sluice-gen --help" alone: ours, not the EAL's */
	if (dd == argc && argc == 2 && (strcmp(argv[1], "--help") == 0 ||
					strcmp(argv[1], "-h") == 0)) {
		gen_opts_usage(stdout, argv[0]);
		exit(0);
	}
	if (dd == argc) {
		fprintf(stderr, "Error: no \"--\" and no options after it; "
			"try --help\n");
		return 1;
	}

	saved = av[0];
	av[0] = argv[0];  /* getopt wants a program name first */
	rc = gen_opts_parse(o, argc - dd, av);
	av[0] = saved;
	if (rc == 1)
		exit(0);
	return rc < 0 ? 1 : 0;
}

static int
gen_run(struct gen_app *app, struct gen_report *r)
{
	switch (app->opts.mode) {
	case GEN_MODE_SINK:
		return gen_sink_run(app, r);
	case GEN_MODE_EMIT:
		return gen_emit_run(app, r);
	default:
		return gen_tx_run(app, r);
	}
}

static int
gen_output(const struct gen_app *app, const struct gen_report *r)
{
	int rc;

	gen_report_text(stdout, r);
	if (app->opts.stats_json == NULL)
		return 0;

	rc = gen_report_write_json(app->opts.stats_json, r);
	if (rc < 0)
		GEN_LOG(ERR, "--stats-json %s: %s\n", app->opts.stats_json,
			strerror(-rc));
	return rc;
}

int
main(int argc, char **argv)
{
	static struct gen_app app;
	static struct gen_report report;
	int dd = gen_split(argc, argv);
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);

	/* options, then the EAL with what came before "--" */
	rc = gen_opts_from_args(&app.opts, argc, argv, dd);
	if (rc != 0)
		return rc;
	if (rte_eal_init(dd, argv) < 0) {
		fprintf(stderr, "Error: EAL init: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	gen_signals();

	/* port, checks that need it, start, run, report */
	rc = gen_port_pick(&app);
	if (rc == 0 && app.opts.mode == GEN_MODE_GEN)
		rc = gen_tx_check(&app);
	if (rc == 0)
		rc = gen_port_start(&app);
	if (rc == 0)
		rc = gen_run(&app, &report);
	if (rc == 0)
		rc = gen_output(&app, &report);

	gen_port_close(&app);
	rte_eal_cleanup();
	return rc < 0 ? 1 : 0;
}
