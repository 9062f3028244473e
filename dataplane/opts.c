/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cliarg.h"
#include "opts.h"
#include "wm.h"

enum {
	OPT_RX_PORT = 256,
	OPT_TX_PORT,
	OPT_STAGES,
	OPT_WORKERS,
	OPT_RING_SIZE,
	OPT_BURST,
	OPT_RX_DESC,
	OPT_TX_DESC,
	OPT_MAX_FRAME,
	OPT_POOL_SIZE,
	OPT_HIGH,
	OPT_LOW,
	OPT_RING_WM,
	OPT_NO_WM,
	OPT_SHARED_RXTX,
	OPT_STAGE_COST,
	OPT_DURATION,
	OPT_IDLE_EXIT,
	OPT_IDLE_SLEEP,
	OPT_DRAIN_TIMEOUT,
	OPT_STATS_INTERVAL,
	OPT_STATS_JSON,
	OPT_MALFORMED,
	OPT_DSCP_MAP,
	OPT_DEFAULT_CLASS,
	OPT_FC_MODE,
	OPT_PAUSE_TIME,
	OPT_HEADROOM_DELAY,
	OPT_HONOR_PAUSE,
	OPT_WATCHDOG,
	OPT_HOLDDOWN,
	OPT_STALL,
	OPT_HW_PFC,
};

static const struct option dp_long_opts[] = {
	{ "rx-port", required_argument, NULL, OPT_RX_PORT },
	{ "tx-port", required_argument, NULL, OPT_TX_PORT },
	{ "stages", required_argument, NULL, OPT_STAGES },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
	{ "burst", required_argument, NULL, OPT_BURST },
	{ "rx-desc", required_argument, NULL, OPT_RX_DESC },
	{ "tx-desc", required_argument, NULL, OPT_TX_DESC },
	{ "max-frame", required_argument, NULL, OPT_MAX_FRAME },
	{ "pool-size", required_argument, NULL, OPT_POOL_SIZE },
	{ "high", required_argument, NULL, OPT_HIGH },
	{ "low", required_argument, NULL, OPT_LOW },
	{ "ring-wm", required_argument, NULL, OPT_RING_WM },
	{ "no-watermarks", no_argument, NULL, OPT_NO_WM },
	{ "shared-rxtx", no_argument, NULL, OPT_SHARED_RXTX },
	{ "stage-cost-ns", required_argument, NULL, OPT_STAGE_COST },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "idle-exit-ms", required_argument, NULL, OPT_IDLE_EXIT },
	{ "idle-sleep-us", required_argument, NULL, OPT_IDLE_SLEEP },
	{ "drain-timeout-ms", required_argument, NULL, OPT_DRAIN_TIMEOUT },
	{ "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },
	{ "stats-json", required_argument, NULL, OPT_STATS_JSON },
	{ "malformed", required_argument, NULL, OPT_MALFORMED },
	{ "dscp-map", required_argument, NULL, OPT_DSCP_MAP },
	{ "default-class", required_argument, NULL, OPT_DEFAULT_CLASS },
	{ "fc-mode", required_argument, NULL, OPT_FC_MODE },
	{ "pause-time-us", required_argument, NULL, OPT_PAUSE_TIME },
	{ "headroom-delay-ns", required_argument, NULL, OPT_HEADROOM_DELAY },
	{ "honor-pause", required_argument, NULL, OPT_HONOR_PAUSE },
	{ "pause-watchdog-ms", required_argument, NULL, OPT_WATCHDOG },
	{ "watchdog-holddown-ms", required_argument, NULL, OPT_HOLDDOWN },
	{ "stage-stall", required_argument, NULL, OPT_STALL },
	{ "hw-pfc", required_argument, NULL, OPT_HW_PFC },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void
dp_opts_usage(FILE *f, const char *prog)
{
	fprintf(f,
"Usage: %s [EAL options] -- [options]\n"
"\n"
"Ports:\n"
"  --rx-port N            ingress port (default 0)\n"
"  --tx-port N            egress port (default 1; 0 with a single port)\n"
"  --rx-desc N            RX descriptors (default %u)\n"
"  --tx-desc N            TX descriptors (default %u)\n"
"  --max-frame BYTES      longer frames are dropped as oversize (default %u,\n"
"                         at most %u)\n"
"\n"
"Pipeline:\n"
"  --stages N             processing stages (default 1, at most %u)\n"
"  --workers N            workers per stage (default 1, at most %u)\n"
"  --ring-size N          usable entries per ring (default %u)\n"
"  --burst N              burst size (default %u, at most %u)\n"
"  --pool-size N          mbufs in the pool (default: computed, checked)\n"
"  --shared-rxtx          run RX and TX on the main lcore\n"
"  --stage-cost-ns N      busy-wait N ns per packet in the last stage\n"
"  --stage-stall AT:LEN   the last stage stops for LEN ms, AT ms after\n"
"                         the start (a stuck consumer, for tests)\n"
"  --idle-sleep-us N      longest sleep of an idle lcore; 0 busy-polls\n"
"                         (default %u)\n"
"\n"
"Watermarks:\n"
"  --high PCT             assert pressure at PCT%% occupancy (default %u)\n"
"  --low PCT              release at PCT%% occupancy (default %u)\n"
"  --ring-wm R:HIGH:LOW   override the marks of ring R (0 = RX side)\n"
"  --no-watermarks        no occupancy checks at all (for benchmarks)\n"
"\n"
"Flow control:\n"
"  --fc-mode MODE         reaction to pressure: none, hold (default: RX\n"
"                         stops polling), pause (802.3x), pfc (802.1Qbb\n"
"                         per class), hw (the NIC's own, plus hold)\n"
"  --pause-time-us N      time each XOFF asks for (default %u)\n"
"  --headroom-delay-ns N  cable plus sender reaction, for the headroom\n"
"                         check (default %u)\n"
"  --honor-pause on|off   hold TX on PAUSE/PFC from downstream (default on)\n"
"  --hw-pfc P[,P..]       hw mode: set the NIC's PFC on these priorities\n"
"                         (0-7) instead of its 802.3x\n"
"  --pause-watchdog-ms N  shed a class that held XOFF N ms instead of\n"
"                         pausing it; 0 disables (default %u)\n"
"  --watchdog-holddown-ms N  restore it after N ms at or below the low\n"
"                         mark (default %u)\n"
"\n"
"Classification:\n"
"  --dscp-map D=C[,D=C..] DSCP to class overrides (default class = DSCP>>3)\n"
"  --default-class C      class of frames with neither tag nor IP (default 0)\n"
"  --malformed POLICY     forward (default) or drop malformed frames\n"
"\n"
"Run and report:\n"
"  --duration SEC         stop RX after SEC seconds, drain, report, exit\n"
"  --idle-exit-ms MS      stop once the ingress port was idle MS ms\n"
"  --drain-timeout-ms MS  give up draining after MS ms (default %u)\n"
"  --stats-interval SEC   print a line of live counters every SEC seconds\n"
"  --stats-json FILE      write the final counters to FILE\n"
"  -h, --help             this text\n"
"\n"
"With no arguments at all, runs the built-in demo on net_null ports.\n"
"Note: frames longer than the mbuf data room (2048 bytes) take several\n"
"mbufs each; the pool check counts one mbuf per packet.\n",
		prog, DP_RX_DESC_DEFAULT, DP_TX_DESC_DEFAULT,
		DP_MAX_FRAME_DEFAULT, DP_MAX_FRAME_MAX, DP_MAX_STAGES,
		DP_MAX_WORKERS, DP_RING_SIZE_DEFAULT, DP_BURST_DEFAULT,
		DP_BURST_MAX, DP_IDLE_SLEEP_US_DEFAULT, WM_HIGH_PCT_DEFAULT,
		WM_LOW_PCT_DEFAULT, DP_PAUSE_TIME_US_DEFAULT,
		DP_HEADROOM_DELAY_NS_DEFAULT, DP_PAUSE_WATCHDOG_MS_DEFAULT,
		DP_WATCHDOG_HOLDDOWN_MS_DEFAULT, DP_DRAIN_TIMEOUT_MS_DEFAULT);
}

void
dp_opts_defaults(struct dp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->rx_port = -1;
	o->tx_port = -1;
	o->stages = 1;
	o->workers = 1;
	o->ring_size = DP_RING_SIZE_DEFAULT;
	o->burst = DP_BURST_DEFAULT;
	o->rx_desc = DP_RX_DESC_DEFAULT;
	o->tx_desc = DP_TX_DESC_DEFAULT;
	o->max_frame = DP_MAX_FRAME_DEFAULT;
	o->high_pct = WM_HIGH_PCT_DEFAULT;
	o->low_pct = WM_LOW_PCT_DEFAULT;
	o->watermarks = true;
	o->idle_sleep_us = DP_IDLE_SLEEP_US_DEFAULT;
	o->drain_timeout_ms = DP_DRAIN_TIMEOUT_MS_DEFAULT;
	o->malformed = DP_MALFORMED_FORWARD;
	o->fc_mode = DP_FC_HOLD;
	o->pause_time_us = DP_PAUSE_TIME_US_DEFAULT;
	o->headroom_delay_ns = DP_HEADROOM_DELAY_NS_DEFAULT;
	o->honor_pause = true;
	o->pause_watchdog_ms = DP_PAUSE_WATCHDOG_MS_DEFAULT;
	o->watchdog_holddown_ms = DP_WATCHDOG_HOLDDOWN_MS_DEFAULT;
	pkt_classifier_init(&o->classifier);
}

/* "3,5": a set of priorities 0-7, as a bit vector. */
static int
opt_priorities(struct dp_opts *o, const char *text)
{
	const char *p = text;
	uint8_t vec = 0;

	for (;;) {
		if (*p < '0' || *p > '7' || (p[1] != ',' && p[1] != '\0'))
			break;
		vec |= 1u << (*p - '0');
		if (p[1] == '\0') {
			o->hw_pfc = vec;
			return 0;
		}
		p += 2;
	}
	fprintf(stderr, "Error: --hw-pfc: '%s' is not a list of priorities "
		"0-7, e.g. 3,5\n", text);
	return -EINVAL;
}

static int
opt_stall(struct dp_opts *o, const char *text)
{
	unsigned int v[2];

	if (cli_fields(text, v, 2) < 0 || v[1] == 0 || v[0] > 3600000 ||
	    v[1] > 3600000) {
		fprintf(stderr, "Error: --stage-stall: '%s' is not AT_MS:LEN_MS "
			"with LEN above 0\n", text);
		return -EINVAL;
	}
	o->stall_at_ms = v[0];
	o->stall_len_ms = v[1];
	return 0;
}

static int
opt_ring_wm(struct dp_opts *o, const char *text)
{
	unsigned int v[3], ring, high, low;

	if (cli_fields(text, v, 3) < 0 || v[0] >= DP_MAX_RINGS ||
	    v[1] > 100 || v[2] >= v[1]) {
		fprintf(stderr, "Error: --ring-wm: '%s' is not RING:HIGH:LOW "
			"with RING below %u and 0 <= LOW < HIGH <= 100\n",
			text, DP_MAX_RINGS);
		return -EINVAL;
	}

	ring = v[0];
	high = v[1];
	low = v[2];
	o->ring_wm[ring].set = true;
	o->ring_wm[ring].high_pct = high;
	o->ring_wm[ring].low_pct = low;
	return 0;
}

static int
opt_port(const char *name, const char *text, int *out)
{
	unsigned int v;
	int rc = cli_uint(name, text, 0, UINT16_MAX - 1, &v);

	if (rc == 0)
		*out = (int)v;
	return rc;
}

static int
dp_opts_one(struct dp_opts *o, int c, const char *arg)
{
	unsigned int cls;
	int rc;

	switch (c) {
	case OPT_RX_PORT:
		return opt_port("rx-port", arg, &o->rx_port);
	case OPT_TX_PORT:
		return opt_port("tx-port", arg, &o->tx_port);
	case OPT_STAGES:
		return cli_uint("stages", arg, 1, DP_MAX_STAGES, &o->stages);
	case OPT_WORKERS:
		return cli_uint("workers", arg, 1, DP_MAX_WORKERS, &o->workers);
	case OPT_RING_SIZE:
		return cli_uint("ring-size", arg, 2, 1u << 24, &o->ring_size);
	case OPT_BURST:
		return cli_uint("burst", arg, 1, DP_BURST_MAX, &o->burst);
	case OPT_RX_DESC:
		return cli_uint("rx-desc", arg, 1, 1u << 15, &o->rx_desc);
	case OPT_TX_DESC:
		return cli_uint("tx-desc", arg, 1, 1u << 15, &o->tx_desc);
	case OPT_MAX_FRAME:
		return cli_uint("max-frame", arg, PKT_ETH_HLEN,
				DP_MAX_FRAME_MAX, &o->max_frame);
	case OPT_POOL_SIZE:
		return cli_u64("pool-size", arg, 1, DP_POOL_SIZE_MAX,
			       &o->pool_size);
	case OPT_HIGH:
		return cli_uint("high", arg, 1, 100, &o->high_pct);
	case OPT_LOW:
		return cli_uint("low", arg, 0, 99, &o->low_pct);
	case OPT_RING_WM:
		return opt_ring_wm(o, arg);
	case OPT_NO_WM:
		o->watermarks = false;
		return 0;
	case OPT_SHARED_RXTX:
		o->shared_rxtx = true;
		return 0;
	case OPT_STAGE_COST:
		return cli_u64("stage-cost-ns", arg, 0, 1000000000ull,
			       &o->stage_cost_ns);
	case OPT_DURATION:
		return cli_real("duration", arg, 1e7, &o->duration_s);
	case OPT_IDLE_EXIT:
		return cli_uint("idle-exit-ms", arg, 1, 3600000,
				&o->idle_exit_ms);
	case OPT_IDLE_SLEEP:
		return cli_uint("idle-sleep-us", arg, 0, 100000,
				&o->idle_sleep_us);
	case OPT_DRAIN_TIMEOUT:
		return cli_uint("drain-timeout-ms", arg, 1, 3600000,
				&o->drain_timeout_ms);
	case OPT_STATS_INTERVAL:
		rc = cli_real("stats-interval", arg, 1e7, &o->stats_interval_s);
		if (rc == 0 && o->stats_interval_s < 0.01) {
			fprintf(stderr, "Error: --stats-interval: '%s' is below "
				"0.01 s\n", arg);
			rc = -EINVAL;
		}
		return rc;
	case OPT_STATS_JSON:
		o->stats_json = arg;
		return 0;
	case OPT_MALFORMED:
		if (strcmp(arg, "forward") == 0) {
			o->malformed = DP_MALFORMED_FORWARD;
		} else if (strcmp(arg, "drop") == 0) {
			o->malformed = DP_MALFORMED_DROP;
		} else {
			fprintf(stderr, "Error: --malformed: '%s' is neither "
				"'forward' nor 'drop'\n", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_DSCP_MAP:
		rc = pkt_classifier_parse_map(&o->classifier, arg);
		if (rc < 0)
			fprintf(stderr, "Error: --dscp-map: '%s' is not "
				"DSCP=CLASS[,DSCP=CLASS...] with DSCP 0-63 and "
				"CLASS 0-7\n", arg);
		return rc;
	case OPT_FC_MODE:
		rc = dp_fc_mode_parse(arg, &o->fc_mode);
		if (rc < 0)
			fprintf(stderr, "Error: --fc-mode: '%s' is none of none, "
				"hold, pause, pfc, hw\n", arg);
		return rc;
	case OPT_PAUSE_TIME:
		/* below 20 us the refresh would flood the link */
		return cli_uint("pause-time-us", arg, 20, 100000,
				&o->pause_time_us);
	case OPT_HEADROOM_DELAY:
		return cli_uint("headroom-delay-ns", arg, 0, 100000000,
				&o->headroom_delay_ns);
	case OPT_HONOR_PAUSE:
		return cli_on_off("honor-pause", arg, &o->honor_pause);
	case OPT_WATCHDOG:
		return cli_uint("pause-watchdog-ms", arg, 0, 3600000,
				&o->pause_watchdog_ms);
	case OPT_HOLDDOWN:
		return cli_uint("watchdog-holddown-ms", arg, 1, 3600000,
				&o->watchdog_holddown_ms);
	case OPT_STALL:
		return opt_stall(o, arg);
	case OPT_HW_PFC:
		return opt_priorities(o, arg);
	case OPT_DEFAULT_CLASS:
		rc = cli_uint("default-class", arg, 0, PKT_CLASSES - 1, &cls);
		if (rc == 0)
			o->classifier.default_class = (uint8_t)cls;
		return rc;
	default:
		return -EINVAL;
	}
}

static int
dp_opts_check(const struct dp_opts *o)
{
	uint32_t high, low;
	unsigned int i;

	if (o->low_pct >= o->high_pct) {
		fprintf(stderr, "Error: --low %u must be below --high %u\n",
			o->low_pct, o->high_pct);
		return -EINVAL;
	}

	for (i = o->stages + 1; i < DP_MAX_RINGS; i++) {
		if (o->ring_wm[i].set) {
			fprintf(stderr, "Error: --ring-wm %u: there are only "
				"rings 0 to %u with --stages %u\n", i,
				o->stages, o->stages);
			return -EINVAL;
		}
	}

	if (o->hw_pfc && o->fc_mode != DP_FC_HW) {
		fprintf(stderr, "Error: --hw-pfc sets the NIC's PFC and needs "
			"--fc-mode hw (--fc-mode pfc sends PFC from sluice)\n");
		return -EINVAL;
	}

	if (dp_opts_lcores_needed(o) > RTE_MAX_LCORE) {
		fprintf(stderr, "Error: --stages %u x --workers %u need %u "
			"lcores; DPDK was built for at most %u\n", o->stages,
			o->workers, dp_opts_lcores_needed(o), RTE_MAX_LCORE);
		return -EINVAL;
	}

	if (o->ring_size < o->burst) {
		fprintf(stderr, "Error: --ring-size %u is smaller than "
			"--burst %u\n", o->ring_size, o->burst);
		return -EINVAL;
	}

	if (wm_thresholds(o->ring_size, o->high_pct, o->low_pct, &high,
			  &low) < 0) {
		fprintf(stderr, "Error: --high %u / --low %u leave no room "
			"between the marks of a %u-entry ring\n", o->high_pct,
			o->low_pct, o->ring_size);
		return -EINVAL;
	}

	return 0;
}

int
dp_opts_parse(struct dp_opts *o, int argc, char **argv)
{
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", dp_long_opts, NULL)) != -1) {
		if (c == 'h') {
			dp_opts_usage(stdout, argv[0]);
			return 1;
		}

		if (c == '?' || c == ':') {
			fprintf(stderr, "Error: option '%s' is unknown or lacks "
				"its value; try --help\n", argv[optind - 1]);
			return -EINVAL;
		}

		rc = dp_opts_one(o, c, optarg);
		if (rc < 0)
			return rc;
	}

	if (optind < argc) {
		fprintf(stderr, "Error: unexpected argument '%s'; try --help\n",
			argv[optind]);
		return -EINVAL;
	}

	return dp_opts_check(o);
}

unsigned int
dp_opts_lcores_needed(const struct dp_opts *o)
{
	/* main (TX and control), RX unless shared, the workers */
	return 1 + (o->shared_rxtx ? 0 : 1) + o->stages * o->workers;
}

static const char *const dp_fc_mode_names[] = {
	[DP_FC_NONE] = "none",
	[DP_FC_HOLD] = "hold",
	[DP_FC_PAUSE] = "pause",
	[DP_FC_PFC] = "pfc",
	[DP_FC_HW] = "hw",
};

const char *
dp_fc_mode_name(enum dp_fc_mode m)
{
	return m <= DP_FC_HW ? dp_fc_mode_names[m] : "unknown";
}

int
dp_fc_mode_parse(const char *text, enum dp_fc_mode *m)
{
	unsigned int i;

	for (i = 0; i <= DP_FC_HW; i++) {
		if (strcmp(text, dp_fc_mode_names[i]) == 0) {
			*m = i;
			return 0;
		}
	}
	return -EINVAL;
}

bool
dp_opts_is_own(const char *arg)
{
	const struct option *o;
	size_t n;

	if (strncmp(arg, "--", 2) != 0)
		return false;
	arg += 2;
	n = strcspn(arg, "=");
	for (o = dp_long_opts; o->name != NULL; o++)
		if (strlen(o->name) == n && strncmp(o->name, arg, n) == 0)
			return strcmp(o->name, "help") != 0;
	return false;
}
