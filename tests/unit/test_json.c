/* test_json — cli/json.c writes valid UTF-8 JSON whatever bytes it is
 * given: well-formed UTF-8 passes through, surrogate code points (a Python
 * str may hold lone ones; py_str_utf8 writes them in the 3-byte form) come
 * out as \udXXX the way Python's json writes them, every other byte that
 * is not part of a well-formed sequence (overlong forms, code points past
 * U+10FFFF, stray continuation bytes, cut sequences) as \u00XX; control
 * characters, quotes and backslashes are escaped; NULL strings, NaN and
 * infinities are null.  Exit 0 = pass, 1 = a check failed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

/* What json_strn writes for in[0..n). */
static char *render(const char *in, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;
	json_init(&j, f);
	json_strn(&j, in, n);
	fclose(f);
	return buf;
}

static void expect(const char *in, size_t n, const char *want)
{
	char *got = render(in, n);
	CHECK(!strcmp(got, want), "input of %zu bytes: got %s, want %s", n, got, want);
	free(got);
}

#define EXPECT(lit, want) expect(lit, sizeof(lit) - 1, want)

int main(void)
{
	EXPECT("plain", "\"plain\"");
	EXPECT("q\"b\\", "\"q\\\"b\\\\\"");
	EXPECT("\n\t\r\x01\x1f\x7f", "\"\\n\\t\\r\\u0001\\u001f\x7f\"");
	EXPECT("nul\0in", "\"nul\\u0000in\"");
	/* well-formed: 2, 3 and 4 bytes, the extremes of each */
	EXPECT("\xc2\x80\xdf\xbf", "\"\xc2\x80\xdf\xbf\"");
	EXPECT("\xe0\xa0\x80\xef\xbf\xbf\xed\x9f\xbf", "\"\xe0\xa0\x80\xef\xbf\xbf\xed\x9f\xbf\"");
	EXPECT("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
	EXPECT("snake \xf0\x9f\x90\x8d", "\"snake \xf0\x9f\x90\x8d\"");
	/* surrogates, alone and as a pair of separate code points, as
	 * json.dumps('\ud800'), json.dumps('\udc80x'), json.dumps('\ud83d\udc0d') */
	EXPECT("\xed\xa0\x80", "\"\\ud800\"");
	EXPECT("\xed\xb2\x80x", "\"\\udc80x\"");
	EXPECT("\xed\xa0\xbd\xed\xb0\x8d", "\"\\ud83d\\udc0d\"");
	EXPECT("\xed\xbf\xbf", "\"\\udfff\"");
	/* not UTF-8: each offending byte as \u00XX */
	EXPECT("\xc0\x80", "\"\\u00c0\\u0080\"");           /* overlong NUL */
	EXPECT("\xc1\xbf", "\"\\u00c1\\u00bf\"");
	EXPECT("\xe0\x80\x80", "\"\\u00e0\\u0080\\u0080\""); /* overlong */
	EXPECT("\xf0\x80\x80\x80", "\"\\u00f0\\u0080\\u0080\\u0080\"");
	EXPECT("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\""); /* > U+10FFFF */
	EXPECT("\xf5\x80\x80\x80", "\"\\u00f5\\u0080\\u0080\\u0080\"");
	EXPECT("\xff\xfe", "\"\\u00ff\\u00fe\"");
	EXPECT("\x80x", "\"\\u0080x\"");                     /* stray continuation */
	EXPECT("ab\xe2\x82", "\"ab\\u00e2\\u0082\"");        /* cut at the end */
	EXPECT("\xe2\x82z", "\"\\u00e2\\u0082z\"");          /* cut in the middle */
	EXPECT("\xed\xa0", "\"\\u00ed\\u00a0\"");            /* cut surrogate */

	/* structure, null for NULL, NaN and infinities */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;
	json_init(&j, f);
	json_obj(&j);
	json_key(&j, "a"); json_str(&j, NULL);
	json_key(&j, "b"); json_num(&j, NAN);
	json_key(&j, "c"); json_num(&j, INFINITY);
	json_key(&j, "d"); json_arr(&j); json_int(&j, -1); json_uint(&j, 18446744073709551615ull);
	json_end(&j);
	json_key(&j, "\xed\xa0\x80"); json_bool(&j, 1);
	json_end(&j);
	json_done(&j);
	fclose(f);
	const char *want = "{\"a\":null,\"b\":null,\"c\":null,\"d\":[-1,18446744073709551615],"
			   "\"\\ud800\":true}\n";
	CHECK(!strcmp(buf, want), "document: got %s want %s", buf, want);
	free(buf);

	printf("%s\n", failures ? "FAILED" : "PASS");
	return failures ? 1 : 0;
}
