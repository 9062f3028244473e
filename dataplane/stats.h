/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A snapshot of every counter, and the two ways it is printed: one line for
 * --stats-interval and a JSON document for --stats-json. The pipeline fills
 * the snapshot; this file only formats it.
 */
#ifndef SLUICE_STATS_H
#define SLUICE_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "acct.h"
#include "opts.h"

#define STATS_NAME_LEN 32
#define STATS_MAX_TASKS (2 + DP_MAX_STAGES * DP_MAX_WORKERS)

struct stats_ring {
	char name[STATS_NAME_LEN];
	uint32_t capacity;
	uint32_t high;
	uint32_t low;
	uint32_t occupancy;
	uint32_t max_occupancy;
	bool asserted;
	uint64_t xoff_count;
	uint64_t xoff_time_us;
};

struct stats_port {
	uint16_t port_id;
	const char *role;       /* "ingress", "egress" or "ingress+egress" */
	uint64_t ipackets;      /* the port's own counters */
	uint64_t opackets;
	uint64_t nic[ACCT_NIC_MAX];
};

struct stats_task {
	char name[STATS_NAME_LEN];
	unsigned int lcore;
	uint64_t packets;
	uint64_t busy_cycles;
};

/* PAUSE/PFC sent upstream and received from downstream. */
struct stats_fc {
	const char *mode;
	uint32_t speed_mbps;
	uint16_t quanta;
	uint64_t xoff_sent[PKT_CLASSES];
	uint64_t xon_sent[PKT_CLASSES];
	uint64_t xoff_time_us[PKT_CLASSES];
	uint64_t frames_sent;
	uint64_t refreshes;
	uint64_t send_failed;
	uint64_t pause_rx;
	uint64_t pfc_rx;
	uint64_t xon_rx;
	uint64_t malformed_rx;
	uint64_t paused_by_peer_us;
	uint64_t egress_rx_other;
	uint64_t watchdog_trips[PKT_CLASSES];
	uint64_t watchdog_restores[PKT_CLASSES];
	uint64_t shed[PKT_CLASSES];
	uint64_t reaction_samples;
	uint64_t reaction_cycles[3]; /* p50, p99, max */
};

struct stats_snapshot {
	double elapsed_s;
	uint64_t tsc_hz;
	bool watermarks;
	struct acct_total total;
	unsigned int n_rings;
	struct stats_ring rings[DP_MAX_RINGS];
	unsigned int n_ports;
	struct stats_port ports[2];
	unsigned int n_tasks;
	struct stats_task tasks[STATS_MAX_TASKS];
	uint64_t rx_hold_us;    /* time the RX lcore did not poll */
	struct stats_fc fc;
	uint64_t pool_size;
	uint64_t pool_required;
	uint64_t pool_in_use;
	bool drained;           /* final snapshot, after the drain */
};

/* One line of live counters, no trailing newline handling needed. */
void stats_print_line(FILE *f, const struct stats_snapshot *s);

/* Write the snapshot as JSON to @path. Returns 0 or -errno. */
int stats_write_json(const char *path, const struct stats_snapshot *s);

/* Human-readable final report. */
void stats_print_report(FILE *f, const struct stats_snapshot *s);

#endif /* SLUICE_STATS_H */
