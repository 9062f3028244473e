/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which sequence numbers the sink has seen: a bitmap over a sliding window
 * [base, base + size). A number past the window slides it forward; what
 * slides out unseen is final loss. Inside the window a number seen twice
 * is a duplicate, one below the highest seen a reordering.
 *
 * The window covers --expect (rounded up to a power of two) or
 * GEN_SEQ_WINDOW_DEFAULT, at most GEN_SEQ_WINDOW_MAX numbers. The verdicts
 * are exact while no frame arrives more than a window behind the highest
 * number seen; see gen_seq_see() for what happens beyond.
 */
#include <errno.h>
#include <stdlib.h>

#include "gen.h"

int
gen_seq_init(struct gen_seq *s, uint64_t expect)
{
	uint64_t size = GEN_SEQ_WINDOW_DEFAULT;

	while (size < expect && size < GEN_SEQ_WINDOW_MAX)
		size <<= 1;

	*s = (struct gen_seq){ .size = size };
	s->bits = calloc(size / 64, sizeof(uint64_t));
	return s->bits == NULL ? -ENOMEM : 0;
}

void
gen_seq_free(struct gen_seq *s)
{
	free(s->bits);
	s->bits = NULL;
}

static inline uint64_t *
gen_seq_word(const struct gen_seq *s, uint64_t seq, uint64_t *mask)
{
	uint64_t i = seq & (s->size - 1);

	*mask = 1ull << (i & 63);
	return &s->bits[i >> 6];
}

/*
 * Numbers of [from, to) not seen, all inside the window; clears their
 * bits when @clear. Whole words at a time where aligned: a jump across
 * the window after a burst of loss must not cost a loop per number.
 */
static uint64_t
gen_seq_unseen(const struct gen_seq *s, uint64_t from, uint64_t to,
	       bool clear)
{
	uint64_t n = 0, mask, *w;

	while (from < to) {
		w = gen_seq_word(s, from, &mask);
		if (mask == 1 && to - from >= 64) {
			n += 64 - (uint64_t)__builtin_popcountll(*w);
			if (clear)
				*w = 0;
			from += 64;
			continue;
		}
		if (!(*w & mask))
			n++;
		if (clear)
			*w &= ~mask;
		from++;
	}
	return n;
}

static void
gen_seq_slide(struct gen_seq *s, uint64_t new_base)
{
	uint64_t n = new_base - s->base;

	if (n < s->size) {
		s->lost_slid += gen_seq_unseen(s, s->base, new_base, true);
	} else {
		/* past the whole window: beyond it nothing was ever seen */
		s->lost_slid += gen_seq_unseen(s, s->base, s->base + s->size,
					       true) + (n - s->size);
	}
	s->base = new_base;
}

void
gen_seq_see(struct gen_seq *s, uint64_t seq)
{
	uint64_t mask, *w;

	/*
	 * XXX: a number below the window was already counted lost when it
	 * slid out; whether it is late or a duplicate cannot be told any
	 * more. It is counted too_old and "lost" stays one too high for it.
	 */
	if (seq < s->base) {
		s->too_old++;
		return;
	}
	if (seq - s->base >= s->size)
		gen_seq_slide(s, seq - s->size + 1);

	w = gen_seq_word(s, seq, &mask);
	if (*w & mask) {
		s->duplicated++;
		return;
	}
	*w |= mask;

	if (s->seen_any && seq < s->highest) {
		s->reordered++;
		return;
	}
	s->highest = seq;
	s->seen_any = true;
}

/*
 * Numbers never seen from 0 up to the highest seen, or up to @expect - 1
 * when that is higher (the tail the generator sent but nothing came of).
 */
uint64_t
gen_seq_lost(const struct gen_seq *s, uint64_t expect)
{
	uint64_t end = s->seen_any ? s->highest + 1 : 0;
	uint64_t lost = s->lost_slid, win_end = s->base + s->size;

	if (expect > end)
		end = expect;
	if (end <= s->base)
		return lost;

	lost += gen_seq_unseen(s, s->base, end < win_end ? end : win_end,
			       false);
	if (end > win_end)
		lost += end - win_end;
	return lost;
}
