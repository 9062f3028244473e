/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "acct.h"

static const char *const acct_drop_names[ACCT_DROP_MAX] = {
	[ACCT_DROP_RUNT] = "runt",
	[ACCT_DROP_OVERSIZE] = "oversize",
	[ACCT_DROP_MALFORMED] = "malformed",
	[ACCT_DROP_DRAIN] = "drain_timeout",
	[ACCT_DROP_RING_FULL] = "ring_full",
	[ACCT_DROP_MAC_CONTROL] = "mac_control",
	[ACCT_DROP_SHED] = "shed",
};

static const char *const acct_nic_names[ACCT_NIC_MAX] = {
	[ACCT_NIC_IMISSED] = "nic_imissed",
	[ACCT_NIC_RX_NOMBUF] = "nic_rx_nombuf",
	[ACCT_NIC_IERRORS] = "nic_ierrors",
};

const char *
acct_drop_name(enum acct_drop d)
{
	return d < ACCT_DROP_MAX ? acct_drop_names[d] : "unknown";
}

const char *
acct_nic_name(enum acct_nic_drop d)
{
	return d < ACCT_NIC_MAX ? acct_nic_names[d] : "unknown";
}

static uint64_t
acct_load(const uint64_t *v)
{
	return __atomic_load_n(v, __ATOMIC_ACQUIRE);
}

void
acct_sum(const struct acct_lcore *const *lc, unsigned int n,
	 struct acct_total *t)
{
	uint64_t nic[ACCT_NIC_MAX];
	unsigned int i, k;

	memcpy(nic, t->nic, sizeof(nic));
	memset(t, 0, sizeof(*t));
	memcpy(t->nic, nic, sizeof(nic));

	/* downstream first: see the header */
	for (i = 0; i < n; i++) {
		t->tx += acct_load(&lc[i]->tx);
		for (k = 0; k < ACCT_DROP_MAX; k++)
			t->drop[k] += acct_load(&lc[i]->drop[k]);
	}

	for (i = 0; i < n; i++) {
		t->rx += acct_load(&lc[i]->rx);
		for (k = 0; k < PKT_CLASSES; k++)
			t->cls[k] += acct_load(&lc[i]->cls[k]);
		for (k = 0; k < PKT_ANOMALY_MAX; k++)
			t->anomaly[k] += acct_load(&lc[i]->anomaly[k]);
	}

	for (k = 0; k < ACCT_DROP_MAX; k++)
		t->dropped += t->drop[k];
	t->in_flight = t->rx - t->tx - t->dropped;
}
