/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SLUICE_CUNIT_MAIN_H
#define SLUICE_CUNIT_MAIN_H

#include <CUnit/CUnit.h>

#define TEST_SKIP 77

/*
 * Add this binary's suites to the registry. Return 0, TEST_SKIP when the
 * whole binary cannot run here (say why on stderr), or 1 on error.
 */
int test_register(int argc, char **argv);

/* Add a suite and its tests; returns 0 or 1 with a message on stderr. */
struct test_case {
	const char *name;
	CU_TestFunc fn;
};

int test_add_suite(const char *name, const struct test_case *cases,
		   CU_InitializeFunc init, CU_CleanupFunc cleanup);

#endif
