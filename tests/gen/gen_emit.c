/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Emitter mode: send the PAUSE or PFC frames listed on the command line,
 * one every --emit-gap-us, starting --emit-delay-ms after the link came
 * up; then linger and exit. Whatever arrives meanwhile is drained and
 * counted, so a generator on the other end never fills our RX ring.
 *
 * Unlike the generator's frames, these are retried for a while when the
 * port does not take them: a test that sends two frames needs both to go.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gen.h"

#define GEN_EMIT_RETRY_MS 100

struct gen_emit {
	struct gen_app *app;
	uint64_t emitted;
	uint64_t emit_lost;
	uint64_t rx_packets;
	bool link_up;
};

/* Drain RX until @until (TSC) or a new signal. */
static void
gen_emit_wait(struct gen_emit *e, uint64_t until)
{
	sig_atomic_t sig = gen_signalled;

	while (rte_rdtsc() < until && gen_signalled == sig)
		e->rx_packets += gen_rx_discard(e->app);
}

static struct rte_mbuf *
gen_emit_frame(const struct gen_app *app, const struct gen_emit_frame *f)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(app->pool);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, FC_FRAME_LEN);
	if (f->pfc)
		fc_build_pfc(p, app->mac, f->enable, f->quanta);
	else
		fc_build_pause(p, app->mac, f->quanta[0]);
	return m;
}

static void
gen_emit_one(struct gen_emit *e, const struct gen_emit_frame *f)
{
	uint64_t until = rte_rdtsc() + gen_ms_to_cyc(e->app,
						     GEN_EMIT_RETRY_MS);
	struct rte_mbuf *m = gen_emit_frame(e->app, f);

	while (m != NULL && rte_rdtsc() < until) {
		if (rte_eth_tx_burst(e->app->port, 0, &m, 1) == 1) {
			e->emitted++;
			return;
		}
		e->rx_packets += gen_rx_discard(e->app);
	}
	e->emit_lost++;
	rte_pktmbuf_free(m);
}

static void
gen_emit_report(const struct gen_emit *e, struct gen_report *r)
{
	r->title = "sluice-gen: emitter";
	gen_report_str(r, "mode", "emitter");
	gen_report_u64(r, "emitted", e->emitted);
	gen_report_u64(r, "emit_lost", e->emit_lost);
	gen_report_u64(r, "rx_packets", e->rx_packets);
	gen_report_bool(r, "link_up", e->link_up);
	gen_port_report(e->app, r);
}

int
gen_emit_run(struct gen_app *app, struct gen_report *r)
{
	const struct gen_opts *o = &app->opts;
	struct gen_emit e = { .app = app };
	uint64_t gap = (uint64_t)o->emit_gap_us * app->hz / 1000000;
	uint64_t next;
	unsigned int i;

	e.link_up = gen_port_wait_link(app, o->link_wait_ms);
	if (!e.link_up)
		GEN_LOG(WARNING, "port %u: link still down after %u ms; "
			"sending anyway\n", app->port, o->link_wait_ms);

	next = rte_rdtsc() + gen_ms_to_cyc(app, o->emit_delay_ms);
	for (i = 0; i < o->n_emit && !gen_signalled; i++) {
		gen_emit_wait(&e, next);
		gen_emit_one(&e, &o->emit[i]);
		next += gap;
	}

	/* the peer must read the last frame before we (and our rings) go */
	gen_emit_wait(&e, rte_rdtsc() + gen_ms_to_cyc(app, o->linger_ms));
	gen_emit_report(&e, r);
	return 0;
}
