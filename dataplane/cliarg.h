/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Strict option values, shared by sluice-dp and sluice-gen: a value is a
 * plain decimal number in range with nothing after it, or it is refused
 * with "Error: --NAME: ..." on stderr and -EINVAL.
 */
#ifndef SLUICE_CLIARG_H
#define SLUICE_CLIARG_H

#include <stdbool.h>
#include <stdint.h>

int cli_u64(const char *name, const char *text, uint64_t min, uint64_t max,
	    uint64_t *out);
int cli_uint(const char *name, const char *text, unsigned int min,
	     unsigned int max, unsigned int *out);

/* A number above 0 and at most @max; decimals allowed. */
int cli_real(const char *name, const char *text, double max, double *out);

/*
 * Exactly @n plain decimal numbers separated by ':' ("1:90:50"), each up to
 * UINT32_MAX. Returns 0 or -EINVAL, printing nothing: the caller knows
 * what the fields mean and says so.
 */
int cli_fields(const char *text, unsigned int *v, unsigned int n);

/* "on" or "off". */
int cli_on_off(const char *name, const char *text, bool *out);

#endif /* SLUICE_CLIARG_H */
