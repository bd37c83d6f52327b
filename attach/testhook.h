/* testhook — environment variables that only a test build obeys.
 *
 * Hooks such as HEAPSCOPE_TEST_PAUSE_DELAY_MS hold a target frozen for
 * seconds or take slower paths on purpose, so that tests can send signals
 * during a pause or exercise a fallback.  A shipped binary must not obey
 * them: they are compiled in only with `meson setup -Dtest_hooks=true`
 * (the test build: scripts/test.sh, tests/run_tests.sh), which defines
 * HS_TEST_HOOKS.  Read every hook through hs_test_env(); in other builds it
 * is NULL, whatever the environment says.
 */
#ifndef HS_TESTHOOK_H
#define HS_TESTHOOK_H

#include <stdlib.h>

#ifdef HS_TEST_HOOKS
#define HS_TEST_HOOKS_ON 1
static inline const char *hs_test_env(const char *name)
{
	return getenv(name);
}
#else
#define HS_TEST_HOOKS_ON 0
static inline const char *hs_test_env(const char *name)
{
	(void)name;
	return NULL;
}
#endif

#endif
