/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared main() for the CUnit test binaries. Each test file defines
 * test_register(), which adds its suites; this runs them with the basic
 * interface and turns the result into an exit status meson understands:
 * 0 all passed, 1 a failure, 77 the whole binary had to skip.
 */
#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

int
main(int argc, char **argv)
{
	unsigned int failed;
	int rc;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "Error: CUnit registry: %s\n", CU_get_error_msg());
		return 1;
	}

	rc = test_register(argc, argv);
	if (rc != 0) {
		CU_cleanup_registry();
		return rc;
	}

	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();

	return failed ? 1 : 0;
}

int
test_add_suite(const char *name, const struct test_case *cases,
	       CU_InitializeFunc init, CU_CleanupFunc cleanup)
{
	CU_pSuite s = CU_add_suite(name, init, cleanup);

	if (s == NULL)
		goto err;

	for (; cases->name != NULL; cases++) {
		if (CU_add_test(s, cases->name, cases->fn) == NULL)
			goto err;
	}

	return 0;
err:
	fprintf(stderr, "Error: suite '%s': %s\n", name, CU_get_error_msg());
	return 1;
}
