/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ring watermarks: a hysteresis state machine per ring, the single source
 * of truth for "this ring is under pressure".
 *
 * Occupancy comes for free from the ring calls themselves: a producer gets
 * the free space back from rte_ring_enqueue_burst(), a consumer gets the
 * entries left from rte_ring_dequeue_burst(). Both sides feed wm_check(),
 * so a release is seen even when the producer has gone quiet.
 *
 * Pressure asserts when occupancy >= high and releases when it is <= low,
 * with high > low enforced, so it cannot flap between the marks. Several
 * lcores may call wm_check() on one ring (producer, consumer, MP/MC
 * workers): the per-packet path is one relaxed load; only a transition
 * takes a compare-and-swap, and the lcore that wins it does the
 * bookkeeping. The asserted bit and the assertion's timestamp share one
 * word, so the releasing lcore always sees the timestamp of the very
 * assertion it ends.
 */
#ifndef SLUICE_WM_H
#define SLUICE_WM_H

#include <stdbool.h>
#include <stdint.h>

#define WM_HIGH_PCT_DEFAULT 80
#define WM_LOW_PCT_DEFAULT 50

enum wm_event {
	WM_NONE = 0,
	WM_ASSERTED,
	WM_RELEASED,
};

typedef uint64_t (*wm_clock_fn)(void);

struct wm {
	/* read-only after wm_init() */
	uint32_t capacity;
	uint32_t high;      /* entries: assert at or above */
	uint32_t low;       /* entries: release at or below */
	wm_clock_fn clock;
	uint32_t *pressure; /* shared count of asserted rings, or NULL */

	/* bit 0: asserted; bits 63..1: clock at assertion */
	uint64_t state;

	/* written only by the lcore that wins a transition */
	uint64_t xoff_count;
	uint64_t xoff_cycles;
};

/*
 * Convert percentages of @capacity into entry thresholds: high rounds up,
 * low rounds down. Returns 0, or -EINVAL unless 0 <= low_pct < high_pct
 * <= 100 and the rounded marks still satisfy low < high <= capacity.
 */
int wm_thresholds(uint32_t capacity, unsigned int high_pct,
		  unsigned int low_pct, uint32_t *high, uint32_t *low);

/*
 * Set up @w for a ring of @capacity usable entries (rte_ring_get_capacity).
 * @pressure, if not NULL, is incremented on every assertion and decremented
 * on every release, so a reader can test all rings with one load.
 * Returns 0 or -EINVAL (see wm_thresholds()).
 */
int wm_init(struct wm *w, uint32_t capacity, unsigned int high_pct,
	    unsigned int low_pct, wm_clock_fn clock, uint32_t *pressure);

enum wm_event wm_assert_slow(struct wm *w, uint64_t seen);
enum wm_event wm_release_slow(struct wm *w, uint64_t seen);

/* Feed one occupancy reading; returns the transition it caused, if any. */
static inline enum wm_event
wm_check(struct wm *w, uint32_t occupancy)
{
	uint64_t s = __atomic_load_n(&w->state, __ATOMIC_RELAXED);

	if (!(s & 1)) {
		if (__builtin_expect(occupancy < w->high, 1))
			return WM_NONE;
		return wm_assert_slow(w, s);
	}

	if (__builtin_expect(occupancy > w->low, 1))
		return WM_NONE;
	return wm_release_slow(w, s);
}

static inline bool
wm_asserted(const struct wm *w)
{
	return __atomic_load_n(&w->state, __ATOMIC_RELAXED) & 1;
}

/* Counters as of @now (a running assertion counts up to @now). */
void wm_read(const struct wm *w, uint64_t now, uint64_t *xoff_count,
	     uint64_t *xoff_cycles);

#endif /* SLUICE_WM_H */
