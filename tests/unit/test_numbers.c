/* test_numbers — cli/numbers.c, the one grammar for command-line numbers:
 * every accepted form gives the exact value, every malformed, signed,
 * exponent, inf/nan, overflowing or trailing-garbage form is rejected
 * (and leaves the output alone).  Exit 0 = pass, 1 = a check failed. */
#include <float.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "numbers.h"

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

#define SENTINEL 0x5e5e5e5eu

static void size_ok(const char *s, uint64_t want)
{
	uint64_t v = SENTINEL;
	int r = cli_parse_size(s, &v);
	CHECK(r == 0 && v == want, "size '%s': r %d value %llu, want %llu", s, r,
	      (unsigned long long)v, (unsigned long long)want);
}

static void size_bad(const char *s)
{
	uint64_t v = SENTINEL;
	int r = cli_parse_size(s, &v);
	CHECK(r == -1 && v == SENTINEL, "size '%s' accepted (%llu)", s, (unsigned long long)v);
}

static void count_ok(const char *s, long min, long max, long want)
{
	long v = -7;
	int r = cli_parse_count(s, min, max, &v);
	CHECK(r == 0 && v == want, "count '%s' [%ld,%ld]: r %d value %ld", s, min, max, r, v);
}

static void count_bad(const char *s, long min, long max)
{
	long v = -7;
	int r = cli_parse_count(s, min, max, &v);
	CHECK(r == -1 && v == -7, "count '%s' [%ld,%ld] accepted (%ld)", s, min, max, v);
}

static void secs_ok(const char *s, double want)
{
	double v = -1;
	int r = cli_parse_seconds(s, 86400, &v);
	CHECK(r == 0 && v == want, "seconds '%s': r %d value %g", s, r, v);
}

static void secs_bad(const char *s)
{
	double v = -1;
	int r = cli_parse_seconds(s, 86400, &v);
	CHECK(r == -1 && v == -1, "seconds '%s' accepted (%g)", s, v);
}

static void addr_ok(const char *s, uint64_t want)
{
	uint64_t v = SENTINEL;
	int r = cli_parse_addr(s, &v);
	CHECK(r == 0 && v == want, "addr '%s': r %d value %#llx", s, r, (unsigned long long)v);
}

static void addr_bad(const char *s)
{
	uint64_t v = SENTINEL;
	int r = cli_parse_addr(s, &v);
	CHECK(r == -1 && v == SENTINEL, "addr '%s' accepted (%#llx)", s, (unsigned long long)v);
}

int main(void)
{
	/* sizes */
	size_ok("0", 0);
	size_ok("4096", 4096);
	size_ok("512M", 512ull << 20);
	size_ok("512m", 512ull << 20);
	size_ok("2G", 2ull << 30);
	size_ok("64K", 64ull << 10);
	size_ok("64KiB", 64ull << 10);
	size_ok("64KB", 64ull << 10);
	size_ok("64Ki", 64ull << 10);
	size_ok("3T", 3ull << 40);
	size_ok("100B", 100);
	size_ok("1.5G", 3ull << 29);
	size_ok("0.5K", 512);
	size_ok("0.0001K", 0);               /* rounded down */
	size_ok("1.999999999999999999999K", 2047);
	size_ok("18446744073709551615", UINT64_MAX);
	size_ok("16777215T", 16777215ull << 40);
	size_ok("007M", 7ull << 20);
	static const char *const bad_sizes[] = {
		"", " ", "inf", "INF", "infinity", "nan", "NaN", "-1", "+1", "-0",
		"1e30", "1E3", "1e3M", "0x10", "0x10M", "5MBB", "5MB ", " 5M", "5 M",
		"5Mx", "5KM", "5iB", "5b", "5mb", "1.5", "1.", ".5M", "1..5M", "1.5.M",
		"M", "B", "18446744073709551616", "16777216T", "99999999999999999999",
		"17179869184G", "1,5M", "1_000", "5P", "5\n", "\t5",
	};
	for (size_t i = 0; i < sizeof bad_sizes / sizeof *bad_sizes; i++)
		size_bad(bad_sizes[i]);
	size_bad(NULL);

	/* counts */
	count_ok("0", 0, LONG_MAX, 0);
	count_ok("20", 0, LONG_MAX, 20);
	count_ok("9223372036854775807", 0, LONG_MAX, LONG_MAX);
	count_ok("1073741823", 1, 0x3fffffff, 0x3fffffff);
	count_bad("1073741824", 1, 0x3fffffff);
	count_bad("0", 1, LONG_MAX);
	count_bad("9223372036854775808", 0, LONG_MAX);
	count_bad("18446744073709551616", 0, LONG_MAX);
	static const char *const bad_counts[] = {"", "-1", "+1", "1.0", "1e3", "0x10", "10 ",
						 " 10", "ten", "inf", "nan", "12x"};
	for (size_t i = 0; i < sizeof bad_counts / sizeof *bad_counts; i++)
		count_bad(bad_counts[i], 0, LONG_MAX);

	/* seconds */
	secs_ok("10", 10);
	secs_ok("0.5", 0.5);
	secs_ok("86400", 86400);
	secs_ok("0.25", 0.25);
	static const char *const bad_secs[] = {"0", "0.0", "", "-1", "+1", "86400.5", "86401",
					       "1e3", "inf", "nan", "1.", ".5", "5s", "1 ",
					       "99999999999999999999", "0x1p3"};
	for (size_t i = 0; i < sizeof bad_secs / sizeof *bad_secs; i++)
		secs_bad(bad_secs[i]);

	/* addresses */
	addr_ok("0x7f3a5c2b1e40", 0x7f3a5c2b1e40ull);
	addr_ok("0X7F3A5C2B1E40", 0x7f3a5c2b1e40ull);
	addr_ok("140000000000", 140000000000ull);   /* decimal, as id() prints */
	addr_ok("7f3a5c2b1e40", 0x7f3a5c2b1e40ull); /* hex letters: hex */
	addr_ok("  0x10\r\n", 0x10);                  /* a line of an @FILE */
	addr_ok("0xffffffffffffffff", UINT64_MAX);
	static const char *const bad_addrs[] = {"", "0", "0x0", "0x", "-1", "+5", "0x-5",
						"0x1g", "12z", "1 2", "0x10000000000000000",
						"18446744073709551616", "1e3x", "inf"};
	for (size_t i = 0; i < sizeof bad_addrs / sizeof *bad_addrs; i++)
		addr_bad(bad_addrs[i]);

	printf("%s\n", failures ? "FAILED" : "PASS");
	return failures ? 1 : 0;
}
