/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mempool sizing. An mbuf pool smaller than what the descriptors, rings,
 * caches and bursts can hold at once runs dry under pressure, and the NIC
 * then counts rx_nombuf: drops that look like backpressure but are a
 * configuration error. sluice computes the worst case and refuses to start
 * below it.
 *
 * Note: the rule counts one mbuf per packet. A frame longer than the mbuf
 * data room takes several; a pipeline full of such frames can still drain
 * the pool, which then shows as nic_rx_nombuf, never as a silent loss.
 */
#ifndef SLUICE_POOL_H
#define SLUICE_POOL_H

#include <stdint.h>

struct pool_need {
	uint32_t rx_desc;      /* per RX queue */
	uint32_t rx_queues;
	uint32_t tx_desc;      /* per TX queue */
	uint32_t tx_queues;    /* over all ports sluice transmits on */
	uint64_t ring_entries; /* sum of the rings' usable capacities */
	uint32_t lcores;       /* lcores that hold mbufs */
	uint32_t cache;        /* per-lcore mempool cache size */
	uint32_t burst;
	uint32_t held_bursts;  /* bursts one lcore may hold at once */
};

struct pool_size {
	uint64_t descriptors;
	uint64_t rings;
	uint64_t caches;
	uint64_t bursts;
	uint64_t required;     /* the sum of the above */
};

/* Worst-case mbufs in use at once; see the file comment. */
void pool_required(const struct pool_need *n, struct pool_size *s);

/*
 * Default size: the requirement plus a quarter, rounded up to 2^k - 1
 * (the ring under an rte_mempool is then used whole).
 */
uint64_t pool_default_size(const struct pool_size *s);

#endif /* SLUICE_POOL_H */
