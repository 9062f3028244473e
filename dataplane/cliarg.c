/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliarg.h"

int
cli_u64(const char *name, const char *text, uint64_t min, uint64_t max,
	uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull takes "-1" and " 1": only a leading digit is a number */
	errno = 0;
	v = strtoull(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 ||
	    v < min || v > max) {
		fprintf(stderr, "Error: --%s: '%s' is not a whole number "
			"from %" PRIu64 " to %" PRIu64 "\n", name, text, min, max);
		return -EINVAL;
	}

	*out = v;
	return 0;
}

int
cli_uint(const char *name, const char *text, unsigned int min,
	 unsigned int max, unsigned int *out)
{
	uint64_t v;
	int rc = cli_u64(name, text, min, max, &v);

	if (rc == 0)
		*out = (unsigned int)v;
	return rc;
}

int
cli_real(const char *name, const char *text, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end != '\0' || errno != 0 || !(v > 0) ||
	    v > max) {
		fprintf(stderr, "Error: --%s: '%s' is not a number above 0 "
			"and at most %g\n", name, text, max);
		return -EINVAL;
	}

	*out = v;
	return 0;
}

int
cli_on_off(const char *name, const char *text, bool *out)
{
	if (strcmp(text, "on") == 0) {
		*out = true;
	} else if (strcmp(text, "off") == 0) {
		*out = false;
	} else {
		fprintf(stderr, "Error: --%s: '%s' is neither 'on' nor 'off'\n",
			name, text);
		return -EINVAL;
	}
	return 0;
}

int
cli_fields(const char *text, unsigned int *v, unsigned int n)
{
	unsigned long long x;
	unsigned int i;
	const char *p = text;
	char *end;

	for (i = 0; i < n; i++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		errno = 0;
		x = strtoull(p, &end, 10);
		if (errno != 0 || x > UINT32_MAX)
			return -EINVAL;
		v[i] = (unsigned int)x;
		if (*end != (i + 1 < n ? ':' : '\0'))
			return -EINVAL;
		p = end + 1;
	}
	return 0;
}
