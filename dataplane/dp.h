/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-dp internals shared by main.c, ports.c and pipeline.c.
 *
 * Shape: an RX task, S processing stages of W workers each, a TX task.
 * Ring i feeds stage i; ring S feeds TX. Every task runs on exactly one
 * lcore and owns its counters; the main lcore runs TX (and RX with
 * --shared-rxtx) between its control duties.
 */
#ifndef SLUICE_DP_H
#define SLUICE_DP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "acct.h"
#include "fcctl.h"
#include "opts.h"
#include "pool.h"
#include "stats.h"
#include "wm.h"

extern int dp_logtype;

#define DP_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, dp_logtype, "sluice-dp: " __VA_ARGS__)

#define DP_MBUF_CACHE 256
#define DP_CTRL_PERIOD_US 1000   /* main lcore's control step */
#define DP_IDLE_SPIN_POLLS 64    /* empty polls before an lcore sleeps */
#define DP_PEER_RX_EVERY 8       /* TX polls between reads of egress RX */
#define DP_PEER_RX_BURST 8

enum dp_task_kind {
	DP_TASK_RX = 0,
	DP_TASK_WORKER,
	DP_TASK_TX,
};

/* Mbufs a task took but could not yet pass on. */
struct dp_pending {
	struct rte_mbuf *pkts[DP_BURST_MAX];
	uint16_t head;
	uint16_t count;
};

struct dp_task {
	enum dp_task_kind kind;
	unsigned int stage;     /* workers */
	unsigned int index;     /* worker index within its stage */
	unsigned int lcore;
	bool done;
	char name[STATS_NAME_LEN];
	struct dp_pending pend;

	/* written only by the task's lcore */
	struct acct_lcore acct;
	uint32_t max_occ;       /* of the ring this task produces into */
	uint64_t packets;       /* handled, for cycles per packet */
	uint64_t busy_cycles;
	uint64_t hold_cycles;   /* RX: time not polling under pressure */
	uint64_t hold_start;    /* RX: TSC the running hold began, or 0 */
	uint64_t idle_since;    /* RX: TSC of the first empty poll, or 0 */
	uint64_t paused_start;  /* TX: TSC a downstream pause began, or 0 */
	uint64_t cls_in[PKT_CLASSES];  /* RX: admitted into ring0, per class */
	uint64_t cls_out[PKT_CLASSES]; /* RX ring_full, TX sent: left again */
	uint64_t shed[PKT_CLASSES];    /* RX: shed by the pause watchdog */
	uint64_t peer_polls;    /* TX: polls since the egress RX was read */
} __rte_cache_aligned;

struct dp_ring {
	struct rte_ring *r;
	struct wm wm;
	char name[STATS_NAME_LEN];
};

struct dp_app {
	struct dp_opts opts;
	uint16_t rx_port;
	uint16_t tx_port;
	uint16_t n_ports_used;

	struct rte_mempool *pool;
	struct pool_size pool_need;
	uint64_t pool_size;
	int meta_off;           /* mbuf dynfield: class and flags */

	unsigned int n_rings;
	struct dp_ring rings[DP_MAX_RINGS];
	uint32_t pressure;      /* rings asserted right now */
	uint8_t class_pressure; /* pfc: classes asserted right now */
	uint8_t shed;           /* classes the watchdog sheds at admission */
	bool pfc;               /* per-class occupancy is tracked */
	struct wm cls_wm[PKT_CLASSES]; /* pfc: marks on class occupancy */
	struct dp_fc fc;
	bool rx_holds;          /* hold and hw modes: RX stops polling */
	bool fc_on_wire;        /* pause and pfc modes: XOFF to refresh */
	bool honor_at_rx;       /* one port: PAUSE/PFC arrive through RX */
	bool honor_at_tx;       /* two ports: TX reads the egress RX for them */

	unsigned int n_tasks;
	struct dp_task *tasks;  /* rte_zmalloc'd, cache aligned */

	/* control -> lcores */
	volatile bool stop_rx;
	volatile bool abort_drain;

	/* lcores -> downstream lcores */
	uint32_t rx_done;
	uint32_t stage_done[DP_MAX_STAGES];

	uint64_t tsc_hz;
	uint64_t start_tsc;
	uint64_t cost_cycles;   /* per packet, last stage */
	uint64_t stall_from;    /* TSC window of --stage-stall, 0: none */
	uint64_t stall_until;
	struct acct_lcore ctl_acct; /* drops the main lcore counts at exit */
};

static inline uint8_t *
dp_meta(const struct dp_app *app, struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, app->meta_off, uint8_t *);
}

/* ports.c */
int dp_ports_init(struct dp_app *app);
void dp_ports_close(struct dp_app *app);
void dp_ports_read(const struct dp_app *app, struct stats_snapshot *s);
int dp_ports_flow_ctrl_hw(struct dp_app *app);

/* pipeline.c */
int dp_pipeline_create(struct dp_app *app);
void dp_pipeline_free(struct dp_app *app);
int dp_lcore_main(void *arg);
void dp_main_lcore_tasks(struct dp_app *app, bool (*control)(struct dp_app *));
unsigned int dp_pipeline_flush_rings(struct dp_app *app);
void dp_pipeline_snapshot(struct dp_app *app, struct stats_snapshot *s);
bool dp_tasks_done(const struct dp_app *app);
uint32_t dp_class_occupancy(const struct dp_app *app, unsigned int cls);
int dp_class_marks_init(struct dp_app *app);

#endif /* SLUICE_DP_H */
