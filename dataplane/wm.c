/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "wm.h"

int
wm_thresholds(uint32_t capacity, unsigned int high_pct, unsigned int low_pct,
	      uint32_t *high, uint32_t *low)
{
	uint64_t h, l;

	if (capacity == 0 || high_pct > 100 || low_pct >= high_pct)
		return -EINVAL;

	h = ((uint64_t)capacity * high_pct + 99) / 100;
	l = (uint64_t)capacity * low_pct / 100;
	if (h == 0 || h <= l || h > capacity)
		return -EINVAL;

	*high = (uint32_t)h;
	*low = (uint32_t)l;
	return 0;
}

int
wm_init(struct wm *w, uint32_t capacity, unsigned int high_pct,
	unsigned int low_pct, wm_clock_fn clock, uint32_t *pressure)
{
	uint32_t high, low;
	int rc;

	rc = wm_thresholds(capacity, high_pct, low_pct, &high, &low);
	if (rc < 0)
		return rc;

	memset(w, 0, sizeof(*w));
	w->capacity = capacity;
	w->high = high;
	w->low = low;
	w->clock = clock;
	w->pressure = pressure;
	return 0;
}

enum wm_event
wm_assert_slow(struct wm *w, uint64_t seen)
{
	uint64_t next = (w->clock() << 1) | 1;

	/* Another lcore may have asserted first: then it keeps the books. */
	if (!__atomic_compare_exchange_n(&w->state, &seen, next, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return WM_NONE;

	__atomic_fetch_add(&w->xoff_count, 1, __ATOMIC_RELAXED);
	if (w->pressure != NULL)
		__atomic_fetch_add(w->pressure, 1, __ATOMIC_RELEASE);
	return WM_ASSERTED;
}

enum wm_event
wm_release_slow(struct wm *w, uint64_t seen)
{
	uint64_t now = w->clock() << 1;

	if (!__atomic_compare_exchange_n(&w->state, &seen, 0, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return WM_NONE;

	/* The clock is kept shifted by one bit; so is the difference. */
	__atomic_fetch_add(&w->xoff_cycles, (now - (seen & ~1ULL)) >> 1,
			   __ATOMIC_RELAXED);
	if (w->pressure != NULL)
		__atomic_fetch_sub(w->pressure, 1, __ATOMIC_RELEASE);
	return WM_RELEASED;
}

void
wm_read(const struct wm *w, uint64_t now, uint64_t *xoff_count,
	uint64_t *xoff_cycles)
{
	uint64_t s = __atomic_load_n(&w->state, __ATOMIC_ACQUIRE);
	uint64_t cycles = __atomic_load_n(&w->xoff_cycles, __ATOMIC_RELAXED);
	uint64_t since = s >> 1;

	if ((s & 1) && now > since)
		cycles += now - since;

	*xoff_count = __atomic_load_n(&w->xoff_count, __ATOMIC_RELAXED);
	*xoff_cycles = cycles;
}
