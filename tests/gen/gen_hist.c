/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log-linear histogram of nanoseconds: exact below 16, above that each
 * power of two is cut into 16 equal buckets, so a bucket is at most 1/16
 * (6.25%) of its values wide. 976 counters cover all of uint64_t; adding
 * a value is a count-leading-zeros and an increment.
 */
#include <math.h>

#include "gen.h"

static unsigned int
gen_hist_index(uint64_t v)
{
	unsigned int e;

	if (v < GEN_HIST_SUB)
		return (unsigned int)v;

	e = 63u - (unsigned int)__builtin_clzll(v);
	return GEN_HIST_SUB * (e - GEN_HIST_SUB_BITS + 1) +
	       (unsigned int)((v >> (e - GEN_HIST_SUB_BITS)) &
			      (GEN_HIST_SUB - 1));
}

/* Highest value that lands in bucket @i. */
static uint64_t
gen_hist_upper(unsigned int i)
{
	unsigned int shift, sub;

	if (i < GEN_HIST_SUB)
		return i;

	shift = i / GEN_HIST_SUB - 1;
	sub = i % GEN_HIST_SUB;
	return (((uint64_t)(GEN_HIST_SUB + sub) << shift) - 1) +
	       (1ull << shift);
}

void
gen_hist_add(struct gen_hist *h, uint64_t v)
{
	h->b[gen_hist_index(v)]++;
	h->n++;
	if (v > h->max)
		h->max = v;
}

/*
 * The @pct percentile (0 < pct <= 100), as the upper bound of its bucket:
 * never below the true value, at most 6.25% above it, never above max.
 */
uint64_t
gen_hist_pct(const struct gen_hist *h, double pct)
{
	uint64_t rank, seen = 0, up;
	unsigned int i;

	if (h->n == 0)
		return 0;

	rank = (uint64_t)ceil(pct / 100.0 * (double)h->n);
	if (rank == 0)
		rank = 1;
	for (i = 0; i < GEN_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank)
			break;
	}
	up = gen_hist_upper(i < GEN_HIST_BUCKETS ? i : GEN_HIST_BUCKETS - 1);
	return up < h->max ? up : h->max;
}
