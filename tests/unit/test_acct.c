/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Accounting (dataplane/acct.c):
 * - the identity rx = tx + dropped + in_flight over several lcore blocks
 * - drop totals by reason, classes and anomalies summed across lcores
 * - NIC-side drops carried through a sum untouched and out of rx
 * - a reader racing the writers never sees in_flight below zero (the
 *   downstream-first read order), with the writers' ordering of the
 *   dataplane: count rx, hand over, then count tx or a drop
 * - every reason has a distinct snake_case name
 */
#include <pthread.h>
#include <string.h>

#include "acct.h"
#include "cunit_main.h"

static void
test_identity(void)
{
	struct acct_lcore lc[3];
	const struct acct_lcore *p[3] = { &lc[0], &lc[1], &lc[2] };
	struct acct_total t;

	memset(lc, 0, sizeof(lc));
	memset(&t, 0, sizeof(t));
	t.nic[ACCT_NIC_IMISSED] = 7;

	lc[0].rx = 1000;                     /* the RX lcore */
	lc[0].drop[ACCT_DROP_RUNT] = 3;
	lc[0].drop[ACCT_DROP_OVERSIZE] = 2;
	lc[0].cls[0] = 900;
	lc[0].cls[5] = 95;
	lc[0].anomaly[PKT_TRUNCATED] = 4;
	lc[1].drop[ACCT_DROP_DRAIN] = 5;     /* a worker */
	lc[2].tx = 980;                      /* the TX lcore */

	acct_sum(p, 3, &t);
	CU_ASSERT_EQUAL(t.rx, 1000);
	CU_ASSERT_EQUAL(t.tx, 980);
	CU_ASSERT_EQUAL(t.dropped, 10);
	CU_ASSERT_EQUAL(t.in_flight, 10);
	CU_ASSERT_EQUAL(t.rx, t.tx + t.dropped + t.in_flight);
	CU_ASSERT_EQUAL(t.cls[5], 95);
	CU_ASSERT_EQUAL(t.anomaly[PKT_TRUNCATED], 4);
	CU_ASSERT_EQUAL(t.nic[ACCT_NIC_IMISSED], 7);
}

static void
test_names(void)
{
	unsigned int i, j;

	for (i = 0; i < ACCT_DROP_MAX; i++)
		for (j = i + 1; j < ACCT_DROP_MAX; j++)
			CU_ASSERT_NOT_EQUAL(strcmp(acct_drop_name(i),
						   acct_drop_name(j)), 0);
	CU_ASSERT_STRING_EQUAL(acct_drop_name(ACCT_DROP_RUNT), "runt");
	CU_ASSERT_STRING_EQUAL(acct_nic_name(ACCT_NIC_RX_NOMBUF),
			       "nic_rx_nombuf");
	CU_ASSERT_STRING_EQUAL(acct_drop_name(ACCT_DROP_MAX), "unknown");
}

/* A producer and a consumer in the dataplane's order, and a reader. */
static struct acct_lcore race_lc[2];
static volatile uint64_t handed;
static volatile int race_stop;

static void *
race_rx(void *arg)
{
	uint64_t i;

	(void)arg;
	for (i = 0; i < 2000000; i++) {
		race_lc[0].rx++;
		__atomic_store_n(&handed, i + 1, __ATOMIC_RELEASE);
	}
	race_stop = 1;
	return NULL;
}

static void *
race_tx(void *arg)
{
	uint64_t done = 0, avail;

	(void)arg;
	for (;;) {
		avail = __atomic_load_n(&handed, __ATOMIC_ACQUIRE);
		for (; done < avail; done++) {
			if (done % 7 == 0)
				race_lc[1].drop[ACCT_DROP_MALFORMED]++;
			else
				race_lc[1].tx++;
		}
		if (race_stop && done == __atomic_load_n(&handed,
							 __ATOMIC_ACQUIRE))
			break;
	}
	return NULL;
}

static void
test_racing_reader(void)
{
	const struct acct_lcore *p[2] = { &race_lc[0], &race_lc[1] };
	pthread_t rx, tx;
	struct acct_total t;
	uint64_t negative = 0, reads = 0;

	memset(race_lc, 0, sizeof(race_lc));
	memset(&t, 0, sizeof(t));
	CU_ASSERT_FATAL(pthread_create(&rx, NULL, race_rx, NULL) == 0);
	CU_ASSERT_FATAL(pthread_create(&tx, NULL, race_tx, NULL) == 0);
	while (!race_stop || reads < 10) {
		acct_sum(p, 2, &t);
		negative += t.in_flight > t.rx;
		reads++;
	}
	pthread_join(rx, NULL);
	pthread_join(tx, NULL);

	acct_sum(p, 2, &t);
	CU_ASSERT_EQUAL(negative, 0);
	CU_ASSERT_EQUAL(t.rx, 2000000);
	CU_ASSERT_EQUAL(t.in_flight, 0);
	CU_ASSERT_EQUAL(t.rx, t.tx + t.dropped);
}

int
test_register(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "identity", test_identity },
		{ "reason names", test_names },
		{ "reader racing writers", test_racing_reader },
		{ NULL, NULL },
	};

	(void)argc;
	(void)argv;
	return test_add_suite("acct", cases, NULL, NULL);
}
