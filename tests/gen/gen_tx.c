/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Generator mode: paced, numbered frames out of one port, PAUSE/PFC read
 * back from the same port's RX and obeyed.
 *
 * Pacing works in slots: slot k of the current schedule is due at
 * epoch + k * (TSC cycles per frame). Each loop turn sends the slots that
 * are due, at most --burst of them. A slot is either one frame (one
 * sequence number) or, when its class is PFC-paused, nothing. A PAUSE
 * holds the whole schedule; when it ends the schedule restarts at that
 * moment (epoch = now), so nothing owed from the pause is sent in a rush.
 *
 * The port stands for a wire: what rte_eth_tx_burst() does not take at
 * once is lost there (wire_lost), freed and never retried, and its
 * sequence number stays used, so the sink sees it as lost.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>

#include "gen.h"

#define GEN_SCHED_MAX (GEN_MIX_MAX * GEN_WEIGHT_MAX)
#define GEN_ETH_DST { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 }
#define GEN_IP_SRC 0x0a000001   /* 10.0.0.1 */
#define GEN_IP_DST 0x0a000002   /* 10.0.0.2 */
#define GEN_IP_TTL 64
#define GEN_BACKLOG_BURSTS 8    /* late slots still sent, in bursts */

struct gen_tx {
	struct gen_app *app;
	const struct gen_opts *o;

	/* frames: one template per (size, class), patched per frame */
	uint8_t *tmpl[GEN_MIX_MAX][GEN_CLASSES];
	uint32_t len[GEN_MIX_MAX];
	uint32_t hdr_off;
	uint32_t size_sched[GEN_SCHED_MAX];
	uint32_t class_sched[GEN_SCHED_MAX];
	unsigned int n_size_sched, n_class_sched, size_at, class_at;
	uint64_t rotate_every, rotate_left;

	/* pacing, in TSC cycles */
	double rate_pps;
	double cyc_per_slot;
	uint64_t epoch;
	uint64_t slots;         /* slots of this schedule used so far */
	uint64_t stop_at;
	bool held;              /* a PAUSE held the schedule */
	struct gen_pause pause;

	/* counters */
	uint64_t seq;           /* next sequence number: frames attempted */
	uint64_t tx_packets;
	uint64_t wire_lost;
	uint64_t alloc_failed;
	uint64_t slots_paused;  /* turns of a PFC-paused class, skipped */
	uint64_t slots_late;    /* given up: older than the backlog cap */
	uint64_t tx_by_class[GEN_CLASSES];
	uint64_t rx_packets;
	uint64_t pause_rx, pfc_rx, xon_rx, malformed_rx, other_rx;
	uint64_t start, end;
	bool link_up;
};

static struct gen_tx gen_tx;

/* ------------------------------------------------------------ frames */

static void
gen_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
gen_put32(uint8_t *p, uint32_t v)
{
	gen_put16(p, (uint16_t)(v >> 16));
	gen_put16(p + 2, (uint16_t)v);
}

static uint16_t
gen_ip_csum(const uint8_t *ip)
{
	uint32_t sum = 0;
	unsigned int i;

	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Where the sluice-gen header starts with this marking. */
static uint32_t
gen_hdr_offset(enum gen_mark mark)
{
	return RTE_ETHER_HDR_LEN + (mark == GEN_MARK_DSCP ? 0 : 4) + 20 + 8;
}

/*
 * A whole frame of @len bytes for class @cls, sequence number and stamp
 * zero. UDP checksum 0 ("none"), which IPv4 allows: the payload changes
 * with every frame and nothing on the path checks it.
 */
static void
gen_frame_build(uint8_t *b, uint32_t len, unsigned int cls,
		enum gen_mark mark, const uint8_t src[6])
{
	static const uint8_t dst[6] = GEN_ETH_DST;
	uint32_t off = 12;
	uint8_t *ip, *udp;

	memset(b, 0, len);
	memcpy(b, dst, 6);
	memcpy(b + 6, src, 6);
	if (mark != GEN_MARK_DSCP) {
		gen_put16(b + off, RTE_ETHER_TYPE_VLAN);
		gen_put16(b + off + 2, (uint16_t)(cls << 13 | 1));
		off += 4;
	}
	gen_put16(b + off, RTE_ETHER_TYPE_IPV4);

	ip = b + off + 2;
	ip[0] = 0x45;
	ip[1] = mark == GEN_MARK_PCP ? 0 : (uint8_t)(cls << 5); /* DSCP c<<3 */
	gen_put16(ip + 2, (uint16_t)(len - (ip - b)));
	gen_put16(ip + 6, 0x4000);                              /* DF */
	ip[8] = GEN_IP_TTL;
	ip[9] = IPPROTO_UDP;
	gen_put32(ip + 12, GEN_IP_SRC);
	gen_put32(ip + 16, GEN_IP_DST);
	gen_put16(ip + 10, gen_ip_csum(ip));

	udp = ip + 20;
	gen_put16(udp, (uint16_t)(GEN_UDP_SPORT + cls));
	gen_put16(udp + 2, GEN_UDP_DPORT);
	gen_put16(udp + 4, (uint16_t)(len - (udp - b)));
	gen_put32(udp + 8, GEN_MAGIC);
	gen_put32(udp + 12, cls);
}

/* Frame length of entry @i of the size mix: grown to fit the headers. */
static uint32_t
gen_tx_len(const struct gen_opts *o, unsigned int i)
{
	uint32_t min = gen_hdr_offset(o->mark) + GEN_HDR_LEN;

	return o->sizes.value[i] < min ? min : o->sizes.value[i];
}

/*
 * XXX: DPDK 22.11's net_memif, copying a frame that spans several of its
 * buffers, sets a "next" flag on the frame's first descriptor and never
 * clears it there; a one-buffer frame later written to that slot inherits
 * it, and the receiver, following the chain past the ring's tail, reads
 * the whole ring again (millions of duplicates from a few thousand
 * frames). It takes frames on both sides of the buffer size, so that mix
 * is refused rather than sent.
 */
static int
gen_tx_check_memif(const struct gen_app *app)
{
	uint32_t bsize = app->memif_bsize, lo = UINT32_MAX, hi = 0, len;
	unsigned int i;

	for (i = 0; i < app->opts.sizes.n; i++) {
		len = gen_tx_len(&app->opts, i);
		lo = len < lo ? len : lo;
		hi = len > hi ? len : hi;
	}
	if (bsize == 0 || lo > bsize || hi <= bsize)
		return 0;

	GEN_LOG(ERR, "port %u (net_memif): frames of %u and of %u bytes "
		"around its %u-byte buffers: net_memif corrupts its ring on "
		"such a mix; give bsize=%u (or more) to both ends' --vdev\n",
		app->port, lo, hi, bsize, hi);
	return -EINVAL;
}

/*
 * Before the port starts (a memif port closed mid-handshake can crash
 * its control thread): sizes that grow are said once, and a size mix
 * the port would mangle is refused.
 */
int
gen_tx_check(const struct gen_app *app)
{
	const struct gen_opts *o = &app->opts;
	unsigned int i;

	for (i = 0; i < o->sizes.n; i++) {
		if (gen_tx_len(o, i) == o->sizes.value[i])
			continue;
		/* XXX: the frames are longer than asked: --size 64 sends 70 */
		GEN_LOG(WARNING, "size %u is below the %u bytes the headers "
			"need (the %u-byte sluice-gen header included): "
			"sending %u-byte frames\n", o->sizes.value[i],
			gen_tx_len(o, i), GEN_HDR_LEN, gen_tx_len(o, i));
	}
	return gen_tx_check_memif(app);
}

static int
gen_tx_templates(struct gen_tx *t)
{
	const struct gen_mix *c = &t->o->classes;
	unsigned int s, i;

	for (s = 0; s < t->o->sizes.n; s++) {
		for (i = 0; i < c->n; i++) {
			uint8_t *b = malloc(t->len[s]);

			if (b == NULL)
				return -ENOMEM;
			gen_frame_build(b, t->len[s], c->value[i], t->o->mark,
					t->app->mac);
			t->tmpl[s][c->value[i]] = b;
		}
	}
	return 0;
}

static void
gen_tx_templates_free(struct gen_tx *t)
{
	unsigned int s, c;

	for (s = 0; s < GEN_MIX_MAX; s++)
		for (c = 0; c < GEN_CLASSES; c++)
			free(t->tmpl[s][c]);
}

static uint64_t
gen_lcm(uint64_t a, uint64_t b)
{
	uint64_t x = a, y = b, r;

	while (y) {
		r = x % y;
		x = y;
		y = r;
	}
	return a / x * b;
}

/*
 * Play orders of sizes (as indexes into len[]) and of classes. Played
 * side by side, two orders whose lengths share a factor would pair the
 * same sizes with the same classes for ever (0,5 with 64,1518: class 0
 * always short). So the size order shifts by one entry every lcm of the
 * two lengths: every pairing comes up, and both splits stay exact.
 */
static void
gen_tx_schedules(struct gen_tx *t)
{
	struct gen_mix idx = t->o->sizes;
	unsigned int i;

	for (i = 0; i < idx.n; i++)
		idx.value[i] = i;
	t->n_size_sched = (unsigned int)gen_mix_schedule(&idx, t->size_sched,
							 GEN_SCHED_MAX);
	t->n_class_sched = (unsigned int)gen_mix_schedule(&t->o->classes,
							  t->class_sched,
							  GEN_SCHED_MAX);
	t->rotate_every = gen_lcm(t->n_size_sched, t->n_class_sched);
	t->rotate_left = t->rotate_every;
}

static unsigned int
gen_tx_next_size(struct gen_tx *t)
{
	unsigned int s = t->size_sched[t->size_at];

	if (++t->size_at == t->n_size_sched)
		t->size_at = 0;
	if (--t->rotate_left == 0) {
		t->rotate_left = t->rotate_every;
		if (++t->size_at == t->n_size_sched)
			t->size_at = 0;
	}
	return s;
}

/* ------------------------------------------------------------ pacing */

static double
gen_tx_rate(const struct gen_tx *t)
{
	const struct gen_mix *m = &t->o->sizes;
	double bytes = 0, weights = 0, bps;
	unsigned int i;

	if (t->o->rate_pps)
		return (double)t->o->rate_pps;

	for (i = 0; i < m->n; i++) {
		bytes += (double)m->weight[i] * (t->len[i] + GEN_WIRE_OVERHEAD);
		weights += m->weight[i];
	}
	bps = (double)fc_speed_mbps(t->app->speed_mbps) * 1e6 *
	      t->o->rate_pct / 100.0;
	return bps / (8.0 * bytes / weights);
}

/*
 * Slots due at @now not yet used, at most a burst. After a late turn
 * (the process was preempted) the next turns catch up, a burst at a
 * time, but on at most GEN_BACKLOG_BURSTS bursts of backlog: older slots
 * are given up (slots_late). Catching up keeps the average on the rate
 * across a short stall; the cap keeps a long one (or a rate beyond what
 * this core can build) from turning into a storm the peer cannot take.
 */
static unsigned int
gen_tx_due(struct gen_tx *t, uint64_t now)
{
	uint64_t due, n, backlog = (uint64_t)t->o->burst * GEN_BACKLOG_BURSTS;

	if (now < t->epoch)
		return 0;

	due = (uint64_t)((double)(now - t->epoch) / t->cyc_per_slot) + 1;
	if (due <= t->slots)
		return 0;

	n = due - t->slots;
	if (n > backlog) {
		t->slots_late += n - backlog;
		t->slots += n - backlog;
		n = backlog;
	}
	if (n > t->o->burst)
		n = t->o->burst;
	if (t->o->count && n > t->o->count - t->seq)
		n = t->o->count - t->seq;
	return (unsigned int)n;
}

/* ------------------------------------------------------------ sending */

static void
gen_tx_fill(struct gen_tx *t, struct rte_mbuf *m, unsigned int cls)
{
	unsigned int s = gen_tx_next_size(t);
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint64_t seq = rte_cpu_to_be_64(t->seq++);

	rte_memcpy(p, t->tmpl[s][cls], t->len[s]);
	memcpy(p + t->hdr_off + 8, &seq, sizeof(seq));
	m->data_len = (uint16_t)t->len[s];
	m->pkt_len = t->len[s];
	t->tx_by_class[cls]++;
}

/* Classes of the next @n slots; paused ones are skipped. */
static unsigned int
gen_tx_pick(struct gen_tx *t, unsigned int n, uint64_t now, uint8_t *cls)
{
	unsigned int i, k = 0, c;

	for (i = 0; i < n; i++) {
		c = t->class_sched[t->class_at];
		if (++t->class_at == t->n_class_sched)
			t->class_at = 0;
		/*
		 * XXX: the turn is lost, not deferred: a PFC-paused class
		 * sends less, the others keep their own rates (they do not
		 * take over its share), and no sequence number is used.
		 */
		if (gen_pause_class(&t->pause, c, now)) {
			t->slots_paused++;
			continue;
		}
		cls[k++] = (uint8_t)c;
	}
	return k;
}

static void
gen_tx_burst(struct gen_tx *t, unsigned int n, uint64_t now)
{
	struct rte_mbuf *pkts[GEN_BURST_MAX];
	uint8_t cls[GEN_BURST_MAX];
	unsigned int i, k;
	uint16_t sent;
	uint64_t tsc;

	t->slots += n;
	k = gen_tx_pick(t, n, now, cls);
	if (k == 0)
		return;
	if (rte_pktmbuf_alloc_bulk(t->app->pool, pkts, k) != 0) {
		t->alloc_failed += k;
		return;
	}

	for (i = 0; i < k; i++)
		gen_tx_fill(t, pkts[i], cls[i]);

	/* one stamp for the burst, taken as late as possible */
	tsc = rte_cpu_to_be_64(rte_rdtsc());
	for (i = 0; i < k; i++)
		memcpy(rte_pktmbuf_mtod_offset(pkts[i], uint8_t *,
					       t->hdr_off + 16), &tsc,
		       sizeof(tsc));

	/*
	 * XXX: a vdev refuses frames when its peer is slow, not only when a
	 * wire would: over memif a sink that falls behind shows up here as
	 * wire_lost, never as loss at the sink.
	 */
	sent = rte_eth_tx_burst(t->app->port, 0, pkts, (uint16_t)k);
	t->tx_packets += sent;
	if (sent < k) {
		t->wire_lost += k - sent;
		rte_pktmbuf_free_bulk(pkts + sent, k - sent);
	}
}

/* ------------------------------------------------------------ receiving */

static void
gen_tx_control(struct gen_tx *t, const struct rte_mbuf *m, uint64_t now)
{
	uint8_t buf[FC_FRAME_LEN];
	uint32_t len = m->pkt_len < FC_FRAME_LEN ? m->pkt_len : FC_FRAME_LEN;
	const uint8_t *p = rte_pktmbuf_read(m, 0, len, buf);
	struct fc_frame f;

	t->rx_packets++;
	switch (p == NULL ? FC_NOT_MAC_CONTROL : fc_parse(p, len, &f)) {
	case FC_PAUSE:
		t->pause_rx++;
		break;
	case FC_PFC:
		t->pfc_rx++;
		break;
	case FC_RUNT:
	case FC_UNKNOWN_OPCODE:
		t->malformed_rx++;
		return;
	default:
		t->other_rx++;
		return;
	}

	if (gen_fc_is_xon(&f))
		t->xon_rx++;
	if (t->o->honor_pause)
		gen_pause_apply(&t->pause, &f, now);
}

static void
gen_tx_rx(struct gen_tx *t, uint64_t now)
{
	struct rte_mbuf *pkts[GEN_BURST_MAX];
	uint16_t i, n;

	n = rte_eth_rx_burst(t->app->port, 0, pkts, GEN_BURST_MAX);
	for (i = 0; i < n; i++)
		gen_tx_control(t, pkts[i], now);
	rte_pktmbuf_free_bulk(pkts, n);
}

/* ------------------------------------------------------------ the run */

static bool
gen_tx_done(const struct gen_tx *t, uint64_t now)
{
	return gen_signalled || (t->o->count && t->seq >= t->o->count) ||
	       (t->stop_at && now >= t->stop_at);
}

static void
gen_tx_loop(struct gen_tx *t)
{
	uint64_t now = rte_rdtsc();
	unsigned int n;

	t->start = t->epoch = now;
	if (t->o->duration_s > 0)
		t->stop_at = now + (uint64_t)(t->o->duration_s *
					      (double)t->app->hz);
	gen_pause_init(&t->pause, t->app->hz, t->app->speed_mbps, now);

	for (;;) {
		now = rte_rdtsc();
		gen_tx_rx(t, now);
		if (gen_tx_done(t, now))
			break;

		if (gen_pause_link(&t->pause, now)) {
			t->held = true;
			continue;
		}
		if (t->held) {
			t->epoch = now;
			t->slots = 0;
			t->held = false;
		}

		n = gen_tx_due(t, now);
		if (n)
			gen_tx_burst(t, n, now);
	}
	t->end = now;
}

/* Late PAUSE/PFC still count; the pause timers keep running meanwhile. */
static void
gen_tx_linger(struct gen_tx *t)
{
	uint64_t now = rte_rdtsc();
	uint64_t until = now + gen_ms_to_cyc(t->app, t->o->linger_ms);
	sig_atomic_t sig = gen_signalled;

	while (now < until && gen_signalled == sig) {
		gen_tx_rx(t, now);
		now = rte_rdtsc();
	}
	gen_pause_account(&t->pause, now);
}

static int
gen_tx_prepare(struct gen_tx *t, struct gen_app *app)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	t->app = app;
	t->o = &app->opts;
	t->hdr_off = gen_hdr_offset(t->o->mark);
	for (i = 0; i < t->o->sizes.n; i++)
		t->len[i] = gen_tx_len(t->o, i);
	gen_tx_schedules(t);
	if (gen_tx_templates(t) < 0) {
		GEN_LOG(ERR, "frame templates: %s\n", strerror(ENOMEM));
		return -ENOMEM;
	}

	t->link_up = gen_port_wait_link(app, t->o->link_wait_ms);
	if (!t->link_up)
		GEN_LOG(WARNING, "port %u: link still down after %u ms; "
			"sending anyway (frames the port refuses count as "
			"wire_lost)\n", app->port, t->o->link_wait_ms);

	t->rate_pps = gen_tx_rate(t);
	t->cyc_per_slot = (double)app->hz / t->rate_pps;
	GEN_LOG(INFO, "port %u: sending %.0f frames/s (link %u Mb/s%s), "
		"%u size(s), %u class(es), PAUSE/PFC %s\n", app->port,
		t->rate_pps, fc_speed_mbps(app->speed_mbps),
		app->speed_mbps ? "" : ", assumed", t->o->sizes.n,
		t->o->classes.n, t->o->honor_pause ? "obeyed" : "ignored");
	return 0;
}

static uint64_t
gen_cyc_to_us(const struct gen_app *app, uint64_t cyc)
{
	return (uint64_t)((double)cyc * 1e6 / (double)app->hz);
}

static void
gen_tx_report(const struct gen_tx *t, struct gen_report *r)
{
	double elapsed = (double)(t->end - t->start) / (double)t->app->hz;
	uint64_t by_cls[GEN_CLASSES];
	unsigned int c;

	r->title = "sluice-gen: generator";
	gen_report_str(r, "mode", "generator");
	gen_report_u64(r, "tx_packets", t->tx_packets);
	gen_report_u64(r, "wire_lost", t->wire_lost);
	gen_report_u64(r, "tx_attempted", t->seq);
	gen_report_arr(r, "tx_attempted_by_class", t->tx_by_class,
		       GEN_CLASSES);
	gen_report_u64(r, "tx_alloc_failed", t->alloc_failed);
	gen_report_u64(r, "slots_paused", t->slots_paused);
	gen_report_u64(r, "slots_late", t->slots_late);
	gen_report_u64(r, "rx_packets", t->rx_packets);
	gen_report_u64(r, "pause_frames_rx", t->pause_rx);
	gen_report_u64(r, "pfc_frames_rx", t->pfc_rx);
	gen_report_u64(r, "xon_frames_rx", t->xon_rx);
	gen_report_u64(r, "mac_control_malformed", t->malformed_rx);
	gen_report_u64(r, "rx_other", t->other_rx);
	gen_report_bool(r, "honor_pause", t->o->honor_pause);
	gen_report_u64(r, "paused_time_us",
		       gen_cyc_to_us(t->app, t->pause.paused_any));
	for (c = 0; c < GEN_CLASSES; c++)
		by_cls[c] = gen_cyc_to_us(t->app, t->pause.paused_cls[c]);
	gen_report_arr(r, "paused_time_us_by_class", by_cls, GEN_CLASSES);
	gen_report_bool(r, "link_up", t->link_up);
	gen_report_u64(r, "link_speed_mbps", t->app->speed_mbps);
	gen_report_f64(r, "elapsed_s", elapsed);
	gen_report_f64(r, "rate_pps_configured", t->rate_pps);
	gen_report_f64(r, "rate_pps_achieved", elapsed > 0 ?
		       (double)t->tx_packets / elapsed : 0);
	gen_port_report(t->app, r);
}

int
gen_tx_run(struct gen_app *app, struct gen_report *r)
{
	struct gen_tx *t = &gen_tx;
	int rc;

	rc = gen_tx_prepare(t, app);
	if (rc == 0) {
		gen_tx_loop(t);
		gen_tx_linger(t);
		gen_tx_report(t, r);
	}
	gen_tx_templates_free(t);
	return rc;
}
