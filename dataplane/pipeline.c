/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lcore loops. RX parses and classifies while the frame is still hot in
 * its cache, workers pass mbufs on (the last stage pays --stage-cost-ns),
 * TX hands them to the egress port. A task that cannot pass its burst on
 * keeps it (struct dp_pending) and retries: nothing is dropped for want of
 * ring space or TX descriptors. The RX task stops polling while any ring
 * is under pressure (hold), so a real NIC's own flow control can act.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "dp.h"
#include "pkt.h"

#define DP_PARSE_COPY 256 /* header bytes copied out of a chained mbuf */

static uint64_t
dp_clock(void)
{
	return rte_rdtsc();
}

static const char *
dp_task_kind_name(enum dp_task_kind k)
{
	return k == DP_TASK_RX ? "rx" : k == DP_TASK_TX ? "tx" : "worker";
}

/* Ring flags: single or multi producer/consumer from the stage widths. */
static unsigned int
dp_ring_flags(const struct dp_opts *o, unsigned int i)
{
	unsigned int flags = RING_F_EXACT_SZ;

	if (i == 0 || o->workers == 1)
		flags |= RING_F_SP_ENQ;
	if (i == o->stages || o->workers == 1)
		flags |= RING_F_SC_DEQ;
	return flags;
}

static int
dp_rings_create(struct dp_app *app)
{
	const struct dp_opts *o = &app->opts;
	unsigned int i, high, low;
	struct dp_ring *dr;
	int rc;

	app->n_rings = o->stages + 1;
	for (i = 0; i < app->n_rings; i++) {
		dr = &app->rings[i];
		snprintf(dr->name, sizeof(dr->name), "ring%u", i);
		dr->r = rte_ring_create(dr->name, o->ring_size, rte_socket_id(),
					dp_ring_flags(o, i));
		if (dr->r == NULL) {
			DP_LOG(ERR, "ring %s: create failed: %s\n", dr->name,
			       rte_strerror(rte_errno));
			return -rte_errno;
		}

		high = o->ring_wm[i].set ? o->ring_wm[i].high_pct : o->high_pct;
		low = o->ring_wm[i].set ? o->ring_wm[i].low_pct : o->low_pct;
		rc = wm_init(&dr->wm, rte_ring_get_capacity(dr->r), high, low,
			     dp_clock, &app->pressure);
		if (rc < 0) {
			DP_LOG(ERR, "ring %s: marks %u%%/%u%% leave no room "
			       "between them in %u entries\n", dr->name, high,
			       low, rte_ring_get_capacity(dr->r));
			return rc;
		}
	}

	return 0;
}

static void
dp_task_set(struct dp_task *t, enum dp_task_kind kind, unsigned int stage,
	    unsigned int index)
{
	t->kind = kind;
	t->stage = stage;
	t->index = index;
	if (kind == DP_TASK_WORKER)
		snprintf(t->name, sizeof(t->name), "s%uw%u", stage, index);
	else
		snprintf(t->name, sizeof(t->name), "%s",
			 dp_task_kind_name(kind));
}

/* Tasks in pipeline order: RX, stage 0 workers, ..., TX. */
static int
dp_tasks_create(struct dp_app *app)
{
	const struct dp_opts *o = &app->opts;
	unsigned int s, w, n = 0;

	app->n_tasks = 2 + o->stages * o->workers;
	app->tasks = rte_zmalloc("sluice_tasks",
				 app->n_tasks * sizeof(*app->tasks),
				 RTE_CACHE_LINE_SIZE);
	if (app->tasks == NULL)
		return -ENOMEM;

	dp_task_set(&app->tasks[n++], DP_TASK_RX, 0, 0);
	for (s = 0; s < o->stages; s++)
		for (w = 0; w < o->workers; w++)
			dp_task_set(&app->tasks[n++], DP_TASK_WORKER, s, w);
	dp_task_set(&app->tasks[n++], DP_TASK_TX, 0, 0);
	return 0;
}

/* Main lcore: TX (and RX when shared); the others one task each. */
static void
dp_tasks_place(struct dp_app *app)
{
	struct dp_task *rx = &app->tasks[0];
	unsigned int lcore, i = app->opts.shared_rxtx ? 1 : 0;

	app->tasks[app->n_tasks - 1].lcore = rte_get_main_lcore();
	if (app->opts.shared_rxtx)
		rx->lcore = rte_get_main_lcore();

	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (i >= app->n_tasks - 1)
			break;
		app->tasks[i++].lcore = lcore;
	}
}

int
dp_pipeline_create(struct dp_app *app)
{
	int rc;

	rc = dp_rings_create(app);
	if (rc < 0)
		return rc;

	rc = dp_tasks_create(app);
	if (rc < 0) {
		DP_LOG(ERR, "tasks: %s\n", strerror(-rc));
		return rc;
	}

	dp_tasks_place(app);
	app->cost_cycles = app->opts.stage_cost_ns * app->tsc_hz / 1000000000;
	if (app->opts.stall_len_ms) {
		app->stall_from = rte_rdtsc() + (uint64_t)app->opts.stall_at_ms *
				  app->tsc_hz / 1000;
		app->stall_until = app->stall_from +
				   (uint64_t)app->opts.stall_len_ms *
				   app->tsc_hz / 1000;
	}
	return 0;
}

void
dp_pipeline_free(struct dp_app *app)
{
	unsigned int i;

	for (i = 0; i < app->n_rings; i++)
		rte_ring_free(app->rings[i].r);
	rte_free(app->tasks);
	app->tasks = NULL;
}

/* Feed the marks after an enqueue; remember the peak this producer saw. */
static inline void
dp_ring_produced(struct dp_app *app, struct dp_ring *dr, struct dp_task *t,
		 unsigned int free_space)
{
	uint32_t occ = dr->wm.capacity - free_space;

	if (occ > t->max_occ)
		t->max_occ = occ;
	if (app->opts.watermarks && wm_check(&dr->wm, occ) != WM_NONE)
		dp_fc_update(app);
}

static inline void
dp_ring_consumed(struct dp_app *app, struct dp_ring *dr, unsigned int left)
{
	if (app->opts.watermarks && wm_check(&dr->wm, left) != WM_NONE)
		dp_fc_update(app);
}

/* Push pending mbufs into ring @dr; returns how many are still pending. */
static unsigned int
dp_pending_to_ring(struct dp_app *app, struct dp_task *t, struct dp_ring *dr)
{
	struct dp_pending *p = &t->pend;
	unsigned int n, free_space;

	if (p->count == 0)
		return 0;

	n = rte_ring_enqueue_burst(dr->r, (void **)&p->pkts[p->head],
				   p->count, &free_space);
	dp_ring_produced(app, dr, t, free_space);
	p->head += n;
	p->count -= n;
	if (p->count == 0)
		p->head = 0;
	return p->count;
}

/* Drop what a task still holds once the drain has given up. */
static void
dp_pending_abort(struct dp_task *t)
{
	struct dp_pending *p = &t->pend;

	if (p->count == 0)
		return;

	rte_pktmbuf_free_bulk(&p->pkts[p->head], p->count);
	t->acct.drop[ACCT_DROP_DRAIN] += p->count;
	p->head = 0;
	p->count = 0;
}

/* Ethertype 0x8808, or the MAC control address whatever the tags say. */
static inline bool
dp_is_mac_control(const uint8_t *d)
{
	if (d[12] == FC_ETHERTYPE >> 8 && d[13] == (FC_ETHERTYPE & 0xff))
		return true;
	return d[0] == fc_dst_mac[0] && memcmp(d, fc_dst_mac, 6) == 0;
}

/* Parse, classify, and decide; returns false when the frame is dropped. */
static inline bool
dp_rx_admit(struct dp_app *app, struct dp_task *t, struct rte_mbuf *m)
{
	uint8_t copy[DP_PARSE_COPY];
	struct pkt_rx_meta meta = { 0 };
	const uint8_t *data;
	struct pkt_info pi;
	uint32_t caplen;
	uint8_t cls;

	if (unlikely(m->pkt_len < PKT_ETH_HLEN)) {
		t->acct.drop[ACCT_DROP_RUNT]++;
		t->acct.anomaly[PKT_RUNT]++;
		return false;
	}

	if (unlikely(m->pkt_len > app->opts.max_frame)) {
		t->acct.drop[ACCT_DROP_OVERSIZE]++;
		return false;
	}

	data = rte_pktmbuf_mtod(m, const uint8_t *);
	if (unlikely(m->data_len >= PKT_ETH_HLEN && dp_is_mac_control(data))) {
		/*
		 * Link-local: consumed here, never forwarded; it pauses us
		 * only when one port does both directions. A tagged one is
		 * not valid MAC control (it is never tagged) and is counted
		 * as malformed by dp_fc_receive().
		 */
		dp_fc_receive(app, m, app->honor_at_rx);
		t->acct.drop[ACCT_DROP_MAC_CONTROL]++;
		return false;
	}

	caplen = m->data_len;
	if (unlikely(caplen < m->pkt_len && caplen < DP_PARSE_COPY)) {
		caplen = RTE_MIN(m->pkt_len, (uint32_t)DP_PARSE_COPY);
		data = rte_pktmbuf_read(m, 0, caplen, copy);
	}

	if (m->ol_flags & RTE_MBUF_F_RX_QINQ_STRIPPED) {
		meta.n_stripped = 2;
		meta.tci[0] = m->vlan_tci_outer;
		meta.tci[1] = m->vlan_tci;
	} else if (m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED) {
		meta.n_stripped = 1;
		meta.tci[0] = m->vlan_tci;
	}

	pkt_parse(data, caplen, m->pkt_len, meta.n_stripped ? &meta : NULL,
		  &pi);
	cls = pkt_classify(&app->opts.classifier, &pi, NULL);
	t->acct.cls[cls]++;
	*dp_meta(app, m) = cls;
	if (unlikely(pi.anomaly != PKT_OK)) {
		t->acct.anomaly[pi.anomaly]++;
		if (app->opts.malformed == DP_MALFORMED_DROP) {
			t->acct.drop[ACCT_DROP_MALFORMED]++;
			return false;
		}
	}

	/* a class the watchdog took out of pause: dropped here, counted */
	if (unlikely(app->shed != 0 && fc_vec_test(app->shed, cls))) {
		t->acct.drop[ACCT_DROP_SHED]++;
		t->shed[cls]++;
		return false;
	}
	return true;
}

uint32_t
dp_class_occupancy(const struct dp_app *app, unsigned int cls)
{
	const struct dp_task *rx = &app->tasks[0];
	const struct dp_task *tx = &app->tasks[app->n_tasks - 1];
	uint64_t out = __atomic_load_n(&tx->cls_out[cls], __ATOMIC_ACQUIRE) +
		       __atomic_load_n(&rx->cls_out[cls], __ATOMIC_RELAXED);
	uint64_t in = __atomic_load_n(&rx->cls_in[cls], __ATOMIC_ACQUIRE);

	return in > out ? (uint32_t)(in - out) : 0;
}

/* pfc: a state machine per class, on that class's share of ring0. */
int
dp_class_marks_init(struct dp_app *app)
{
	const struct wm *r0 = &app->rings[0].wm;
	unsigned int c;
	int rc;

	app->pfc = app->opts.fc_mode == DP_FC_PFC;
	if (!app->pfc)
		return 0;

	for (c = 0; c < PKT_CLASSES; c++) {
		rc = wm_init(&app->cls_wm[c], r0->capacity,
			     app->opts.ring_wm[0].set ?
			     app->opts.ring_wm[0].high_pct : app->opts.high_pct,
			     app->opts.ring_wm[0].set ?
			     app->opts.ring_wm[0].low_pct : app->opts.low_pct,
			     dp_clock, NULL);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Feed the classes in @touched their occupancy; flag edges to fc. */
static void
dp_class_marks(struct dp_app *app, uint8_t touched)
{
	enum wm_event ev;
	unsigned int c;
	bool changed = false;

	for (c = 0; touched != 0; c++, touched >>= 1) {
		if (!(touched & 1))
			continue;

		ev = wm_check(&app->cls_wm[c], dp_class_occupancy(app, c));
		if (ev == WM_ASSERTED)
			__atomic_fetch_or(&app->class_pressure, 1u << c,
					  __ATOMIC_RELEASE);
		else if (ev == WM_RELEASED)
			__atomic_fetch_and(&app->class_pressure,
					   (uint8_t)~(1u << c),
					   __ATOMIC_RELEASE);
		changed |= ev != WM_NONE;
	}
	if (changed)
		dp_fc_update(app);
}

/* Count classes of @n mbufs into @v; returns the classes seen. */
static uint8_t
dp_count_classes(const struct dp_app *app, struct rte_mbuf **pkts,
		 unsigned int n, uint64_t *v)
{
	uint8_t seen = 0, c;
	unsigned int i;

	for (i = 0; i < n; i++) {
		c = *dp_meta(app, pkts[i]);
		v[c]++;
		seen |= 1u << c;
	}
	return seen;
}

static inline void
dp_rx_hold_end(struct dp_task *t)
{
	if (t->hold_start == 0)
		return;

	t->hold_cycles += rte_rdtsc() - t->hold_start;
	t->hold_start = 0;
}

static unsigned int
dp_rx_poll(struct dp_app *app, struct dp_task *t)
{
	struct rte_mbuf *pkts[DP_BURST_MAX];
	struct dp_pending *p = &t->pend;
	unsigned int i, n, kept = 0;
	uint8_t touched = 0;
	uint64_t now;

	if (dp_pending_to_ring(app, t, &app->rings[0]) > 0) {
		if (app->abort_drain)
			dp_pending_abort(t);
		return 0;
	}

	if (app->stop_rx) {
		dp_rx_hold_end(t);
		t->done = true;
		__atomic_store_n(&app->rx_done, 1, __ATOMIC_RELEASE);
		return 0;
	}

	if (unlikely(app->fc_on_wire))
		dp_fc_refresh(app, rte_rdtsc());

	/* hold: leave frames with the port while any ring is under pressure */
	if (app->rx_holds &&
	    __atomic_load_n(&app->pressure, __ATOMIC_ACQUIRE) != 0) {
		if (t->hold_start == 0)
			t->hold_start = rte_rdtsc();
		t->idle_since = 0;
		return 0;
	}
	dp_rx_hold_end(t);

	n = rte_eth_rx_burst(app->rx_port, 0, pkts, app->opts.burst);
	if (n == 0) {
		if (t->idle_since == 0)
			t->idle_since = rte_rdtsc();
		return 0;
	}

	now = rte_rdtsc();
	t->idle_since = 0;
	t->acct.rx += n;
	/* counted as received before any drop of it is: see acct.h */
	rte_compiler_barrier();
	for (i = 0; i < n; i++) {
		if (dp_rx_admit(app, t, pkts[i]))
			p->pkts[kept++] = pkts[i];
		else
			rte_pktmbuf_free(pkts[i]);
	}

	p->head = 0;
	p->count = kept;
	if (app->pfc)
		touched = dp_count_classes(app, p->pkts, kept, t->cls_in);
	if (dp_pending_to_ring(app, t, &app->rings[0]) > 0 && !app->rx_holds &&
	    app->opts.fc_mode != DP_FC_NONE) {
		/*
		 * On-wire modes keep draining the port so frames in flight
		 * land in the headroom; past it, a sender that ignores XOFF
		 * loses frames here, counted.
		 */
		if (app->pfc)
			dp_count_classes(app, &p->pkts[p->head], p->count,
					 t->cls_out);
		rte_pktmbuf_free_bulk(&p->pkts[p->head], p->count);
		t->acct.drop[ACCT_DROP_RING_FULL] += p->count;
		p->head = 0;
		p->count = 0;
	}
	if (touched)
		dp_class_marks(app, touched);
	t->packets += n;
	t->busy_cycles += rte_rdtsc() - now;
	return n;
}

static inline void
dp_stage_cost(const struct dp_app *app, unsigned int n)
{
	uint64_t until;

	if (app->cost_cycles == 0)
		return;

	until = rte_rdtsc() + app->cost_cycles * n;
	while (rte_rdtsc() < until && !app->abort_drain)
		rte_pause();
}

/* --stage-stall: the last stage plays dead for a while. */
static bool
dp_stalled(const struct dp_app *app)
{
	uint64_t now = rte_rdtsc();

	return now >= app->stall_from && now < app->stall_until &&
	       !app->stop_rx;
}

/* True when nothing more can reach the ring this task consumes. */
static bool
dp_upstream_done(const struct dp_app *app, const struct dp_task *t)
{
	unsigned int stage = t->kind == DP_TASK_TX ? app->opts.stages :
			     t->stage;

	if (stage == 0)
		return __atomic_load_n(&app->rx_done, __ATOMIC_ACQUIRE);
	return __atomic_load_n(&app->stage_done[stage - 1],
			       __ATOMIC_ACQUIRE) == app->opts.workers;
}

static unsigned int
dp_worker_poll(struct dp_app *app, struct dp_task *t)
{
	struct dp_ring *in = &app->rings[t->stage];
	struct dp_ring *out = &app->rings[t->stage + 1];
	struct dp_pending *p = &t->pend;
	unsigned int n, left;
	bool upstream_done;
	uint64_t now;

	if (dp_pending_to_ring(app, t, out) > 0) {
		if (app->abort_drain)
			dp_pending_abort(t);
		return 0;
	}

	/* XOFF lapses when nobody refreshes it: any lcore that runs does */
	if (unlikely(app->fc_on_wire))
		dp_fc_refresh(app, rte_rdtsc());

	if (unlikely(app->stall_from != 0) && t->stage + 1 == app->opts.stages &&
	    dp_stalled(app))
		return 0;

	/* drain given up: leave the rest to dp_pipeline_flush_rings() */
	if (app->abort_drain) {
		t->done = true;
		__atomic_fetch_add(&app->stage_done[t->stage], 1,
				   __ATOMIC_RELEASE);
		return 0;
	}

	/* read before the ring: an empty ring after this means finished */
	upstream_done = dp_upstream_done(app, t);
	n = rte_ring_dequeue_burst(in->r, (void **)p->pkts, app->opts.burst,
				   &left);
	dp_ring_consumed(app, in, left);
	if (n == 0) {
		if (upstream_done) {
			t->done = true;
			__atomic_fetch_add(&app->stage_done[t->stage], 1,
					   __ATOMIC_RELEASE);
		}
		return 0;
	}

	now = rte_rdtsc();
	if (t->stage + 1 == app->opts.stages)
		dp_stage_cost(app, n);
	p->head = 0;
	p->count = n;
	dp_pending_to_ring(app, t, out);
	t->packets += n;
	t->busy_cycles += rte_rdtsc() - now;
	return n;
}

/* Hand pending mbufs to the egress port; returns how many are left. */
static unsigned int
dp_pending_to_port(struct dp_app *app, struct dp_task *t)
{
	struct dp_pending *p = &t->pend;
	uint8_t cls[DP_BURST_MAX], touched = 0;
	unsigned int i, n;

	if (p->count == 0)
		return 0;

	/* once sent, an mbuf is the driver's: read the classes before */
	if (app->pfc)
		for (i = 0; i < p->count; i++)
			cls[i] = *dp_meta(app, p->pkts[p->head + i]);

	n = rte_eth_tx_burst(app->tx_port, 0, &p->pkts[p->head], p->count);
	if (app->pfc && n) {
		for (i = 0; i < n; i++) {
			t->cls_out[cls[i]]++;
			touched |= 1u << cls[i];
		}
		dp_class_marks(app, touched);
	}
	t->acct.tx += n;
	p->head += n;
	p->count -= n;
	if (p->count == 0)
		p->head = 0;
	return p->count;
}

/* Read what downstream sent back on the egress port: PAUSE/PFC only. */
static void
dp_tx_peer_rx(struct dp_app *app)
{
	struct rte_mbuf *pkts[DP_PEER_RX_BURST];
	const uint8_t *d;
	unsigned int i, n;

	n = rte_eth_rx_burst(app->tx_port, 0, pkts, DP_PEER_RX_BURST);
	for (i = 0; i < n; i++) {
		d = rte_pktmbuf_mtod(pkts[i], const uint8_t *);
		if (pkts[i]->data_len >= PKT_ETH_HLEN &&
		    d[12] == FC_ETHERTYPE >> 8 && d[13] == (FC_ETHERTYPE & 0xff))
			dp_fc_receive(app, pkts[i], true);
		else
			app->fc.rx.egress_other++;
	}
	if (n)
		rte_pktmbuf_free_bulk(pkts, n);
}

/* True while downstream has TX paused; books the time it lasts. */
static bool
dp_tx_held(struct dp_app *app, struct dp_task *t)
{
	uint64_t now;

	if (app->honor_at_tx && ++t->peer_polls >= DP_PEER_RX_EVERY) {
		t->peer_polls = 0;
		dp_tx_peer_rx(app);
	}
	if (!app->honor_at_rx && !app->honor_at_tx)
		return false;

	now = rte_rdtsc();
	if (dp_fc_tx_paused(app, now)) {
		if (t->paused_start == 0)
			t->paused_start = now;
		return true;
	}
	if (t->paused_start != 0) {
		app->fc.rx.paused_cycles += now - t->paused_start;
		t->paused_start = 0;
	}
	return false;
}

static unsigned int
dp_tx_poll(struct dp_app *app, struct dp_task *t)
{
	struct dp_ring *in = &app->rings[app->n_rings - 1];
	struct dp_pending *p = &t->pend;
	unsigned int n, left;
	bool upstream_done;
	uint64_t now;

	if (unlikely(app->fc_on_wire))
		dp_fc_refresh(app, rte_rdtsc());

	/* a drain that gave up does not wait for downstream either */
	if (dp_tx_held(app, t) && !app->abort_drain)
		return 0;

	if (dp_pending_to_port(app, t) > 0) {
		if (app->abort_drain)
			dp_pending_abort(t);
		return 0;
	}

	if (app->abort_drain) {
		t->done = true;
		return 0;
	}

	upstream_done = dp_upstream_done(app, t);
	n = rte_ring_dequeue_burst(in->r, (void **)p->pkts, app->opts.burst,
				   &left);
	dp_ring_consumed(app, in, left);
	if (n == 0) {
		t->done = upstream_done;
		return 0;
	}

	now = rte_rdtsc();
	p->head = 0;
	p->count = n;
	dp_pending_to_port(app, t);
	t->packets += n;
	t->busy_cycles += rte_rdtsc() - now;
	return n;
}

static unsigned int
dp_task_poll(struct dp_app *app, struct dp_task *t)
{
	switch (t->kind) {
	case DP_TASK_RX:
		return dp_rx_poll(app, t);
	case DP_TASK_WORKER:
		return dp_worker_poll(app, t);
	default:
		return dp_tx_poll(app, t);
	}
}

/*
 * Adaptive idle: spin a little after an empty poll, then sleep, doubling
 * up to --idle-sleep-us. On dedicated cores at load the sleep never
 * happens; on shared cores it hands the CPU to the lcore that has work.
 */
struct dp_idle {
	unsigned int polls;
	unsigned int sleep_us;
};

static void
dp_idle_step(const struct dp_app *app, struct dp_idle *idle,
	     unsigned int progress)
{
	struct timespec ts;

	if (progress) {
		idle->polls = 0;
		idle->sleep_us = 0;
		return;
	}

	if (++idle->polls < DP_IDLE_SPIN_POLLS ||
	    app->opts.idle_sleep_us == 0) {
		rte_pause();
		return;
	}

	idle->sleep_us = idle->sleep_us ? idle->sleep_us * 2 : 1;
	if (idle->sleep_us > app->opts.idle_sleep_us)
		idle->sleep_us = app->opts.idle_sleep_us;
	/*
	 * While the peer is paused, never sleep through a refresh: at
	 * 100 Gb/s the longest pause is 335 us and the refresh comes at
	 * half of it, less than one 200 us sleep away.
	 */
	if (app->fc.sent != 0 && (uint64_t)idle->sleep_us * app->tsc_hz /
	    1000000 > app->fc.refresh_cycles / 4)
		idle->sleep_us = (unsigned int)(app->fc.refresh_cycles / 4 *
						 1000000 / app->tsc_hz) + 1;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)idle->sleep_us * 1000;
	nanosleep(&ts, NULL);
}

static struct dp_task *
dp_task_of_lcore(struct dp_app *app, unsigned int lcore)
{
	unsigned int i;

	for (i = 0; i < app->n_tasks; i++)
		if (app->tasks[i].lcore == lcore)
			return &app->tasks[i];
	return NULL;
}

int
dp_lcore_main(void *arg)
{
	struct dp_app *app = arg;
	struct dp_task *t = dp_task_of_lcore(app, rte_lcore_id());
	struct dp_idle idle = { 0 };

	if (t == NULL)
		return 0;

	while (!t->done)
		dp_idle_step(app, &idle, dp_task_poll(app, t));
	return 0;
}

bool
dp_tasks_done(const struct dp_app *app)
{
	unsigned int i;

	for (i = 0; i < app->n_tasks; i++)
		if (!__atomic_load_n(&app->tasks[i].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

/*
 * The main lcore's loop: its own tasks, and @control every
 * DP_CTRL_PERIOD_US; @control returns false once the main lcore may stop.
 */
void
dp_main_lcore_tasks(struct dp_app *app, bool (*control)(struct dp_app *))
{
	struct dp_task *rx = app->opts.shared_rxtx ? &app->tasks[0] : NULL;
	struct dp_task *tx = &app->tasks[app->n_tasks - 1];
	uint64_t period = app->tsc_hz * DP_CTRL_PERIOD_US / 1000000;
	uint64_t next = rte_rdtsc() + period;
	struct dp_idle idle = { 0 };
	unsigned int n;

	for (;;) {
		n = 0;
		if (rx != NULL && !rx->done)
			n += dp_task_poll(app, rx);
		if (!tx->done)
			n += dp_task_poll(app, tx);

		if (rte_rdtsc() >= next) {
			next = rte_rdtsc() + period;
			if (!control(app))
				break;
		}
		dp_idle_step(app, &idle, n);
	}
}

/*
 * After every lcore has stopped: free what is left in the rings (only
 * after a drain that timed out) and count it. Returns how many.
 */
unsigned int
dp_pipeline_flush_rings(struct dp_app *app)
{
	struct rte_mbuf *m;
	unsigned int i, n = 0, held = 0;

	for (i = 0; i < app->n_rings; i++) {
		while (rte_ring_dequeue(app->rings[i].r, (void **)&m) == 0) {
			rte_pktmbuf_free(m);
			n++;
		}
	}

	for (i = 0; i < app->n_tasks; i++) {
		held += app->tasks[i].pend.count;
		dp_pending_abort(&app->tasks[i]);
	}

	app->ctl_acct.drop[ACCT_DROP_DRAIN] += n;

	/* the rings are empty now: let their marks say so */
	for (i = 0; i < app->n_rings; i++)
		if (wm_check(&app->rings[i].wm, 0) != WM_NONE)
			dp_fc_update(app);
	return n + held;
}

static void
dp_snapshot_rings(struct dp_app *app, struct stats_snapshot *s,
		  uint64_t now)
{
	unsigned int i, k;

	s->n_rings = app->n_rings;
	for (i = 0; i < app->n_rings; i++) {
		struct dp_ring *dr = &app->rings[i];
		struct stats_ring *r = &s->rings[i];
		uint64_t cycles;

		snprintf(r->name, sizeof(r->name), "%s", dr->name);
		r->capacity = dr->wm.capacity;
		r->high = dr->wm.high;
		r->low = dr->wm.low;
		r->occupancy = rte_ring_count(dr->r);
		r->asserted = wm_asserted(&dr->wm);
		wm_read(&dr->wm, now, &r->xoff_count, &cycles);
		r->xoff_time_us = cycles * 1000000 / app->tsc_hz;

		/* the producers of ring i are the tasks just before it */
		r->max_occupancy = 0;
		for (k = 0; k < app->n_tasks; k++) {
			const struct dp_task *t = &app->tasks[k];
			bool feeds = (t->kind == DP_TASK_RX && i == 0) ||
				     (t->kind == DP_TASK_WORKER &&
				      t->stage + 1 == i);

			if (feeds && t->max_occ > r->max_occupancy)
				r->max_occupancy = t->max_occ;
		}
	}
}

static void
dp_snapshot_fc(struct dp_app *app, struct stats_fc *out, uint64_t now)
{
	struct dp_fc *fc = &app->fc;
	const struct dp_task *tx = &app->tasks[app->n_tasks - 1];
	uint64_t us = 1000000, held;
	unsigned int i;

	out->mode = dp_fc_mode_name(fc->mode);
	out->speed_mbps = fc_speed_mbps(fc->speed_mbps);
	out->quanta = fc->quanta;

	rte_spinlock_lock(&fc->lock);
	for (i = 0; i < FC_CLASSES; i++) {
		uint64_t c = fc->c.xoff_cycles[i];

		if (fc_vec_test(fc->sent, i) && now > fc->since[i])
			c += now - fc->since[i]; /* still paused */
		out->xoff_sent[i] = fc->c.xoff_sent[i];
		out->xon_sent[i] = fc->c.xon_sent[i];
		out->xoff_time_us[i] = c * us / app->tsc_hz;
	}
	out->frames_sent = fc->c.frames_sent;
	out->refreshes = fc->c.refreshes;
	out->send_failed = fc->c.send_failed;
	rte_spinlock_unlock(&fc->lock);

	for (i = 0; i < FC_CLASSES; i++) {
		out->watchdog_trips[i] = fc->wd_trips[i];
		out->watchdog_restores[i] = fc->wd_restores[i];
		out->shed[i] = app->tasks[0].shed[i];
	}
	out->reaction_samples = dp_fc_reaction(app, &out->reaction_cycles[0],
					       &out->reaction_cycles[1],
					       &out->reaction_cycles[2]);
	out->pause_rx = fc->rx.pause_rx;
	out->pfc_rx = fc->rx.pfc_rx;
	out->xon_rx = fc->rx.xon_rx;
	out->malformed_rx = fc->rx.malformed;
	out->egress_rx_other = fc->rx.egress_other;
	held = fc->rx.paused_cycles;
	if (tx->paused_start != 0 && now > tx->paused_start)
		held += now - tx->paused_start;
	out->paused_by_peer_us = held * us / app->tsc_hz;
}

void
dp_pipeline_snapshot(struct dp_app *app, struct stats_snapshot *s)
{
	const struct acct_lcore *sum[STATS_MAX_TASKS + 1];
	uint64_t now = rte_rdtsc(), hold, since;
	unsigned int i;

	s->tsc_hz = app->tsc_hz;
	s->elapsed_s = (double)(now - app->start_tsc) / (double)app->tsc_hz;
	s->watermarks = app->opts.watermarks;

	for (i = 0; i < app->n_tasks; i++)
		sum[i] = &app->tasks[i].acct;
	sum[i++] = &app->ctl_acct;
	acct_sum(sum, i, &s->total);

	dp_snapshot_rings(app, s, now);

	s->n_tasks = app->n_tasks;
	hold = app->tasks[0].hold_cycles;
	since = __atomic_load_n(&app->tasks[0].hold_start, __ATOMIC_RELAXED);
	if (since != 0 && now > since)
		hold += now - since; /* a hold still running counts */
	s->rx_hold_us = hold * 1000000 / app->tsc_hz;
	for (i = 0; i < app->n_tasks; i++) {
		const struct dp_task *t = &app->tasks[i];

		snprintf(s->tasks[i].name, sizeof(s->tasks[i].name), "%s",
			 t->name);
		s->tasks[i].lcore = t->lcore;
		s->tasks[i].packets = t->packets;
		s->tasks[i].busy_cycles = t->busy_cycles;
	}

	dp_snapshot_fc(app, &s->fc, now);
	s->pool_size = app->pool_size;
	s->pool_required = app->pool_need.required;
	s->pool_in_use = rte_mempool_in_use_count(app->pool);
}
