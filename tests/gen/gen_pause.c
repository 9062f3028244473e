/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generator's MAC pause timers, as 802.3 Annex 31B and 802.1Qbb have
 * them: a received frame replaces the remaining time (it does not add to
 * it, and a shorter time cuts a longer one short); time 0 resumes at once.
 * PAUSE holds the whole link, PFC one timer per enabled priority.
 *
 * Paused time is accounted lazily: a timer only changes when a frame
 * comes, so accounting up to "now" before applying each frame (and once
 * at the end) measures exactly how long each timer ran.
 */
#include <string.h>

#include "gen.h"

void
gen_pause_init(struct gen_pause *p, uint64_t hz, uint32_t speed_mbps,
	       uint64_t now)
{
	memset(p, 0, sizeof(*p));
	p->hz = hz;
	p->speed_mbps = speed_mbps;
	p->acct_at = now;
}

static uint64_t
gen_pause_cycles(const struct gen_pause *p, uint16_t quanta)
{
	uint64_t ns = fc_quanta_to_ns(quanta, p->speed_mbps);

	/* at 10 Mb/s the longest pause is 3.4 s: ns * hz would overflow */
	return (uint64_t)((double)ns * (double)p->hz / 1e9);
}

void
gen_pause_account(struct gen_pause *p, uint64_t now)
{
	uint64_t until, d, any = 0;
	unsigned int c;

	if (now <= p->acct_at)
		return;

	/*
	 * Within [acct_at, now] each class was paused over a prefix of the
	 * interval, so the time some class was paused is the longest prefix.
	 */
	for (c = 0; c < GEN_CLASSES; c++) {
		until = p->cls_until[c] > p->link_until ? p->cls_until[c] :
			p->link_until;
		if (until <= p->acct_at)
			continue;
		d = (until < now ? until : now) - p->acct_at;
		p->paused_cls[c] += d;
		if (d > any)
			any = d;
	}
	p->paused_any += any;
	p->acct_at = now;
}

void
gen_pause_apply(struct gen_pause *p, const struct fc_frame *f, uint64_t now)
{
	unsigned int c;

	gen_pause_account(p, now);
	if (f->kind == FC_PAUSE) {
		p->link_until = now + gen_pause_cycles(p, f->quanta[0]);
		return;
	}

	for (c = 0; c < GEN_CLASSES; c++)
		if (fc_vec_test(f->enable, c))
			p->cls_until[c] = now + gen_pause_cycles(p,
								 f->quanta[c]);
}

/*
 * XON: a PAUSE of time 0, or a PFC whose enabled times are all 0. A PFC
 * that enables no class changes nothing and is not counted as XON.
 */
bool
gen_fc_is_xon(const struct fc_frame *f)
{
	unsigned int c;

	if (f->kind == FC_PAUSE)
		return f->quanta[0] == 0;
	if (f->kind != FC_PFC || f->enable == 0)
		return false;

	for (c = 0; c < GEN_CLASSES; c++)
		if (fc_vec_test(f->enable, c) && f->quanta[c] != 0)
			return false;
	return true;
}
