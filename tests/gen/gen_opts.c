/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen's options: everything after the EAL arguments and "--". One
 * table holds each option's name, argument, the modes it applies to and
 * its help line; getopt's list and --help are both made from it.
 *
 * Each value is checked on its own as it is read; the checks that need
 * the whole command line (which mode, what excludes what) come after.
 * Anything that needs the port (link speed) is resolved at start-up.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "cliarg.h"
#include "gen.h"

#define M_GEN (1u << GEN_MODE_GEN)
#define M_SINK (1u << GEN_MODE_SINK)
#define M_EMIT (1u << GEN_MODE_EMIT)

enum gen_opt_id {
	OPT_TX_PORT = 0,
	OPT_RATE_PPS,
	OPT_RATE_PCT,
	OPT_SIZE,
	OPT_SIZE_MIX,
	OPT_COUNT,
	OPT_CLASSES,
	OPT_CLASS_MARK,
	OPT_HONOR_PAUSE,
	OPT_SINK,
	OPT_RX_PORT,
	OPT_EXPECT,
	OPT_IDLE_EXIT,
	OPT_EMIT_PAUSE,
	OPT_EMIT_PFC,
	OPT_EMIT_GAP,
	OPT_EMIT_DELAY,
	OPT_DURATION,
	OPT_BURST,
	OPT_LINGER,
	OPT_LINK_WAIT,
	OPT_STATS_JSON,
	OPT_HELP,
	OPT_MAX,
};

enum gen_opt_section {
	SEC_GEN = 0,
	SEC_SINK,
	SEC_EMIT,
	SEC_COMMON,
	SEC_MAX,
};

struct gen_optdef {
	const char *name;
	const char *arg;        /* NULL: takes none */
	uint8_t modes;          /* M_* where it means something */
	uint8_t section;
	const char *help;       /* lines after the first start with \n */
};

#define S(x) RTE_STR(x)

static const struct gen_optdef gen_optdefs[OPT_MAX] = {
	[OPT_TX_PORT] = { "tx-port", "N", M_GEN | M_EMIT, SEC_GEN,
		"port to send on; PAUSE/PFC are read from its RX\n"
		"(default 0)" },
	[OPT_RATE_PPS] = { "rate-pps", "N", M_GEN, SEC_GEN,
		"frames per second, all classes together" },
	[OPT_RATE_PCT] = { "rate-pct", "P", M_GEN, SEC_GEN,
		"percent of the link speed, with " S(GEN_WIRE_OVERHEAD)
		" bytes of FCS,\npreamble and gap per frame (default 100; "
		"10 Gb/s\nwhen the port reports no speed)" },
	[OPT_SIZE] = { "size", "BYTES", M_GEN, SEC_GEN,
		"frame length without FCS, " S(GEN_SIZE_MIN) "-"
		S(GEN_SIZE_MAX) " (default " S(GEN_SIZE_DEFAULT) ")" },
	[OPT_SIZE_MIX] = { "size-mix", "S:W,...", M_GEN, SEC_GEN,
		"weighted lengths, e.g. 64:7,594:4,1518:1" },
	[OPT_COUNT] = { "count", "N", M_GEN, SEC_GEN,
		"stop after N frames (sequence numbers 0 to N-1)" },
	[OPT_CLASSES] = { "classes", "C[:W],...", M_GEN, SEC_GEN,
		"class mix, e.g. 0,5 or 0:3,5:1 (default 0)" },
	[OPT_CLASS_MARK] = { "class-mark", "MARK", M_GEN, SEC_GEN,
		"pcp: 802.1Q tag, VID 1, PCP = class (default);\n"
		"dscp: untagged, DSCP = class << 3; both" },
	[OPT_HONOR_PAUSE] = { "honor-pause", "on|off", M_GEN, SEC_GEN,
		"obey received PAUSE/PFC (default on); off still\n"
		"counts them" },
	[OPT_SINK] = { "sink", NULL, M_SINK, SEC_SINK,
		"receive and check frames instead of sending" },
	[OPT_RX_PORT] = { "rx-port", "N", M_SINK, SEC_SINK,
		"port to receive on (default 0)" },
	[OPT_EXPECT] = { "expect", "N", M_SINK, SEC_SINK,
		"frames the generator attempted (its tx_attempted):\n"
		"lost then includes a lost tail" },
	[OPT_IDLE_EXIT] = { "idle-exit-ms", "MS", M_SINK, SEC_SINK,
		"stop once nothing came for MS ms (counted from the\n"
		"first frame received)" },
	[OPT_EMIT_PAUSE] = { "emit-pause", "Q,...", M_EMIT, SEC_EMIT,
		"send PAUSE frames of these quanta (0-65535) out of\n"
		"--tx-port instead of traffic, then exit" },
	[OPT_EMIT_PFC] = { "emit-pfc", "V:Q0/../Q7,...", M_EMIT, SEC_EMIT,
		"the same with PFC frames: enable vector V (0-255,\n"
		"0x.. allowed) and the eight quanta" },
	[OPT_EMIT_GAP] = { "emit-gap-us", "N", M_EMIT, SEC_EMIT,
		"time between two frames (default "
		S(GEN_EMIT_GAP_US_DEFAULT) ")" },
	[OPT_EMIT_DELAY] = { "emit-delay-ms", "MS", M_EMIT, SEC_EMIT,
		"time from link up to the first frame (default "
		S(GEN_EMIT_DELAY_MS_DEFAULT) ")" },
	[OPT_DURATION] = { "duration", "SEC", M_GEN | M_SINK, SEC_COMMON,
		"generator: stop sending after SEC s; sink: stop\n"
		"receiving (generator: this or --count is needed)" },
	[OPT_BURST] = { "burst", "N", M_GEN | M_SINK, SEC_COMMON,
		"frames per TX or RX burst, at most " S(GEN_BURST_MAX)
		" (default " S(GEN_BURST_DEFAULT) ")" },
	[OPT_LINGER] = { "linger-ms", "MS", M_GEN | M_EMIT, SEC_COMMON,
		"keep receiving this long after the last frame sent,\n"
		"before the report (default " S(GEN_LINGER_MS_DEFAULT) ")" },
	[OPT_LINK_WAIT] = { "link-wait-ms", "MS", M_GEN | M_EMIT, SEC_COMMON,
		"wait this long for the link before sending, then\n"
		"send anyway (default " S(GEN_LINK_WAIT_MS_DEFAULT) ")" },
	[OPT_STATS_JSON] = { "stats-json", "FILE", M_GEN | M_SINK | M_EMIT,
		SEC_COMMON, "write the results to FILE as JSON" },
	[OPT_HELP] = { "help", NULL, M_GEN | M_SINK | M_EMIT, SEC_COMMON,
		"this text" },
};

static const char *const gen_sections[SEC_MAX] = {
	[SEC_GEN] = "Generator options (the default mode):",
	[SEC_SINK] = "Sink options:",
	[SEC_EMIT] = "Emitter options:",
	[SEC_COMMON] = "Options of several modes:",
};

static const char *const gen_mode_names[] = {
	[GEN_MODE_GEN] = "the generator",
	[GEN_MODE_SINK] = "--sink",
	[GEN_MODE_EMIT] = "--emit-pause/--emit-pfc",
};

#define GEN_HELP_COL 28

/* "  --name ARG   help", continuation lines aligned under the help. */
static void
gen_usage_opt(FILE *f, const struct gen_optdef *d)
{
	const char *h = d->help, *nl;
	int w;

	w = fprintf(f, "  %s--%s%s%s", d == &gen_optdefs[OPT_HELP] ?
		    "-h, " : "", d->name, d->arg ? " " : "",
		    d->arg ? d->arg : "");
	if (w >= GEN_HELP_COL - 1) {
		fprintf(f, "\n");
		w = 0;
	}
	while ((nl = strchr(h, '\n')) != NULL) {
		fprintf(f, "%*s%.*s\n", GEN_HELP_COL - w, "", (int)(nl - h), h);
		h = nl + 1;
		w = 0;
	}
	fprintf(f, "%*s%s\n", GEN_HELP_COL - w, "", h);
}

void
gen_opts_usage(FILE *f, const char *prog)
{
	unsigned int s, i;

	fprintf(f,
"Usage: %s [EAL options] -- [options]\n"
"\n"
"Sends paced, numbered UDP frames on one port and obeys the PAUSE/PFC\n"
"frames that come back (default); or receives and checks them (--sink);\n"
"or sends given PAUSE/PFC frames (--emit-pause, --emit-pfc). Prints a\n"
"report at the end; --stats-json writes the same as JSON.\n", prog);

	for (s = 0; s < SEC_MAX; s++) {
		fprintf(f, "\n%s\n", gen_sections[s]);
		for (i = 0; i < OPT_MAX; i++)
			if (gen_optdefs[i].section == s)
				gen_usage_opt(f, &gen_optdefs[i]);
	}

	fprintf(f,
"\n"
"Exit status: 0 done, 1 bad options or set-up failure.\n"
"Note: --size below what the headers and the 24-byte sluice-gen header\n"
"  need is raised to 66 bytes (70 with a tag), and said so at start\n"
"Note: a frame the port does not take at once is lost (wire_lost), never\n"
"  retried; over memif a slow sink shows up there, not as sink loss\n"
"Note: a PFC-paused class skips its turns; they are not sent later\n"
"Note: latency needs both ends on one machine (one TSC); percentiles are\n"
"  up to 6.25%% high (histogram buckets)\n"
"Note: over net_memif, a size mix with frames both within and above its\n"
"  buffer size (bsize=, default 2048) is refused: DPDK 22.11's memif\n"
"  corrupts its ring on such a mix; give bsize=9216 to both ends\n"
"Note: one TX and one RX queue on one lcore; the sink's loss and order\n"
"  verdicts are exact within a window of 2^24 sequence numbers (more\n"
"  with --expect, up to 2^28)\n");
}

static int
gen_opt_port(const char *name, const char *text, uint16_t *out)
{
	unsigned int v;
	int rc = cli_uint(name, text, 0, RTE_MAX_ETHPORTS - 1, &v);

	if (rc == 0)
		*out = (uint16_t)v;
	return rc;
}

static int
gen_opt_mix(const char *name, const char *text, uint32_t min, uint32_t max,
	    struct gen_mix *m)
{
	char err[160];
	int rc = gen_mix_parse(text, min, max, m, err, sizeof(err));

	if (rc < 0)
		fprintf(stderr, "Error: --%s: %s\n", name, err);
	return rc;
}

/* @text must be one of @a (value 0), @b (1), @c (2, if not NULL). */
static int
gen_opt_word(const char *name, const char *text, const char *a,
	     const char *b, const char *c, unsigned int *out)
{
	if (strcmp(text, a) == 0)
		*out = 0;
	else if (strcmp(text, b) == 0)
		*out = 1;
	else if (c != NULL && strcmp(text, c) == 0)
		*out = 2;
	else {
		fprintf(stderr, "Error: --%s: '%s' is not %s%s%s or %s\n",
			name, text, a, c ? ", " : "", c ? b : "", c ? c : b);
		return -EINVAL;
	}
	return 0;
}

/* One number of a list, base 0 (hex allowed) when @any_base. */
static const char *
gen_list_num(const char *p, unsigned long max, bool any_base,
	     unsigned long *out)
{
	char *end;

	if (*p < '0' || *p > '9')
		return NULL;
	errno = 0;
	*out = strtoul(p, &end, any_base ? 0 : 10);
	if (errno != 0 || *out > max)
		return NULL;
	return end;
}

/* "V:Q0/Q1/../Q7": one PFC frame; returns where it stopped, or NULL. */
static const char *
gen_emit_pfc_item(const char *p, struct gen_emit_frame *e)
{
	unsigned long v;
	unsigned int c;

	p = gen_list_num(p, 0xff, true, &v);
	if (p == NULL || *p != ':')
		return NULL;
	e->pfc = true;
	e->enable = (uint8_t)v;

	for (c = 0; c < GEN_CLASSES; c++) {
		p = gen_list_num(p + 1, FC_QUANTA_MAX, false, &v);
		if (p == NULL || (c + 1 < GEN_CLASSES && *p != '/'))
			return NULL;
		e->quanta[c] = (uint16_t)v;
	}
	return p;
}

static const char *
gen_emit_pause_item(const char *p, struct gen_emit_frame *e)
{
	unsigned long v;
	unsigned int c;

	p = gen_list_num(p, FC_QUANTA_MAX, false, &v);
	if (p == NULL)
		return NULL;
	e->pfc = false;
	e->enable = 0xff;
	for (c = 0; c < GEN_CLASSES; c++)
		e->quanta[c] = (uint16_t)v;
	return p;
}

static int
gen_opt_emit(struct gen_opts *o, const char *text, bool pfc)
{
	const char *p = text;

	o->n_emit = 0;
	do {
		struct gen_emit_frame *e = &o->emit[o->n_emit];

		if (o->n_emit == GEN_EMIT_MAX)
			p = NULL;
		else if (pfc)
			p = gen_emit_pfc_item(p, e);
		else
			p = gen_emit_pause_item(p, e);
		if (p == NULL || (*p != ',' && *p != '\0')) {
			fprintf(stderr, "Error: --emit-%s: '%s' is not a list "
				"of at most %u %s\n", pfc ? "pfc" : "pause",
				text, GEN_EMIT_MAX, pfc ?
				"VEC:Q0/Q1/Q2/Q3/Q4/Q5/Q6/Q7 (VEC 0-255, Q "
				"0-65535)" : "quanta (0-65535)");
			return -EINVAL;
		}
		o->n_emit++;
	} while (*p++ == ',');
	return 0;
}

static int
gen_opt_one_gen(struct gen_opts *o, int id, const char *arg)
{
	unsigned int v = 0;
	uint64_t u;
	int rc;

	switch (id) {
	case OPT_TX_PORT:
		return gen_opt_port("tx-port", arg, &o->tx_port);
	case OPT_RATE_PPS:
		return cli_u64("rate-pps", arg, 1, GEN_RATE_PPS_MAX,
				   &o->rate_pps);
	case OPT_RATE_PCT:
		return cli_real("rate-pct", arg, 100, &o->rate_pct);
	case OPT_SIZE:
		rc = cli_u64("size", arg, GEN_SIZE_MIN, GEN_SIZE_MAX, &u);
		if (rc == 0)
			o->sizes = (struct gen_mix){ 1, { (uint32_t)u },
						     { 1 } };
		return rc;
	case OPT_SIZE_MIX:
		return gen_opt_mix("size-mix", arg, GEN_SIZE_MIN, GEN_SIZE_MAX,
				   &o->sizes);
	case OPT_COUNT:
		return cli_u64("count", arg, 1, GEN_COUNT_MAX, &o->count);
	case OPT_CLASSES:
		return gen_opt_mix("classes", arg, 0, GEN_CLASSES - 1,
				   &o->classes);
	case OPT_CLASS_MARK:
		rc = gen_opt_word("class-mark", arg, "pcp", "dscp", "both", &v);
		o->mark = (enum gen_mark)v;
		return rc;
	case OPT_HONOR_PAUSE:
		rc = gen_opt_word("honor-pause", arg, "on", "off", NULL, &v);
		o->honor_pause = v == 0;
		return rc;
	default:
		return -ENOENT;
	}
}

static int
gen_opt_one(struct gen_opts *o, int id, const char *arg)
{
	int rc = gen_opt_one_gen(o, id, arg);

	if (rc != -ENOENT)
		return rc;

	switch (id) {
	case OPT_SINK:
		return 0;
	case OPT_RX_PORT:
		return gen_opt_port("rx-port", arg, &o->rx_port);
	case OPT_EXPECT:
		return cli_u64("expect", arg, 1, GEN_COUNT_MAX, &o->expect);
	case OPT_IDLE_EXIT:
		return cli_uint("idle-exit-ms", arg, 1, 3600000,
				    &o->idle_exit_ms);
	case OPT_EMIT_PAUSE:
		return gen_opt_emit(o, arg, false);
	case OPT_EMIT_PFC:
		return gen_opt_emit(o, arg, true);
	case OPT_EMIT_GAP:
		return cli_uint("emit-gap-us", arg, 0, 10000000,
				    &o->emit_gap_us);
	case OPT_EMIT_DELAY:
		return cli_uint("emit-delay-ms", arg, 0, 3600000,
				    &o->emit_delay_ms);
	case OPT_DURATION:
		return cli_real("duration", arg, 1e7, &o->duration_s);
	case OPT_BURST:
		return cli_uint("burst", arg, 1, GEN_BURST_MAX, &o->burst);
	case OPT_LINGER:
		return cli_uint("linger-ms", arg, 0, 3600000,
				    &o->linger_ms);
	case OPT_LINK_WAIT:
		return cli_uint("link-wait-ms", arg, 0, 3600000,
				    &o->link_wait_ms);
	case OPT_STATS_JSON:
		o->stats_json = arg;
		return 0;
	default:
		return -EINVAL;
	}
}

static void
gen_opts_defaults(struct gen_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->burst = GEN_BURST_DEFAULT;
	o->sizes = (struct gen_mix){ 1, { GEN_SIZE_DEFAULT }, { 1 } };
	o->classes = (struct gen_mix){ 1, { 0 }, { 1 } };
	o->mark = GEN_MARK_PCP;
	o->honor_pause = true;
	o->linger_ms = GEN_LINGER_MS_DEFAULT;
	o->link_wait_ms = GEN_LINK_WAIT_MS_DEFAULT;
	o->emit_gap_us = GEN_EMIT_GAP_US_DEFAULT;
	o->emit_delay_ms = GEN_EMIT_DELAY_MS_DEFAULT;
}

/* Two options given together that exclude each other. */
static int
gen_opts_exclusive(const bool *given, int a, int b)
{
	if (!given[a] || !given[b])
		return 0;
	fprintf(stderr, "Error: --%s and --%s exclude each other\n",
		gen_optdefs[a].name, gen_optdefs[b].name);
	return -EINVAL;
}

static int
gen_opts_mode(struct gen_opts *o, const bool *given)
{
	bool emit = given[OPT_EMIT_PAUSE] || given[OPT_EMIT_PFC];
	int i;

	if (gen_opts_exclusive(given, OPT_EMIT_PAUSE, OPT_EMIT_PFC) < 0)
		return -EINVAL;
	if (given[OPT_SINK] && emit) {
		fprintf(stderr, "Error: --sink: excludes --emit-pause and "
			"--emit-pfc\n");
		return -EINVAL;
	}
	o->mode = given[OPT_SINK] ? GEN_MODE_SINK :
		  emit ? GEN_MODE_EMIT : GEN_MODE_GEN;

	for (i = 0; i < OPT_MAX; i++) {
		if (given[i] && !(gen_optdefs[i].modes & (1u << o->mode))) {
			fprintf(stderr, "Error: --%s: not used by %s; try "
				"--help\n", gen_optdefs[i].name,
				gen_mode_names[o->mode]);
			return -EINVAL;
		}
	}
	return 0;
}

static int
gen_opts_check(struct gen_opts *o, const bool *given)
{
	if (gen_opts_mode(o, given) < 0 ||
	    gen_opts_exclusive(given, OPT_RATE_PPS, OPT_RATE_PCT) < 0 ||
	    gen_opts_exclusive(given, OPT_SIZE, OPT_SIZE_MIX) < 0)
		return -EINVAL;

	if (o->mode != GEN_MODE_GEN)
		return 0;
	if (o->count == 0 && o->duration_s == 0) {
		fprintf(stderr, "Error: the generator needs --count or "
			"--duration (or both); try --help\n");
		return -EINVAL;
	}
	if (o->rate_pps == 0 && o->rate_pct == 0)
		o->rate_pct = 100;
	return 0;
}

static void
gen_opts_table(struct option *lo)
{
	int i;

	for (i = 0; i < OPT_MAX; i++)
		lo[i] = (struct option){ gen_optdefs[i].name,
			gen_optdefs[i].arg ? required_argument : no_argument,
			NULL, 256 + i };
	lo[OPT_MAX] = (struct option){ NULL, 0, NULL, 0 };
}

int
gen_opts_parse(struct gen_opts *o, int argc, char **argv)
{
	struct option lo[OPT_MAX + 1];
	bool given[OPT_MAX] = { false };
	int c, rc;

	gen_opts_defaults(o);
	gen_opts_table(lo);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'h' || c == 256 + OPT_HELP) {
			gen_opts_usage(stdout, argv[0]);
			return 1;
		}
		if (c < 256 || c >= 256 + OPT_MAX) {
			fprintf(stderr, "Error: option '%s' is unknown or "
				"lacks its value; try --help\n",
				argv[optind - 1]);
			return -EINVAL;
		}

		rc = gen_opt_one(o, c - 256, optarg);
		if (rc < 0)
			return rc;
		given[c - 256] = true;
	}

	if (optind < argc) {
		fprintf(stderr, "Error: unexpected argument '%s'; try --help\n",
			argv[optind]);
		return -EINVAL;
	}
	return gen_opts_check(o, given);
}
