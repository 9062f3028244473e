/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet accounting. Every lcore owns one struct acct_lcore and is its only
 * writer, so the hot path uses plain increments; readers sum all of them.
 * The invariant, per port and in total, at any read and after a drain:
 *
 *   rx_packets = tx_packets + sum(dropped[reason]) + in_flight
 *
 * where rx_packets counts frames sluice took from the port. Frames the NIC
 * or its driver lost before sluice saw them (imissed, rx_nombuf, ierrors)
 * are drops too; they are counted by the port, reported under their own
 * reasons, and kept out of rx_packets so the identity stays exact.
 */
#ifndef SLUICE_ACCT_H
#define SLUICE_ACCT_H

#include <stdint.h>

#include "pkt.h"

enum acct_drop {
	ACCT_DROP_RUNT = 0,     /* shorter than an Ethernet header */
	ACCT_DROP_OVERSIZE,     /* longer than --max-frame */
	ACCT_DROP_MALFORMED,    /* parser anomaly with --malformed drop */
	ACCT_DROP_DRAIN,        /* still queued when the drain timed out */
	ACCT_DROP_RING_FULL,    /* pause/pfc: ring0 had no room at RX */
	ACCT_DROP_MAC_CONTROL,  /* PAUSE/PFC and other 0x8808: never forwarded */
	ACCT_DROP_SHED,         /* class shed by the pause watchdog */
	ACCT_DROP_MAX,
};

/* Drops counted by the port itself, read from rte_eth_stats. */
enum acct_nic_drop {
	ACCT_NIC_IMISSED = 0,
	ACCT_NIC_RX_NOMBUF,
	ACCT_NIC_IERRORS,
	ACCT_NIC_MAX,
};

struct acct_lcore {
	uint64_t rx;
	uint64_t tx;
	uint64_t drop[ACCT_DROP_MAX];
	uint64_t cls[PKT_CLASSES];
	uint64_t anomaly[PKT_ANOMALY_MAX];
} __attribute__((aligned(64)));

struct acct_total {
	uint64_t rx;
	uint64_t tx;
	uint64_t drop[ACCT_DROP_MAX];
	uint64_t dropped;          /* sum of drop[] */
	uint64_t in_flight;        /* rx - tx - dropped */
	uint64_t cls[PKT_CLASSES];
	uint64_t anomaly[PKT_ANOMALY_MAX];
	uint64_t nic[ACCT_NIC_MAX];
};

/*
 * Sum @n per-lcore blocks into @t (nic[] is left as it was). Downstream
 * counters are read before rx, so a packet counted as sent or dropped is
 * always already counted as received: in_flight never goes negative while
 * the lcores run.
 */
void acct_sum(const struct acct_lcore *const *lc, unsigned int n,
	      struct acct_total *t);

const char *acct_drop_name(enum acct_drop d);
const char *acct_nic_name(enum acct_nic_drop d);

#endif /* SLUICE_ACCT_H */
