/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Weighted lists (--size-mix, --classes) and the order they are played
 * in. The order is fixed, not random: a run of N frames splits exactly by
 * the weights (up to one round), so a test can check the split.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* One "V[:W]" item ending at ',' or '\0'; returns where it stopped. */
static const char *
gen_mix_item(const char *p, uint32_t *v, uint32_t *w)
{
	unsigned long a, b = 1;
	char *end;

	if (*p < '0' || *p > '9')
		return NULL;
	errno = 0;
	a = strtoul(p, &end, 10);
	if (errno != 0 || a > UINT32_MAX)
		return NULL;

	if (*end == ':') {
		p = end + 1;
		if (*p < '0' || *p > '9')
			return NULL;
		b = strtoul(p, &end, 10);
		if (errno != 0 || b < 1 || b > GEN_WEIGHT_MAX)
			return NULL;
	}
	if (*end != ',' && *end != '\0')
		return NULL;

	*v = (uint32_t)a;
	*w = (uint32_t)b;
	return end;
}

static bool
gen_mix_has(const struct gen_mix *m, uint32_t v)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->value[i] == v)
			return true;
	return false;
}

int
gen_mix_parse(const char *text, uint32_t min, uint32_t max,
	      struct gen_mix *m, char *err, size_t errlen)
{
	struct gen_mix out = { .n = 0 };
	const char *p = text;
	uint32_t v, w;

	do {
		p = gen_mix_item(p, &v, &w);
		if (p == NULL || v < min || v > max) {
			snprintf(err, errlen, "'%s' is not a list of "
				 "VALUE[:WEIGHT] with VALUE %u-%u and WEIGHT "
				 "1-%u", text, min, max, GEN_WEIGHT_MAX);
			return -EINVAL;
		}
		if (gen_mix_has(&out, v)) {
			snprintf(err, errlen, "%u is listed twice", v);
			return -EINVAL;
		}
		if (out.n == GEN_MIX_MAX) {
			snprintf(err, errlen, "more than %u entries",
				 GEN_MIX_MAX);
			return -EINVAL;
		}
		out.value[out.n] = v;
		out.weight[out.n++] = w;
	} while (*p++ == ',');

	*m = out;
	return 0;
}

int
gen_mix_schedule(const struct gen_mix *m, uint32_t *out, unsigned int cap)
{
	int64_t cur[GEN_MIX_MAX] = { 0 };
	unsigned int i, k, best, total = 0;

	for (i = 0; i < m->n; i++)
		total += m->weight[i];
	if (total > cap)
		return -E2BIG;

	/* smooth weighted round-robin: 7:4:1 plays A B A C A B A ... */
	for (k = 0; k < total; k++) {
		best = 0;
		for (i = 0; i < m->n; i++) {
			cur[i] += m->weight[i];
			if (cur[i] > cur[best])
				best = i;
		}
		cur[best] -= total;
		out[k] = m->value[best];
	}
	return (int)total;
}
