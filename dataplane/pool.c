/* SPDX-License-Identifier: BSD-3-Clause */
#include "pool.h"

void
pool_required(const struct pool_need *n, struct pool_size *s)
{
	s->descriptors = (uint64_t)n->rx_desc * n->rx_queues +
			 (uint64_t)n->tx_desc * n->tx_queues;
	s->rings = n->ring_entries;

	/*
	 * A per-lcore cache may grow to 1.5 times its size before it flushes
	 * to the common pool; mbufs parked there are not usable elsewhere.
	 */
	s->caches = (uint64_t)n->lcores * (n->cache + n->cache / 2);
	s->bursts = (uint64_t)n->lcores * n->burst * n->held_bursts;
	s->required = s->descriptors + s->rings + s->caches + s->bursts;
}

uint64_t
pool_default_size(const struct pool_size *s)
{
	uint64_t want = s->required + s->required / 4;
	uint64_t size = 1;

	while (size - 1 < want)
		size <<= 1;
	return size - 1;
}
