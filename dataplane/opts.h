/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-dp's own options: everything after the EAL arguments and "--".
 * Parsing only checks each value on its own; checks that need the ports
 * or the lcores happen when those are set up.
 */
#ifndef SLUICE_OPTS_H
#define SLUICE_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pkt.h"

#define DP_MAX_STAGES 8
#define DP_MAX_WORKERS 16
#define DP_MAX_RINGS (DP_MAX_STAGES + 1)

#define DP_RING_SIZE_DEFAULT 1024
#define DP_BURST_DEFAULT 32
#define DP_BURST_MAX 256
#define DP_RX_DESC_DEFAULT 1024
#define DP_TX_DESC_DEFAULT 1024
#define DP_MAX_FRAME_DEFAULT 9216   /* bytes: 9000-byte MTU, two tags */
#define DP_MAX_FRAME_MAX 16128      /* the largest net_pcap can write */
#define DP_IDLE_SLEEP_US_DEFAULT 200
#define DP_POOL_SIZE_MAX (1u << 28) /* rte_mempool breaks well before 2^31 */
#define DP_DRAIN_TIMEOUT_MS_DEFAULT 2000

#define DP_PAUSE_TIME_US_DEFAULT 1000
#define DP_HEADROOM_DELAY_NS_DEFAULT 1000
#define DP_PAUSE_WATCHDOG_MS_DEFAULT 1000
#define DP_WATCHDOG_HOLDDOWN_MS_DEFAULT 100

/* How sluice reacts to pressure; see fcctl.h and the README. */
enum dp_fc_mode {
	DP_FC_NONE = 0, /* nothing but the ring-full retry */
	DP_FC_HOLD,     /* RX stops polling while pressure lasts */
	DP_FC_PAUSE,    /* 802.3x PAUSE out of the ingress port */
	DP_FC_PFC,      /* 802.1Qbb PFC per class */
	DP_FC_HW,       /* the NIC's own flow control, plus hold */
};

enum dp_malformed_policy {
	DP_MALFORMED_FORWARD = 0,
	DP_MALFORMED_DROP,
};

struct dp_ring_wm {
	bool set;
	unsigned int high_pct;
	unsigned int low_pct;
};

struct dp_opts {
	int rx_port;            /* -1: default (port 0) */
	int tx_port;            /* -1: default (port 1, or 0 with one port) */
	unsigned int stages;
	unsigned int workers;   /* per stage */
	unsigned int ring_size; /* usable entries per ring */
	unsigned int burst;
	unsigned int rx_desc;
	unsigned int tx_desc;
	unsigned int max_frame;
	uint64_t pool_size;     /* 0: computed */
	unsigned int high_pct;
	unsigned int low_pct;
	struct dp_ring_wm ring_wm[DP_MAX_RINGS];
	bool watermarks;        /* false: no occupancy checks (benchmarks) */
	bool shared_rxtx;       /* RX and TX on the main lcore */
	uint64_t stage_cost_ns;
	double duration_s;      /* 0: until SIGINT/SIGTERM */
	unsigned int idle_exit_ms;
	unsigned int idle_sleep_us;
	unsigned int drain_timeout_ms;
	double stats_interval_s;
	const char *stats_json;
	enum dp_malformed_policy malformed;
	enum dp_fc_mode fc_mode;
	unsigned int pause_time_us;
	unsigned int headroom_delay_ns;
	bool honor_pause;       /* hold TX on PAUSE/PFC from downstream */
	uint8_t hw_pfc;         /* hw mode: priorities to set PFC on, or 0 */
	unsigned int pause_watchdog_ms;    /* 0: off */
	unsigned int watchdog_holddown_ms;
	unsigned int stall_at_ms;          /* --stage-stall, for tests */
	unsigned int stall_len_ms;         /* 0: no stall */
	struct pkt_classifier classifier;
	bool demo;
};

void dp_opts_defaults(struct dp_opts *o);

/*
 * Parse argv (argv[0] is the program name, as getopt wants). On error,
 * prints "Error: ..." naming the option to stderr and returns -EINVAL;
 * returns 1 when --help was asked for (usage already printed), else 0.
 */
int dp_opts_parse(struct dp_opts *o, int argc, char **argv);

void dp_opts_usage(FILE *f, const char *prog);

const char *dp_fc_mode_name(enum dp_fc_mode m);
int dp_fc_mode_parse(const char *text, enum dp_fc_mode *m);

/* True when @arg is one of sluice-dp's own long options (not --help). */
bool dp_opts_is_own(const char *arg);

/* Number of lcores the options need, the main lcore included. */
unsigned int dp_opts_lcores_needed(const struct dp_opts *o);

#endif /* SLUICE_OPTS_H */
