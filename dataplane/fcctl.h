/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flow control on the wire, the dataplane side: turns the watermarks'
 * pressure into PAUSE or PFC frames out of the ingress port, and turns
 * PAUSE/PFC frames from downstream into a hold on the TX lcore.
 *
 * Emission: whichever lcore makes a ring's pressure change calls
 * dp_fc_update(), which compares the classes that should be paused with
 * the classes the peer was last told about and sends the difference at
 * once (XOFF with the configured quanta, XON with 0). The RX lcore calls
 * dp_fc_poll() on every iteration to refresh XOFF before it runs out.
 * Frames go out on a TX queue no data ever uses (queue 0 of the ingress
 * port when it is not also the egress port, else queue 1), from a mempool
 * of their own, so neither queued data nor an empty data pool can delay
 * them. A spinlock serialises the senders; it is taken only on a change
 * of state or a refresh, never per packet.
 */
#ifndef SLUICE_FCCTL_H
#define SLUICE_FCCTL_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_spinlock.h>

#include "fc.h"
#include "opts.h"

struct dp_app;
struct rte_mbuf;

#define DP_FC_POOL_SIZE 255
#define DP_FC_REACT_SAMPLES 65536 /* most recent XOFF reaction times kept */

struct dp_fc_counters {
	uint64_t xoff_sent[FC_CLASSES];
	uint64_t xon_sent[FC_CLASSES];
	uint64_t xoff_cycles[FC_CLASSES]; /* time each class was paused */
	uint64_t frames_sent;             /* PAUSE/PFC frames, refreshes in */
	uint64_t refreshes;
	uint64_t send_failed;             /* queue full or no mbuf: retried */
	uint64_t react_n;                 /* XOFF reactions measured */
};

/* What the peer told us, written by the lcore that receives it. */
struct dp_fc_rx {
	uint64_t pause_rx;        /* PAUSE frames with a time above 0 */
	uint64_t pfc_rx;          /* PFC frames with a time above 0 */
	uint64_t xon_rx;          /* PAUSE 0, or PFC with all times 0 */
	uint64_t malformed;       /* MAC control runts, unknown opcodes */
	uint64_t paused_until[FC_CLASSES]; /* TSC */
	uint64_t paused_cycles;   /* time TX held because of them */
	uint64_t egress_other;    /* other frames on the egress RX: freed */
};

struct dp_fc {
	enum dp_fc_mode mode;
	uint16_t port;            /* where XOFF/XON go: the ingress port */
	uint16_t queue;           /* the reserved control queue */
	uint8_t mac[6];
	uint32_t speed_mbps;      /* 0: unknown, FC_FALLBACK_SPEED_MBPS used */
	uint32_t peer_speed_mbps; /* of the port PAUSE arrives on */
	uint16_t quanta;          /* XOFF time */
	uint64_t refresh_cycles;  /* resend XOFF this long after the last */
	struct rte_mempool *pool;

	rte_spinlock_t lock;
	uint8_t sent;             /* classes the peer was told to pause */
	uint64_t last_sent;       /* TSC of the last frame */
	uint64_t since[FC_CLASSES];
	struct dp_fc_counters c;  /* under the lock */
	uint32_t *react;          /* cycles from crossing to XOFF handed over */

	struct dp_fc_rx rx;

	/* pause watchdog: the main lcore's alone */
	uint64_t calm_since[FC_CLASSES];
	uint64_t wd_trips[FC_CLASSES];
	uint64_t wd_restores[FC_CLASSES];
};

/* After the ports are configured: MAC, speed, pool, headroom check. */
int dp_fc_init(struct dp_app *app);

/* Send what changed since the peer was last told; see the file comment. */
void dp_fc_update(struct dp_app *app);

/* Refresh XOFF when due; cheap when there is nothing to do. */
void dp_fc_refresh(struct dp_app *app, uint64_t now);

/*
 * Reaction time percentiles (cycles) over the kept samples: from the
 * enqueue or dequeue that crossed a high mark to its XOFF handed to the
 * TX queue. Returns the number of samples.
 */
uint64_t dp_fc_reaction(struct dp_app *app, uint64_t *p50, uint64_t *p99,
			uint64_t *max);

/* At exit: XON for every class still paused. */
void dp_fc_finish(struct dp_app *app);

/*
 * A MAC control frame arrived (ethertype 0x8808): count it and, when
 * @honor, hold TX as it asks. The caller frees the mbuf.
 */
void dp_fc_receive(struct dp_app *app, struct rte_mbuf *m, bool honor);

/*
 * Pause watchdog, from the main lcore's control step: a class that held
 * XOFF for --pause-watchdog-ms is shed at admission instead and gets XON;
 * it is restored after its occupancy stayed under the low mark for
 * --watchdog-holddown-ms.
 */
void dp_fc_watchdog(struct dp_app *app, uint64_t now);

/* True while the peer downstream has paused any class. */
bool dp_fc_tx_paused(struct dp_app *app, uint64_t now);

#endif /* SLUICE_FCCTL_H */
