/* test_no_hooks — a build without -Dtest_hooks=true (the shipped one)
 * carries no test hook: this program links attach/ compiled without
 * HS_TEST_HOOKS (tests/unit/meson.build) and checks that hs_test_env()
 * ignores the environment and that no HEAPSCOPE_TEST_* name is left in
 * the executable at all (so no environment variable can make a shipped
 * heapscope hold a target frozen longer).  Exit 0 = pass, 1 = fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "testhook.h"

int main(void)
{
	int bad = 0;
	if (HS_TEST_HOOKS_ON) {
		printf("FAIL: compiled with HS_TEST_HOOKS\n");
		bad++;
	}
	/* Names are built at run time, so that this file adds no copy. */
	char needle[32], hook[64];
	snprintf(needle, sizeof needle, "%s_%s_", "HEAPSCOPE", "TEST");
	snprintf(hook, sizeof hook, "%sPAUSE_DELAY_MS", needle);
	setenv(hook, "600000", 1);
	if (hs_test_env(hook)) {
		printf("FAIL: hs_test_env obeys the environment\n");
		bad++;
	}
	FILE *f = fopen("/proc/self/exe", "rb");
	if (!f) {
		printf("FAIL: cannot read /proc/self/exe\n");
		return 1;
	}
	static char buf[64 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	size_t len = strlen(needle);
	for (size_t i = 0; i + len <= n; i++)
		if (buf[i] == 'H' && !memcmp(buf + i, needle, len)) {
			printf("FAIL: '%.60s' is in the executable\n", buf + i);
			bad++;
			break;
		}
	/* and the code that reads them was linked in at all */
	(void)live_stranded;
	printf("%s\n", bad ? "FAILED" : "PASS");
	return bad ? 1 : 0;
}
