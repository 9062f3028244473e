/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Watermark state machine (dataplane/wm.c):
 * - thresholds from percentages of the real capacity, rounding, bad input
 * - assert at high, release at low, nothing in between (no flapping)
 * - release seen from the consumer side after the producer went quiet
 * - assertion count and asserted time against a fake clock
 * - the shared pressure count over several rings
 * - real rte_rings: count N holds N-1, RING_F_EXACT_SZ holds N, and the
 *   free space from enqueue / entries left from dequeue drive the marks
 * - two threads racing transitions keep count, time and pressure coherent
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_ring.h>

#include "cunit_main.h"
#include "wm.h"

static uint64_t fake_now;

static uint64_t
fake_clock(void)
{
	return fake_now;
}

static void
test_thresholds(void)
{
	uint32_t high, low;

	/* a ring created for 1024 without EXACT_SZ holds 1023 */
	CU_ASSERT_EQUAL(wm_thresholds(1023, 80, 50, &high, &low), 0);
	CU_ASSERT_EQUAL(high, 819); /* 818.4 rounds up */
	CU_ASSERT_EQUAL(low, 511);  /* 511.5 rounds down */

	CU_ASSERT_EQUAL(wm_thresholds(1024, 80, 50, &high, &low), 0);
	CU_ASSERT_EQUAL(high, 820);
	CU_ASSERT_EQUAL(low, 512);

	CU_ASSERT_EQUAL(wm_thresholds(4, 100, 0, &high, &low), 0);
	CU_ASSERT_EQUAL(high, 4);
	CU_ASSERT_EQUAL(low, 0);

	CU_ASSERT_EQUAL(wm_thresholds(1024, 50, 50, &high, &low), -EINVAL);
	CU_ASSERT_EQUAL(wm_thresholds(1024, 50, 60, &high, &low), -EINVAL);
	CU_ASSERT_EQUAL(wm_thresholds(1024, 101, 50, &high, &low), -EINVAL);
	CU_ASSERT_EQUAL(wm_thresholds(0, 80, 50, &high, &low), -EINVAL);
}

static void
test_hysteresis(void)
{
	struct wm w;
	uint32_t occ;

	CU_ASSERT_FATAL(wm_init(&w, 100, 80, 50, fake_clock, NULL) == 0);

	for (occ = 0; occ < 80; occ++)
		CU_ASSERT_EQUAL(wm_check(&w, occ), WM_NONE);
	CU_ASSERT_FALSE(wm_asserted(&w));

	CU_ASSERT_EQUAL(wm_check(&w, 80), WM_ASSERTED);
	CU_ASSERT_TRUE(wm_asserted(&w));
	CU_ASSERT_EQUAL(wm_check(&w, 100), WM_NONE);

	/* anywhere between the marks: no change, either way */
	for (occ = 79; occ > 50; occ--)
		CU_ASSERT_EQUAL(wm_check(&w, occ), WM_NONE);
	CU_ASSERT_TRUE(wm_asserted(&w));

	CU_ASSERT_EQUAL(wm_check(&w, 50), WM_RELEASED);
	CU_ASSERT_FALSE(wm_asserted(&w));
	for (occ = 51; occ < 80; occ++)
		CU_ASSERT_EQUAL(wm_check(&w, occ), WM_NONE);
	CU_ASSERT_FALSE(wm_asserted(&w));
}

static void
test_no_flapping(void)
{
	struct wm w;
	int i;

	CU_ASSERT_FATAL(wm_init(&w, 1000, 80, 50, fake_clock, NULL) == 0);

	/* occupancy wobbling around one mark moves the state once */
	CU_ASSERT_EQUAL(wm_check(&w, 800), WM_ASSERTED);
	for (i = 0; i < 1000; i++)
		CU_ASSERT_EQUAL(wm_check(&w, i & 1 ? 799 : 801), WM_NONE);
	CU_ASSERT_EQUAL(wm_check(&w, 500), WM_RELEASED);
	for (i = 0; i < 1000; i++)
		CU_ASSERT_EQUAL(wm_check(&w, i & 1 ? 499 : 501), WM_NONE);
	CU_ASSERT_EQUAL(w.xoff_count, 1);
}

static void
test_counters(void)
{
	uint64_t count, cycles;
	struct wm w;

	fake_now = 1000;
	CU_ASSERT_FATAL(wm_init(&w, 10, 80, 20, fake_clock, NULL) == 0);

	CU_ASSERT_EQUAL(wm_check(&w, 8), WM_ASSERTED);
	wm_read(&w, 1500, &count, &cycles);
	CU_ASSERT_EQUAL(count, 1);
	CU_ASSERT_EQUAL(cycles, 500); /* a running assertion counts */

	fake_now = 3000;
	CU_ASSERT_EQUAL(wm_check(&w, 2), WM_RELEASED);
	fake_now = 5000;
	CU_ASSERT_EQUAL(wm_check(&w, 9), WM_ASSERTED);
	fake_now = 5250;
	CU_ASSERT_EQUAL(wm_check(&w, 0), WM_RELEASED);

	wm_read(&w, 9999, &count, &cycles);
	CU_ASSERT_EQUAL(count, 2);
	CU_ASSERT_EQUAL(cycles, 2000 + 250);
}

static void
test_pressure_count(void)
{
	uint32_t pressure = 0;
	struct wm a, b;

	CU_ASSERT_FATAL(wm_init(&a, 10, 80, 20, fake_clock, &pressure) == 0);
	CU_ASSERT_FATAL(wm_init(&b, 10, 80, 20, fake_clock, &pressure) == 0);

	wm_check(&a, 10);
	CU_ASSERT_EQUAL(pressure, 1);
	wm_check(&b, 10);
	CU_ASSERT_EQUAL(pressure, 2);
	wm_check(&a, 0);
	CU_ASSERT_EQUAL(pressure, 1);
	wm_check(&a, 0);
	CU_ASSERT_EQUAL(pressure, 1);
	wm_check(&b, 1);
	CU_ASSERT_EQUAL(pressure, 0);
}

static bool eal_ready;

static int
suite_ring_init(void)
{
	char *argv[] = { "test_wm", "--no-huge", "--no-pci", "-m", "64",
			 "--no-shconf", "--log-level", "lib.eal:error",
			 "-l", "0", NULL };

	eal_ready = rte_eal_init(10, argv) >= 0;
	return 0;
}

/* Fill a real ring through its free-space return; drain it likewise. */
static void
ring_cycle(struct rte_ring *r, struct wm *w)
{
	void *objs[16] = { 0 };
	unsigned int free_space, left, n;
	enum wm_event ev, seen = WM_NONE;

	/* producer side: assert exactly when the fill reaches high */
	do {
		n = rte_ring_enqueue_burst(r, objs, 16, &free_space);
		ev = wm_check(w, w->capacity - free_space);
		if (ev == WM_ASSERTED) {
			CU_ASSERT(w->capacity - free_space >= w->high);
			CU_ASSERT(w->capacity - free_space < w->high + 16);
			seen = ev;
		}
	} while (n == 16);
	CU_ASSERT_EQUAL(seen, WM_ASSERTED);
	CU_ASSERT_EQUAL(rte_ring_count(r), w->capacity);

	/* producer gone quiet: the consumer's readings release it */
	seen = WM_NONE;
	do {
		n = rte_ring_dequeue_burst(r, objs, 16, &left);
		ev = wm_check(w, left);
		if (ev == WM_RELEASED) {
			CU_ASSERT(left <= w->low);
			CU_ASSERT(left + 16 > w->low);
			seen = ev;
		}
	} while (n > 0);
	CU_ASSERT_EQUAL(seen, WM_RELEASED);
	CU_ASSERT_FALSE(wm_asserted(w));
}

static void
test_real_ring(void)
{
	struct rte_ring *r;
	struct wm w;

	if (!eal_ready) {
		CU_FAIL("EAL did not start with --no-huge");
		return;
	}

	r = rte_ring_create("wm_plain", 1024, SOCKET_ID_ANY, 0);
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_EQUAL(rte_ring_get_capacity(r), 1023);
	CU_ASSERT_FATAL(wm_init(&w, rte_ring_get_capacity(r), 80, 50,
				fake_clock, NULL) == 0);
	CU_ASSERT_EQUAL(w.high, 819);
	ring_cycle(r, &w);
	rte_ring_free(r);

	r = rte_ring_create("wm_exact", 1000, SOCKET_ID_ANY, RING_F_EXACT_SZ);
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_EQUAL(rte_ring_get_capacity(r), 1000);
	CU_ASSERT_FATAL(wm_init(&w, rte_ring_get_capacity(r), 80, 50,
				fake_clock, NULL) == 0);
	CU_ASSERT_EQUAL(w.high, 800);
	ring_cycle(r, &w);
	rte_ring_free(r);
}

struct race {
	struct wm *w;
	unsigned int seed;
	uint64_t asserts;
	uint64_t releases;
};

static void *
race_thread(void *arg)
{
	struct race *rc = arg;
	int i;

	for (i = 0; i < 200000; i++) {
		enum wm_event ev = wm_check(rc->w, rand_r(&rc->seed) % 101);

		rc->asserts += ev == WM_ASSERTED;
		rc->releases += ev == WM_RELEASED;
	}
	return NULL;
}

static uint64_t
tick_clock(void)
{
	return __atomic_add_fetch(&fake_now, 1, __ATOMIC_RELAXED);
}

static void
test_race(void)
{
	struct race rc[2] = { { .seed = 1 }, { .seed = 2 } };
	uint32_t pressure = 0;
	pthread_t th[2];
	uint64_t asserts, releases, count, cycles;
	struct wm w;
	int i;

	CU_ASSERT_FATAL(wm_init(&w, 100, 80, 50, tick_clock, &pressure) == 0);
	for (i = 0; i < 2; i++) {
		rc[i].w = &w;
		CU_ASSERT_FATAL(pthread_create(&th[i], NULL, race_thread,
					       &rc[i]) == 0);
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);

	asserts = rc[0].asserts + rc[1].asserts;
	releases = rc[0].releases + rc[1].releases;
	wm_read(&w, fake_now, &count, &cycles);
	CU_ASSERT(asserts > 0);
	CU_ASSERT_EQUAL(count, asserts);
	CU_ASSERT_EQUAL(asserts - releases, wm_asserted(&w) ? 1 : 0);
	CU_ASSERT_EQUAL(pressure, wm_asserted(&w) ? 1 : 0);
}

int
test_register(int argc, char **argv)
{
	static const struct test_case logic[] = {
		{ "thresholds", test_thresholds },
		{ "hysteresis", test_hysteresis },
		{ "no flapping", test_no_flapping },
		{ "count and time", test_counters },
		{ "pressure count", test_pressure_count },
		{ "racing lcores", test_race },
		{ NULL, NULL },
	};
	static const struct test_case ring[] = {
		{ "real rte_ring", test_real_ring },
		{ NULL, NULL },
	};

	(void)argc;
	(void)argv;
	if (test_add_suite("wm", logic, NULL, NULL))
		return 1;
	return test_add_suite("wm_ring", ring, suite_ring_init, NULL);
}
