/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sink mode: receive on one port, find the sluice-gen header in each
 * frame and account for it: sequence (lost, duplicated, reordered),
 * latency from the TSC stamp, class. Anything else is rx_foreign.
 *
 * Every frame is read through a bounded copy of its first bytes and the
 * shared parser, which never reads past what it is given: a runt, a
 * truncated header or a lying length field ends up as rx_foreign, never
 * as a read out of bounds.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gen.h"
#include "pkt.h"

/* Enough for Ethernet, 4 tags, IPv4 with options, UDP and our header. */
#define GEN_SINK_PEEK 160

struct gen_sink {
	struct gen_app *app;
	const struct gen_opts *o;
	struct gen_seq seq;
	struct gen_hist lat;
	double ns_per_cyc;
	uint64_t rx_packets;
	uint64_t rx_foreign;
	uint64_t latency_invalid;  /* stamp in the future: not our TSC */
	uint64_t lat_sum_ns;
	uint64_t rx_by_class[GEN_CLASSES];
	uint64_t start, end, first_rx, last_rx;
};

static struct gen_sink gen_sink;

/* The header of a well-formed IPv4/UDP frame, or false. */
static bool
gen_sink_header(const uint8_t *p, uint32_t caplen, uint32_t wirelen,
		struct gen_hdr *h)
{
	struct pkt_info pi;
	uint32_t off;

	if (pkt_parse(p, caplen, wirelen, NULL, &pi) != PKT_OK ||
	    pi.l3 != PKT_L3_IPV4 || pi.l4_proto != IPPROTO_UDP ||
	    !pi.has_ports)
		return false;

	off = pi.l4_off + 8u;
	if (off + GEN_HDR_LEN > caplen)
		return false;
	memcpy(h, p + off, sizeof(*h));
	h->magic = rte_be_to_cpu_32(h->magic);
	h->cls = rte_be_to_cpu_32(h->cls);
	h->seq = rte_be_to_cpu_64(h->seq);
	h->tsc = rte_be_to_cpu_64(h->tsc);
	return h->magic == GEN_MAGIC && h->cls < GEN_CLASSES &&
	       h->seq < GEN_COUNT_MAX;
}

static void
gen_sink_frame(struct gen_sink *s, const struct rte_mbuf *m, uint64_t now)
{
	uint8_t buf[GEN_SINK_PEEK];
	uint32_t len = m->pkt_len < GEN_SINK_PEEK ? m->pkt_len : GEN_SINK_PEEK;
	const uint8_t *p = rte_pktmbuf_read(m, 0, len, buf);
	struct gen_hdr h;
	uint64_t ns;

	if (p == NULL || !gen_sink_header(p, len, m->pkt_len, &h)) {
		s->rx_foreign++;
		return;
	}

	s->rx_packets++;
	s->rx_by_class[h.cls]++;
	gen_seq_see(&s->seq, h.seq);

	/* XXX: only meaningful when both ends read the same TSC */
	if (h.tsc > now) {
		s->latency_invalid++;
		return;
	}
	ns = (uint64_t)((double)(now - h.tsc) * s->ns_per_cyc);
	gen_hist_add(&s->lat, ns);
	s->lat_sum_ns += ns;
}

static bool
gen_sink_done(const struct gen_sink *s, uint64_t now, uint64_t stop_at,
	      uint64_t idle)
{
	if (gen_signalled || (stop_at && now >= stop_at))
		return true;
	/* idle counts from the first frame: the sink may start long before */
	return idle && s->last_rx && now - s->last_rx >= idle;
}

static void
gen_sink_loop(struct gen_sink *s)
{
	struct rte_mbuf *pkts[GEN_BURST_MAX];
	uint64_t now = rte_rdtsc(), stop_at = 0;
	uint64_t idle = gen_ms_to_cyc(s->app, s->o->idle_exit_ms);
	uint16_t i, n;

	s->start = now;
	if (s->o->duration_s > 0)
		stop_at = now + (uint64_t)(s->o->duration_s *
					   (double)s->app->hz);

	while (!gen_sink_done(s, now, stop_at, idle)) {
		n = rte_eth_rx_burst(s->app->port, 0, pkts,
				     (uint16_t)s->o->burst);
		now = rte_rdtsc();
		if (n == 0)
			continue;

		for (i = 0; i < n; i++)
			gen_sink_frame(s, pkts[i], now);
		rte_pktmbuf_free_bulk(pkts, n);
		if (s->first_rx == 0)
			s->first_rx = now;
		s->last_rx = now;
	}
	s->end = now;
}

static void
gen_sink_report(const struct gen_sink *s, struct gen_report *r)
{
	double hz = (double)s->app->hz;
	double span = (double)(s->last_rx - s->first_rx) / hz;
	uint64_t valid = s->lat.n;

	r->title = "sluice-gen: sink";
	gen_report_str(r, "mode", "sink");
	gen_report_u64(r, "rx_packets", s->rx_packets);
	gen_report_u64(r, "lost", gen_seq_lost(&s->seq, s->o->expect));
	gen_report_u64(r, "duplicated", s->seq.duplicated);
	gen_report_u64(r, "reordered", s->seq.reordered);
	gen_report_u64(r, "too_old", s->seq.too_old);
	gen_report_u64(r, "rx_foreign", s->rx_foreign);
	gen_report_arr(r, "rx_by_class", s->rx_by_class, GEN_CLASSES);
	gen_report_u64(r, "expect", s->o->expect);
	gen_report_u64(r, "seq_window", s->seq.size);

	gen_report_open(r, "latency_ns");
	gen_report_u64(r, "p50", gen_hist_pct(&s->lat, 50));
	gen_report_u64(r, "p99", gen_hist_pct(&s->lat, 99));
	gen_report_u64(r, "max", s->lat.max);
	gen_report_u64(r, "mean", valid ? s->lat_sum_ns / valid : 0);
	gen_report_close(r);
	gen_report_u64(r, "latency_invalid", s->latency_invalid);

	gen_report_f64(r, "elapsed_s", (double)(s->end - s->start) / hz);
	gen_report_f64(r, "rx_pps", span > 0 ?
		       (double)(s->rx_packets + s->rx_foreign) / span : 0);
	gen_port_report(s->app, r);
}

int
gen_sink_run(struct gen_app *app, struct gen_report *r)
{
	struct gen_sink *s = &gen_sink;
	int rc;

	memset(s, 0, sizeof(*s));
	s->app = app;
	s->o = &app->opts;
	s->ns_per_cyc = 1e9 / (double)app->hz;
	rc = gen_seq_init(&s->seq, s->o->expect);
	if (rc < 0) {
		GEN_LOG(ERR, "sequence window of %llu numbers: %s\n",
			(unsigned long long)s->seq.size, strerror(-rc));
		return rc;
	}

	GEN_LOG(INFO, "port %u: receiving%s\n", app->port,
		s->o->idle_exit_ms ? "; stops when idle after the first frame"
				   : "");
	gen_sink_loop(s);
	gen_sink_report(s, r);
	gen_seq_free(&s->seq);
	return 0;
}
