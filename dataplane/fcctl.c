/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dp.h"
#include "fcctl.h"

static bool
dp_fc_on_wire(const struct dp_fc *fc)
{
	return fc->mode == DP_FC_PAUSE || fc->mode == DP_FC_PFC;
}

/*
 * Frames that can arrive while XOFF travels and the sender reacts land in
 * ring0 above its high mark: link speed x (our reaction + cable + the
 * sender's reaction) plus one maximum frame already being sent, counted
 * in the smallest frames (64 bytes + 20 of preamble and gap), the case
 * with the most packets.
 */
static void
dp_fc_headroom_check(struct dp_app *app)
{
	const struct dp_ring *r0 = &app->rings[0];
	uint64_t bits, need, have;

	bits = (uint64_t)fc_speed_mbps(app->fc.speed_mbps) *
	       app->opts.headroom_delay_ns / 1000 +
	       (uint64_t)app->opts.max_frame * 8;
	need = (bits + 84 * 8 - 1) / (84 * 8);
	have = r0->wm.capacity - r0->wm.high;
	if (have < need)
		DP_LOG(WARNING, "ring0: %" PRIu64 " entries above the high "
		       "mark, %" PRIu64 " needed to absorb what arrives "
		       "before the sender stops (%u Mb/s, %u ns delay, "
		       "%u-byte frames); raise --ring-size or lower --high\n",
		       have, need, fc_speed_mbps(app->fc.speed_mbps),
		       app->opts.headroom_delay_ns, app->opts.max_frame);
	else
		DP_LOG(INFO, "ring0: headroom %" PRIu64 " entries, %" PRIu64
		       " needed\n", have, need);
}

int
dp_fc_init(struct dp_app *app)
{
	struct dp_fc *fc = &app->fc;
	struct rte_ether_addr mac;
	struct rte_eth_link link;
	uint64_t ns;

	fc->mode = app->opts.fc_mode;
	rte_spinlock_init(&fc->lock);
	app->rx_holds = fc->mode == DP_FC_HOLD || fc->mode == DP_FC_HW;
	app->fc_on_wire = dp_fc_on_wire(fc);
	app->honor_at_rx = dp_fc_on_wire(fc) && app->opts.honor_pause &&
			   app->rx_port == app->tx_port;
	app->honor_at_tx = dp_fc_on_wire(fc) && app->opts.honor_pause &&
			   app->rx_port != app->tx_port;
	if (rte_eth_link_get_nowait(app->tx_port, &link) == 0 &&
	    link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN)
		fc->peer_speed_mbps = link.link_speed;
	if (!dp_fc_on_wire(fc))
		return 0;

	fc->port = app->rx_port;
	fc->queue = app->rx_port == app->tx_port ? 1 : 0;
	if (rte_eth_macaddr_get(fc->port, &mac) == 0)
		memcpy(fc->mac, mac.addr_bytes, sizeof(fc->mac));
	if (rte_eth_link_get_nowait(fc->port, &link) == 0 &&
	    link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN)
		fc->speed_mbps = link.link_speed;
	if (fc->speed_mbps == 0)
		DP_LOG(WARNING, "port %u: link speed unknown, quanta computed "
		       "for %u Mb/s\n", fc->port, FC_FALLBACK_SPEED_MBPS);

	ns = (uint64_t)app->opts.pause_time_us * 1000;
	fc->quanta = fc_ns_to_quanta(ns, fc->speed_mbps);

	/* refresh at half the time the peer was given, at the latest */
	ns = fc_quanta_to_ns(fc->quanta, fc->speed_mbps) / 2;
	fc->refresh_cycles = ns * app->tsc_hz / 1000000000;

	fc->react = rte_zmalloc("sluice_fc_react",
				DP_FC_REACT_SAMPLES * sizeof(*fc->react), 0);
	if (fc->react == NULL)
		DP_LOG(WARNING, "no memory to time XOFF reactions\n");

	fc->pool = rte_pktmbuf_pool_create("sluice_fc", DP_FC_POOL_SIZE, 0, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE,
					   rte_socket_id());
	if (fc->pool == NULL) {
		DP_LOG(ERR, "flow control pool: %s\n",
		       rte_strerror(rte_errno));
		return -rte_errno;
	}

	DP_LOG(INFO, "%s on port %u queue %u: XOFF %u quanta (%" PRIu64
	       " us at %u Mb/s), refreshed every %" PRIu64 " us\n",
	       dp_fc_mode_name(fc->mode), fc->port, fc->queue, fc->quanta,
	       ns * 2 / 1000, fc_speed_mbps(fc->speed_mbps), ns / 1000);
	if (ns * 2 / 1000 < app->opts.pause_time_us)
		DP_LOG(WARNING, "port %u: --pause-time-us %u is more than "
		       "0xffff quanta last at %u Mb/s; XOFF asks for %" PRIu64
		       " us\n", fc->port, app->opts.pause_time_us,
		       fc_speed_mbps(fc->speed_mbps), ns * 2 / 1000);
	dp_fc_headroom_check(app);
	return 0;
}

/*
 * Classes that should be paused now. PAUSE: all of them while any ring is
 * under pressure. PFC: the classes whose own occupancy crossed their high
 * mark; and while a ring is under pressure as a whole, also the classes
 * holding at least their low mark, or already paused while it lasts
 * (or, when none is, every class present), so many moderate classes
 * cannot overflow it together. Never a class the watchdog sheds.
 */
static uint8_t
dp_fc_wanted(const struct dp_app *app)
{
	uint32_t p = __atomic_load_n(&app->pressure, __ATOMIC_ACQUIRE);
	uint8_t want, heavy = 0, present = 0;
	uint32_t occ;
	unsigned int c;

	if (app->fc.mode == DP_FC_PAUSE) {
		want = p ? 0xff : 0;
	} else {
		want = __atomic_load_n(&app->class_pressure, __ATOMIC_ACQUIRE);
		for (c = 0; p && c < FC_CLASSES; c++) {
			occ = dp_class_occupancy(app, c);
			if (occ > 0)
				present = fc_vec_set(present, c);
			if (occ > 0 && occ >= app->cls_wm[c].low)
				heavy = fc_vec_set(heavy, c);
		}
		/*
		 * Hysteresis: a class paused during this episode of ring
		 * pressure stays paused until the ring releases. Without it
		 * the dominant class dips under its own low mark before the
		 * ring reaches its low mark (it holds only its share of the
		 * ring), heavy turns empty, and every class present is paused.
		 */
		if (p)
			heavy |= app->fc.sent & present;
		want |= heavy ? heavy : present;
	}
	return want & ~__atomic_load_n(&app->shed, __ATOMIC_ACQUIRE);
}

/* Build and send one frame on the control queue; caller holds the lock. */
static int
dp_fc_send(struct dp_fc *fc, uint8_t xoff, uint8_t xon)
{
	uint16_t q[FC_CLASSES];
	struct rte_mbuf *m;
	unsigned int i;
	uint8_t *buf;

	m = rte_pktmbuf_alloc(fc->pool);
	if (m == NULL)
		return -ENOBUFS;

	buf = (uint8_t *)rte_pktmbuf_append(m, FC_FRAME_LEN);
	if (fc->mode == DP_FC_PAUSE) {
		fc_build_pause(buf, fc->mac, xoff ? fc->quanta : 0);
	} else {
		for (i = 0; i < FC_CLASSES; i++)
			q[i] = fc_vec_test(xoff, i) ? fc->quanta : 0;
		fc_build_pfc(buf, fc->mac, xoff | xon, q);
	}

	if (rte_eth_tx_burst(fc->port, fc->queue, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		return -EAGAIN;
	}
	return 0;
}

/* Book a frame that went out: per-class edges and time paused. */
static void
dp_fc_book(struct dp_fc *fc, uint8_t want, uint64_t now)
{
	uint8_t on = want & ~fc->sent, off = fc->sent & ~want;
	unsigned int i;

	for (i = 0; i < FC_CLASSES; i++) {
		if (fc_vec_test(on, i)) {
			fc->c.xoff_sent[i]++;
			fc->since[i] = now;
		}
		if (fc_vec_test(off, i)) {
			fc->c.xon_sent[i]++;
			fc->c.xoff_cycles[i] += now - fc->since[i];
		}
	}
	fc->sent = want;
	fc->last_sent = now;
	fc->c.frames_sent++;
}

/* Latest assertion behind the classes in @newly: what this XOFF answers. */
static uint64_t
dp_fc_trigger(const struct dp_app *app, uint8_t newly)
{
	uint64_t s, t = 0;
	unsigned int i;

	for (i = 0; i < app->n_rings; i++) {
		s = __atomic_load_n(&app->rings[i].wm.state, __ATOMIC_ACQUIRE);
		if ((s & 1) && (s >> 1) > t)
			t = s >> 1;
	}
	for (i = 0; app->pfc && i < FC_CLASSES; i++) {
		s = __atomic_load_n(&app->cls_wm[i].state, __ATOMIC_ACQUIRE);
		if (fc_vec_test(newly, i) && (s & 1) && (s >> 1) > t)
			t = s >> 1;
	}
	return t;
}

/* Book how long the XOFF just handed over took; caller holds the lock. */
static void
dp_fc_react(struct dp_app *app, uint8_t newly)
{
	struct dp_fc *fc = &app->fc;
	uint64_t t = dp_fc_trigger(app, newly), now = rte_rdtsc();

	if (fc->react == NULL || t == 0 || now < t)
		return;
	fc->react[fc->c.react_n++ % DP_FC_REACT_SAMPLES] =
		(uint32_t)RTE_MIN(now - t, (uint64_t)UINT32_MAX);
}

static int
dp_fc_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t
dp_fc_reaction(struct dp_app *app, uint64_t *p50, uint64_t *p99,
	       uint64_t *max)
{
	struct dp_fc *fc = &app->fc;
	uint32_t *v;
	uint64_t n;

	*p50 = *p99 = *max = 0;
	rte_spinlock_lock(&fc->lock);
	n = RTE_MIN(fc->c.react_n, (uint64_t)DP_FC_REACT_SAMPLES);
	v = n ? malloc(n * sizeof(*v)) : NULL;
	if (v != NULL)
		memcpy(v, fc->react, n * sizeof(*v));
	rte_spinlock_unlock(&fc->lock);
	if (v == NULL)
		return 0;

	qsort(v, n, sizeof(*v), dp_fc_cmp_u32);
	*p50 = v[(n - 1) / 2];
	*p99 = v[(n - 1) * 99 / 100];
	*max = v[n - 1];
	free(v);
	return n;
}

/* Caller holds the lock. */
static void
dp_fc_sync(struct dp_app *app, uint64_t now, bool refresh)
{
	struct dp_fc *fc = &app->fc;
	uint8_t want = dp_fc_wanted(app);

	if (want == fc->sent && !(refresh && want))
		return;

	if (dp_fc_send(fc, want, fc->sent & ~want) < 0) {
		fc->c.send_failed++; /* the next poll tries again */
		return;
	}

	if (want == fc->sent)
		fc->c.refreshes++;
	if (want & ~fc->sent)
		dp_fc_react(app, want & ~fc->sent);
	dp_fc_book(fc, want, now);
}

void
dp_fc_update(struct dp_app *app)
{
	struct dp_fc *fc = &app->fc;

	if (!dp_fc_on_wire(fc))
		return;

	rte_spinlock_lock(&fc->lock);
	dp_fc_sync(app, rte_rdtsc(), false);
	rte_spinlock_unlock(&fc->lock);
}

void
dp_fc_refresh(struct dp_app *app, uint64_t now)
{
	struct dp_fc *fc = &app->fc;
	bool due;

	if (!dp_fc_on_wire(fc))
		return;

	/* unlocked peek: a stale answer only delays to the next poll */
	due = (fc->sent != 0 && now - fc->last_sent >= fc->refresh_cycles) ||
	      dp_fc_wanted(app) != fc->sent;
	if (!due || !rte_spinlock_trylock(&fc->lock))
		return;

	/* several lcores refresh: time read under the lock stays monotonic */
	now = rte_rdtsc();
	dp_fc_sync(app, now, now - fc->last_sent >= fc->refresh_cycles);
	rte_spinlock_unlock(&fc->lock);
}

void
dp_fc_finish(struct dp_app *app)
{
	struct dp_fc *fc = &app->fc;
	uint64_t now = rte_rdtsc();
	int tries;

	if (!dp_fc_on_wire(fc) || fc->sent == 0)
		return;

	/* XON always follows XOFF, even when the drain ended otherwise */
	rte_spinlock_lock(&fc->lock);
	for (tries = 0; tries < 100 && fc->sent != 0; tries++) {
		if (dp_fc_send(fc, 0, fc->sent) == 0)
			dp_fc_book(fc, 0, now);
		else
			fc->c.send_failed++;
	}
	rte_spinlock_unlock(&fc->lock);
	if (fc->sent != 0)
		DP_LOG(ERR, "port %u: XON could not be sent at exit; the "
		       "peer stays paused until its timer runs out\n",
		       fc->port);
}

void
dp_fc_receive(struct dp_app *app, struct rte_mbuf *m, bool honor)
{
	struct dp_fc_rx *rx = &app->fc.rx;
	uint8_t copy[FC_FRAME_LEN];
	uint64_t now, ns;
	const uint8_t *buf;
	enum fc_kind kind;
	struct fc_frame f;
	unsigned int i;
	bool any = false;

	buf = rte_pktmbuf_read(m, 0, RTE_MIN(m->pkt_len, (uint32_t)FC_FRAME_LEN), copy);
	kind = buf != NULL ? fc_parse(buf, m->pkt_len, &f) : FC_RUNT;
	if (kind != FC_PAUSE && kind != FC_PFC) {
		rx->malformed++; /* never acted on */
		return;
	}

	now = rte_rdtsc();
	for (i = 0; i < FC_CLASSES; i++) {
		if (!fc_vec_test(f.enable, i))
			continue;

		/* each frame replaces the timer; 0 resumes at once */
		ns = fc_quanta_to_ns(f.quanta[i], app->fc.peer_speed_mbps);
		if (honor)
			rx->paused_until[i] = now + ns * app->tsc_hz /
					      1000000000;
		any |= f.quanta[i] != 0;
	}

	if (f.enable == 0)
		rx->pfc_rx++; /* enables nothing: not an XON either */
	else if (!any)
		rx->xon_rx++;
	else if (f.kind == FC_PAUSE)
		rx->pause_rx++;
	else
		rx->pfc_rx++;
}

bool
dp_fc_tx_paused(struct dp_app *app, uint64_t now)
{
	const struct dp_fc_rx *rx = &app->fc.rx;
	unsigned int i;

	/*
	 * XXX: a PFC frame for one class holds all of TX, not only that
	 * class: frames of other classes wait behind it (head-of-line
	 * blocking) until the class is released or its timer runs out.
	 */
	for (i = 0; i < FC_CLASSES; i++)
		if (now < rx->paused_until[i])
			return true;
	return false;
}

/* Pause mode: every ring at or below its low mark. */
static bool
dp_fc_rings_calm(const struct dp_app *app)
{
	unsigned int i;

	for (i = 0; i < app->n_rings; i++)
		if (rte_ring_count(app->rings[i].r) > app->rings[i].wm.low)
			return false;
	return true;
}

/*
 * Restore a shed class only once occupancy has stayed at or below the low
 * mark for the hold-down time. Occupancy is what the mitigation cannot
 * fake: a stuck consumer keeps its frames, so it stays high; whether XOFF
 * is wanted is not, since shedding itself stops the pressure.
 */
static void
dp_fc_watch_shed(struct dp_app *app, unsigned int c, uint64_t now,
		 uint64_t holddown, bool calm)
{
	struct dp_fc *fc = &app->fc;

	if (!calm) {
		fc->calm_since[c] = 0;
		return;
	}
	if (fc->calm_since[c] == 0) {
		fc->calm_since[c] = now;
		return;
	}
	if (now - fc->calm_since[c] < holddown)
		return;

	__atomic_fetch_and(&app->shed, (uint8_t)~(1u << c), __ATOMIC_RELEASE);
	fc->wd_restores[c]++;
	fc->calm_since[c] = 0;
	if (fc->mode == DP_FC_PFC || c == 0)
		DP_LOG(INFO, "watchdog: %s restored after %u ms calm\n",
		       fc->mode == DP_FC_PFC ? "class" : "port",
		       app->opts.watchdog_holddown_ms);
}

void
dp_fc_watchdog(struct dp_app *app, uint64_t now)
{
	struct dp_fc *fc = &app->fc;
	uint64_t limit, holddown;
	uint8_t shed, trip = 0;
	bool calm[FC_CLASSES];
	unsigned int c;

	if (!dp_fc_on_wire(fc) || app->opts.pause_watchdog_ms == 0)
		return;

	limit = (uint64_t)app->opts.pause_watchdog_ms * app->tsc_hz / 1000;
	holddown = (uint64_t)app->opts.watchdog_holddown_ms * app->tsc_hz /
		   1000;
	shed = __atomic_load_n(&app->shed, __ATOMIC_ACQUIRE);

	rte_spinlock_lock(&fc->lock);
	for (c = 0; c < FC_CLASSES; c++)
		if (!fc_vec_test(shed, c) && fc_vec_test(fc->sent, c) &&
		    now - fc->since[c] >= limit)
			trip = fc_vec_set(trip, c);
	rte_spinlock_unlock(&fc->lock);

	/*
	 * Judge every class before restoring any: a restored class refills
	 * the rings at once, and with PAUSE all classes share one verdict.
	 */
	for (c = 0; c < FC_CLASSES; c++)
		calm[c] = fc->mode == DP_FC_PAUSE ? dp_fc_rings_calm(app) :
			  dp_class_occupancy(app, c) <= app->cls_wm[c].low;
	for (c = 0; c < FC_CLASSES; c++)
		if (fc_vec_test(shed, c))
			dp_fc_watch_shed(app, c, now, holddown, calm[c]);

	if (trip == 0)
		return;

	/* stop pausing these and shed them at admission instead */
	__atomic_fetch_or(&app->shed, trip, __ATOMIC_RELEASE);
	for (c = 0; c < FC_CLASSES; c++)
		if (fc_vec_test(trip, c))
			fc->wd_trips[c]++;
	DP_LOG(WARNING, "watchdog: XOFF held %u ms (classes 0x%02x); "
	       "shedding them at admission and releasing the sender\n",
	       app->opts.pause_watchdog_ms, trip);
	dp_fc_update(app);
}
