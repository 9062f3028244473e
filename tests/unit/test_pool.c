/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mempool sizing rule (dataplane/pool.c):
 * - each term (descriptors, rings, caches at 1.5x, bursts held) and the sum
 * - the default size covers the requirement with a quarter to spare and
 *   is of the form 2^k - 1
 * - the figures of the default sluice-dp configuration
 */
#include "cunit_main.h"
#include "pool.h"

static void
test_terms(void)
{
	struct pool_need n = {
		.rx_desc = 512, .rx_queues = 2,
		.tx_desc = 256, .tx_queues = 2,
		.ring_entries = 3 * 1024,
		.lcores = 4, .cache = 256,
		.burst = 32, .held_bursts = 2,
	};
	struct pool_size s;

	pool_required(&n, &s);
	CU_ASSERT_EQUAL(s.descriptors, 512 * 2 + 256 * 2);
	CU_ASSERT_EQUAL(s.rings, 3072);
	CU_ASSERT_EQUAL(s.caches, 4 * 384);
	CU_ASSERT_EQUAL(s.bursts, 4 * 64);
	CU_ASSERT_EQUAL(s.required, 1536 + 3072 + 1536 + 256);
}

static void
test_default_size(void)
{
	struct pool_size s = { .required = 7488 };
	uint64_t size = pool_default_size(&s);

	CU_ASSERT_EQUAL(size, 16383);
	CU_ASSERT(size >= s.required + s.required / 4);
	CU_ASSERT_EQUAL(size & (size + 1), 0);

	s.required = 1;
	CU_ASSERT_EQUAL(pool_default_size(&s), 1);
	s.required = 6552; /* 8190 with the quarter: fits in 8191 */
	CU_ASSERT_EQUAL(pool_default_size(&s), 8191);
	s.required = 6554; /* 8192: needs the next size */
	CU_ASSERT_EQUAL(pool_default_size(&s), 16383);
}

/* The demo: two ports, 1024 descriptors, two 1024 rings, 3 lcores. */
static void
test_demo_figures(void)
{
	struct pool_need n = {
		.rx_desc = 1024, .rx_queues = 2,
		.tx_desc = 1024, .tx_queues = 2,
		.ring_entries = 2 * 1024,
		.lcores = 3, .cache = 256,
		.burst = 32, .held_bursts = 2,
	};
	struct pool_size s;

	pool_required(&n, &s);
	CU_ASSERT_EQUAL(s.required, 4096 + 2048 + 1152 + 192);
}

int
test_register(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "terms", test_terms },
		{ "default size", test_default_size },
		{ "demo figures", test_demo_figures },
		{ NULL, NULL },
	};

	(void)argc;
	(void)argv;
	return test_add_suite("pool", cases, NULL, NULL);
}
